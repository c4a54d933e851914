import asyncio

import httpx
import pytest

from services.directory import demo
from services.directory.app import SPEC
from services.directory.settings import DirectorySettings
from shared.service import create_app
from shared.store.migrations import upgrade
from shared.tests.callers import TRUST_TEST_KEY

# The cheapest argon2 the settings allow: the tests hash and check many passwords.
CHEAP_HASHING = dict(
    password_hash_time_cost=1, password_hash_memory_kib=8 * 1024, password_hash_parallelism=1
)


@pytest.fixture(params=["sqlite", "postgresql"])
async def directory(request, tmp_path):
    """The directory's HTTP app on a migrated, demo-seeded store of each kind (no broker)."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'directory.db'}"
    else:
        url = request.getfixturevalue("fresh_database")("tft_directory_api")
    await asyncio.to_thread(upgrade, "directory", url)
    settings = DirectorySettings(
        service="directory", database_url=url, outbox_relay=False, **CHEAP_HASHING | TRUST_TEST_KEY
    )
    app = create_app(SPEC, settings)
    await demo.load(app.state.runtime)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://directory") as client:
        client.runtime = app.state.runtime  # type: ignore[attr-defined]
        yield client
    await app.state.runtime.db.dispose()
