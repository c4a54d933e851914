"""A gateway wired to fake upstreams (real local HTTP servers) and driven in-process.

Each service gets its own aiohttp server on 127.0.0.1 (an ephemeral port). Its handler hands
the fake an `httpx.Request` as the service would have seen it at its configured address
(the `GatewaySettings` default), so tests can tell which service a route reached.
"""

import asyncio
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from services.gateway.app import app as gateway_app
from services.gateway.settings import GatewaySettings

AUDIT_PATH = Path(tempfile.mkdtemp(prefix="tft-gateway-audit-")) / "audit.jsonl"
Upstream = Callable[[httpx.Request], httpx.Response]
# Framing headers aiohttp sets itself from the body it sends.
_FRAMING = {"content-length", "transfer-encoding", "connection"}


def settings(**overrides) -> GatewaySettings:
    # The cheapest argon2 the settings allow: tests log in hundreds of times.
    values = dict(service="gateway", demo=True, audit_path=AUDIT_PATH,
                  password_hash_time_cost=1, password_hash_memory_kib=8 * 1024,
                  password_hash_parallelism=1) | overrides
    return GatewaySettings(**values)


@asynccontextmanager
async def running(upstream: Upstream, **overrides) -> AsyncIterator[httpx.AsyncClient]:
    nominal = settings(**overrides)
    stopping = asyncio.Event()
    async with AsyncExitStack() as stack:
        stack.callback(stopping.set)  # runs first on exit: releases handlers still "hanging"
        urls = {}
        for service, address in nominal.upstream_urls().items():
            handler = _fake_service(upstream, address, nominal.upstream_timeout_seconds,
                                    stopping)
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", handler)
            server = TestServer(app, host="127.0.0.1", port=0)
            await server.start_server()
            stack.push_async_callback(server.close)
            urls[f"{service}_url"] = str(server.make_url("/"))
        app = gateway_app(settings(**overrides | urls))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
                yield client
        stopping.set()


def _fake_service(upstream: Upstream, address: str, timeout: float,
                  stopping: asyncio.Event) -> Callable:
    async def handle(request: web.Request) -> web.StreamResponse:
        seen = httpx.Request(request.method, address.rstrip("/") + request.path_qs,
                             headers=list(request.headers.items()),
                             content=await request.read())
        try:
            answer = upstream(seen)
        except httpx.ConnectError:
            # Drop the connection without answering: the gateway sees it reset.
            assert request.transport is not None
            request.transport.close()
            raise
        except httpx.ReadTimeout:
            # Answer later than the gateway waits (or until the test ends).
            try:
                await asyncio.wait_for(stopping.wait(), timeout + 2)
            except TimeoutError:
                pass
            raise
        headers = [(k, v) for k, v in answer.headers.multi_items() if k.lower() not in _FRAMING]
        return web.Response(status=answer.status_code, headers=headers, body=answer.content)

    return handle


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
