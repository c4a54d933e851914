"""A gateway wired to fake upstreams (real local HTTP servers) and driven in-process.

Each service gets its own aiohttp server on 127.0.0.1 (an ephemeral port). Its handler hands
the fake an `httpx.Request` as the service would have seen it at its configured address
(the `GatewaySettings` default), so tests can tell which service a route reached. The fake
directory answers the gateway's own questions (sign-in, is a person active) for the demo
people with the password `demo`, and hands every other call to the test's upstream.
"""

import asyncio
import json
import tempfile
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
import jwt
import pytest
import sqlalchemy
from aiohttp import web
from aiohttp.test_utils import TestServer

from services.directory.demo import DEMO_PEOPLE
from services.gateway.app import app as gateway_app
from services.gateway.settings import GatewaySettings
from services.gateway.store import metadata
from shared.http import Caller

AUDIT_PATH = Path(tempfile.mkdtemp(prefix="tft-gateway-audit-")) / "audit.jsonl"
Upstream = Callable[[httpx.Request], httpx.Response]
# Framing headers aiohttp sets itself from the body it sends.
_FRAMING = {"content-length", "transfer-encoding", "connection"}


DEMO = {p.username: p for p in DEMO_PEOPLE}


def settings(**overrides) -> GatewaySettings:
    values = dict(service="gateway", demo=True, audit_path=AUDIT_PATH) | overrides
    if "database_url" not in values:
        values["database_url"] = edge_store()
    return GatewaySettings(**values)


def directory(upstream: Upstream, inactive: set[str]) -> Upstream:
    """The directory's answers to the gateway: demo people, active unless in `inactive`."""

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST" and path == "/sign-in":
            body = json.loads(request.content)
            who = DEMO.get(body["username"])
            if who is None or who.username in inactive or body["password"] != "demo":
                return httpx.Response(401, json={"title": "Unauthenticated", "status": 401})
            return httpx.Response(200, json=_claims(who.username))
        if request.method == "GET" and path.startswith("/people/") and path.endswith("/standing"):
            subject = path.split("/")[2]
            if subject not in DEMO:
                return httpx.Response(404, json={"title": "Not found", "status": 404})
            return httpx.Response(200, json=_claims(subject) | {"active": subject not in inactive})
        return upstream(request)

    return handle


def _claims(username: str) -> dict[str, str]:
    who = DEMO[username]
    return {"subject": who.username, "role": who.role, "organisation": who.organisation_id}


def edge_store() -> str:
    """A gateway store of its own: a SQLite file with the gateway's tables."""
    path = Path(tempfile.mkdtemp(prefix="tft-gateway-")) / "gateway.db"
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    engine.dispose()
    return f"sqlite+aiosqlite:///{path}"


@asynccontextmanager
async def running(
    upstream: Upstream,
    inactive: set[str] | None = None,
    replicas: Mapping[str, int] | None = None,
    servers: dict[str, list[TestServer]] | None = None,
    **overrides,
) -> AsyncIterator[httpx.AsyncClient]:
    """`inactive`: demo people the fake directory calls deactivated (the test may add some);
    `replicas`: fake processes per service (1), replica r seen at the address's port plus
    10 x (r - 1), as `make up` lays them out; `servers`: filled with each service's fakes,
    for a test to stop one; `database_url`: the gateway's store (by default a new one)."""
    overrides.setdefault("database_url", edge_store())
    nominal = settings(**overrides)
    inactive = set() if inactive is None else inactive
    servers = {} if servers is None else servers
    stopping = asyncio.Event()
    async with AsyncExitStack() as stack:
        stack.callback(stopping.set)  # runs first on exit: releases handlers still "hanging"
        urls = {}
        for service, [address] in nominal.upstream_urls().items():
            answers = directory(upstream, inactive) if service == "directory" else upstream
            for replica in range(1, (replicas or {}).get(service, 1) + 1):
                seen_at = httpx.URL(address)
                seen_at = seen_at.copy_with(port=(seen_at.port or 80) + 10 * (replica - 1))
                handler = _fake_service(
                    answers, str(seen_at), nominal.upstream_timeout_seconds, stopping
                )
                app = web.Application()
                app.router.add_route("*", "/{tail:.*}", handler)
                server = TestServer(app, host="127.0.0.1", port=0)
                await server.start_server()
                stack.push_async_callback(server.close)
                servers.setdefault(service, []).append(server)
            urls[f"{service}_url"] = ",".join(str(s.make_url("/")) for s in servers[service])
        app = gateway_app(settings(**overrides | urls))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
                yield client
        stopping.set()


def _fake_service(
    upstream: Upstream, address: str, timeout: float, stopping: asyncio.Event
) -> Callable:
    async def handle(request: web.Request) -> web.StreamResponse:
        seen = httpx.Request(
            request.method,
            address.rstrip("/") + request.path_qs,
            headers=list(request.headers.items()),
            content=await request.read(),
        )
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
    answer = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def sent_caller(request: httpx.Request) -> Caller | None:
    """Who the gateway's token for `request` names (None: the gateway itself). Read, not
    verified: the fakes trust the gateway; test_forwarding proves the tokens verify."""
    token = request.headers["authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    return Caller(claims["sub"], claims["role"], claims["org"]) if "role" in claims else None


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
