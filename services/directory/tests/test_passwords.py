"""Checking a password (argon2id, costly by design) leaves the event loop free: it keeps
running, so the directory answers other requests while a sign-in is being checked."""

import asyncio

import httpx

from services.directory import demo
from services.directory.app import SPEC
from services.directory.settings import DirectorySettings
from shared.service import create_app
from shared.store.migrations import upgrade
from shared.tests.callers import TRUST_TEST_KEY, as_gateway


async def test_the_event_loop_runs_on_while_a_password_is_checked(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'directory.db'}"
    await asyncio.to_thread(upgrade, "directory", url)
    # Costly on purpose: a check takes long enough to see what happens meanwhile.
    settings = DirectorySettings(
        service="directory",
        database_url=url,
        outbox_relay=False,
        **TRUST_TEST_KEY,
        password_hash_time_cost=4,
        password_hash_parallelism=1,
    )
    app = create_app(SPEC, settings)
    await demo.load(app.state.runtime)
    loop = asyncio.get_running_loop()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://directory") as client:
        signing_in = asyncio.ensure_future(
            client.post(
                "/sign-in",
                headers=as_gateway("directory"),
                json={"username": "corlaer", "password": "demo"},
            )
        )
        started, gaps = loop.time(), []
        while not signing_in.done():  # the loop's heartbeat while the password is checked
            before = loop.time()
            await asyncio.sleep(0.005)
            gaps.append(loop.time() - before)
        took = loop.time() - started
        assert (await signing_in).status_code == 200
    assert max(gaps) < took / 2, f"the loop stood still {max(gaps):.2f}s of {took:.2f}s"
    await app.state.runtime.db.dispose()
