from services.gateway.store import metadata
from shared.store.migrations import run_env

run_env(metadata)
