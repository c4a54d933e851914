import pytest

from services.directory import demo
from services.directory.app import SPEC
from shared.tests.runtime import client, migrated_app, sqlite_url

# The cheapest argon2 the settings allow: the tests hash and check many passwords.
CHEAP_HASHING = dict(
    password_hash_time_cost=1, password_hash_memory_kib=8 * 1024, password_hash_parallelism=1
)


@pytest.fixture(params=["sqlite", "postgresql"])
async def directory(request, tmp_path):
    """The directory's HTTP app on a migrated, demo-seeded store of each kind (no broker)."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path / "directory.db")
    else:
        url = request.getfixturevalue("fresh_database")("tft_directory_api")
    app = await migrated_app(SPEC, url, **CHEAP_HASHING)
    await demo.load(app.state.runtime)
    async with client(app, "directory") as http:
        http.runtime = app.state.runtime  # type: ignore[attr-defined]
        yield http
    await app.state.runtime.db.dispose()
