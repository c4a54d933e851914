from shared.store.migrations import run_env
from web.store import metadata

run_env(metadata)
