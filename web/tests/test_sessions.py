"""Two web processes on one sessions store, on both stores: a person signed in at one is
signed in at the other, with the same CSRF token and flashes, until signed out at either;
a process started again keeps them signed in."""

import asyncio
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx
import pytest
from fastapi.testclient import TestClient

from shared.store.db import Database, create_engine
from web.app import create_app
from web.gateway import Gateway
from web.sessions import SessionStore
from web.settings import WebSettings
from web.store import metadata
from web.tests.test_security import csrf_of, login

pytestmark = pytest.mark.integration


@pytest.fixture
def store(each_store) -> str:
    url = each_store("tft_web_sessions")

    async def create() -> None:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        await engine.dispose()

    asyncio.run(create())
    return url


@contextmanager
def processes(gateway, store: str, count: int) -> Iterator[list[TestClient]]:
    """`count` web apps, each with its own engine on the store."""
    with ExitStack() as stack:
        clients = []
        for _ in range(count):
            app = create_app(
                WebSettings(web_secure_cookies=False),
                Gateway("http://gateway", 5, httpx.MockTransport(gateway)),
                SessionStore(Database(create_engine(store)), 30 * 60),
            )
            clients.append(
                stack.enter_context(TestClient(app, base_url="http://web", follow_redirects=False))
            )
        yield clients


def moving(browser: TestClient, to: TestClient) -> TestClient:
    """The browser's next request lands on another process: it brings its cookie along."""
    to.cookies = browser.cookies
    return to


def test_a_person_signed_in_at_one_process_is_served_by_the_other(gateway, store):
    with processes(gateway, store, 2) as (first, second):
        assert login(first).status_code == 303
        page = moving(first, second).get("/planning")
        assert page.status_code == 200 and "corlaer" in page.text.lower()
        assert csrf_of(page.text) == csrf_of(moving(second, first).get("/planning").text)
        moving(first, second).post("/uitloggen", data={"csrf": csrf_of(page.text)})
        # The flash set at the second shows at the first, and no one is signed in.
        assert "Je bent uitgelogd" in moving(second, first).get("/inloggen").text
        assert first.get("/planning").status_code == 303


def test_a_web_process_started_again_keeps_its_people_signed_in(gateway, store):
    with processes(gateway, store, 1) as [before]:
        login(before)
    with processes(gateway, store, 1) as [after]:
        assert moving(before, after).get("/planning").status_code == 200
