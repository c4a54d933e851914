from services.directory.store import Base
from shared.store.migrations import run_env

run_env(Base.metadata)
