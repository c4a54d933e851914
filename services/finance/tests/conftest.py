"""A finance store on a SQLite file built by the real migrations, and a runtime around it."""

import shutil

import httpx
import pytest

from services.finance import api
from services.finance.app import SPEC
from shared.store.migrations import upgrade
from shared.tests.callers import service_app
from shared.tests.runtime import runtime_on, sqlite_url


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """Migrate once; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("finance") / "migrated.db"
    upgrade("finance", sqlite_url(path))
    return path


@pytest.fixture
async def rt(migrated, tmp_path):
    """The service's runtime on a copy of the migrated store."""
    runtime = runtime_on(SPEC, sqlite_url(shutil.copy(migrated, tmp_path / "finance.db")))
    yield runtime
    await runtime.db.dispose()


@pytest.fixture
async def client(rt):
    """The internal API as the gateway calls it: the caller in a token (`as_caller`)."""
    app = service_app("finance", api.routes, rt)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://finance"
    ) as client:
        yield client
