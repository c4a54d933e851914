"""Alembic per service: every service's `migrations/env.py` calls `run_env` with its metadata.

python -m services.<name> migrate          upgrade the service's store to head
python -m shared.store.migrations <name> "message"   autogenerate a revision (dev)
"""

import asyncio
import shutil
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.types import TypeDecorator

SERVICES_DIR = Path(__file__).resolve().parents[2] / "services"


def migrations_dir(name: str) -> Path:
    """services/<name>/migrations, or a top-level package's own (the web front end's)."""
    service = SERVICES_DIR / name / "migrations"
    return service if service.is_dir() else SERVICES_DIR.parent / name / "migrations"


def alembic_config(service: str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir(service)))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def upgrade(service: str, database_url: str) -> None:
    command.upgrade(alembic_config(service, database_url), "head")


def _render_item(type_: str, obj, autogen_context):
    """Revisions name plain SQLAlchemy types, so they never import application code."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def run_env(target_metadata: MetaData) -> None:
    """Body of a service's env.py: run the migrations online over an async engine."""
    from alembic import context

    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "alembic_config sets the store's URL"

    def migrate(connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=_render_item,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(migrate)
        await engine.dispose()

    asyncio.run(run())


def main(argv: list[str]) -> None:
    service, message = argv[0], argv[1]
    scratch = Path("/tmp") / f"tft-autogen-{service}.db"
    scratch.unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{scratch}"
    config = alembic_config(service, url)
    command.upgrade(config, "head")
    versions = migrations_dir(service) / "versions"
    number = len(list(versions.glob("[0-9][0-9][0-9][0-9]_*.py"))) + 1
    # One revision template for all services, put in place only while generating.
    template = versions.parent / "script.py.mako"
    shutil.copy(Path(__file__).with_name("script.py.mako"), template)
    try:
        command.revision(config, message=message, autogenerate=True, rev_id=f"{number:04d}")
    finally:
        template.unlink()


if __name__ == "__main__":
    main(sys.argv[1:])
