import pytest

from services.bookings.tests.scenario import migrated_runtime


@pytest.fixture
async def rt(tmp_path):
    """A migrated SQLite store of the service, new for each test."""
    runtime = await migrated_runtime(f"sqlite+aiosqlite:///{tmp_path / 'bookings.db'}")
    yield runtime
    await runtime.db.dispose()
