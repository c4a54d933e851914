import pytest

from services.events.tests.scenario import migrated_runtime

# The gateway's recording upstream, for the tests of the events routes of the gateway.
from services.gateway.tests.conftest import calls, echo  # noqa: F401


@pytest.fixture
async def rt(tmp_path):
    """A migrated SQLite store of the service, new for each test."""
    runtime = await migrated_runtime(f"sqlite+aiosqlite:///{tmp_path / 'events.db'}")
    yield runtime
    await runtime.db.dispose()
