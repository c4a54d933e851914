"""Checking a password (argon2id, costly by design) leaves the event loop free: it keeps
running, so the directory answers other requests while a sign-in is being checked."""

import asyncio

from services.directory import demo
from services.directory.app import SPEC
from shared.tests.callers import as_gateway
from shared.tests.runtime import client, migrated_app, sqlite_url


async def test_the_event_loop_runs_on_while_a_password_is_checked(tmp_path):
    # Costly on purpose: a check takes long enough to see what happens meanwhile.
    app = await migrated_app(
        SPEC,
        sqlite_url(tmp_path / "directory.db"),
        password_hash_time_cost=4,
        password_hash_parallelism=1,
    )
    await demo.load(app.state.runtime)
    loop = asyncio.get_running_loop()
    async with client(app, "directory") as http:
        signing_in = asyncio.ensure_future(
            http.post(
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
