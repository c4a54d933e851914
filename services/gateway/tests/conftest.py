"""A gateway wired to a fake upstream (httpx.MockTransport) and driven in-process."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from functools import partial

import httpx
import pytest

from services.gateway import api
from services.gateway.app import SPEC
from services.gateway.settings import GatewaySettings
from shared.service import create_app

SECRET = "x" * 64
Upstream = Callable[[httpx.Request], httpx.Response]


def settings(**overrides) -> GatewaySettings:
    values = dict(service="gateway", demo=True, jwt_secret=SECRET) | overrides
    return GatewaySettings(**values)


@asynccontextmanager
async def running(upstream: Upstream, **overrides) -> AsyncIterator[httpx.AsyncClient]:
    spec = replace(SPEC, routes=partial(api.routes, transport=httpx.MockTransport(upstream)))
    app = create_app(spec, settings(**overrides))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            yield client


async def login(client: httpx.AsyncClient, username: str, password: str = "demo") -> dict:
    answer = await client.post("/api/v1/auth/token",
                               json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture
def calls() -> list[httpx.Request]:
    return []


@pytest.fixture
def echo(calls: list[httpx.Request]) -> Upstream:
    """An upstream that records each request and answers 200 with what it saw."""

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={"path": request.url.path})

    return handle
