"""A finance store on a SQLite file built by the real migrations, and a runtime around it."""

import shutil
from types import SimpleNamespace

import httpx
import pytest

from services.finance import api
from services.finance.store import messaging
from shared.clock import SYSTEM_CLOCK
from shared.messaging.outbox import Outbox
from shared.store.db import Database, create_engine
from shared.store.migrations import upgrade
from shared.tests.callers import service_app


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """Migrate once; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("finance") / "migrated.db"
    upgrade("finance", f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
async def rt(migrated, tmp_path):
    """The parts of a Runtime that handlers, queries and demo data use."""
    path = shutil.copy(migrated, tmp_path / "finance.db")
    db = Database(create_engine(f"sqlite+aiosqlite:///{path}"))
    yield SimpleNamespace(
        db=db, outbox=Outbox(messaging.outbox, source="/tft/finance"), clock=SYSTEM_CLOCK
    )
    await db.dispose()


@pytest.fixture
async def client(rt):
    """The internal API as the gateway calls it: the caller in a token (`as_caller`)."""
    app = service_app("finance", api.routes, rt)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://finance"
    ) as client:
        yield client
