"""Schemathesis against the gateway's OpenAPI document, the gateway served by uvicorn as in
production, in front of fake upstreams (one local HTTP server answering every service with
`{}`, and the directory's sign-in and standing for the demo people). The gateway's own
answers (validation, guards, edge, auth) are what is checked: no 5xx, and every answer
matches the schema the document gives for its status.
"""

import asyncio
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
import uvicorn
from aiohttp import web
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from services.gateway.app import app
from services.gateway.tests.conftest import directory
from services.gateway.tests.conftest import settings as gateway_settings

EXAMPLES_PER_OPERATION = 5  # ~75 operations: keeps the run under a minute


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _serve(upstream_port: int, server: uvicorn.Server, stop: asyncio.Event) -> None:
    answers = directory(lambda _request: httpx.Response(200, json={}), set())

    async def answer(request: web.Request) -> web.Response:
        given = answers(
            httpx.Request(request.method, str(request.url), content=await request.read())
        )
        return web.Response(
            status=given.status_code, body=given.content, content_type="application/json"
        )

    fake = web.Application()
    fake.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(fake, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", upstream_port).start()
    serving = asyncio.ensure_future(server.serve())
    await stop.wait()
    server.should_exit = True
    await serving
    await runner.cleanup()


@pytest.fixture(scope="module")
def gateway_url() -> Iterator[str]:
    upstream_port, port = free_port(), free_port()
    upstream = f"http://127.0.0.1:{upstream_port}"
    config = gateway_settings(
        **{
            f"{name}_url": upstream
            for name in ("bookings", "loans", "events", "finance", "notify", "directory")
        },
        rate_per_subject=1e6,
        burst_per_subject=10**6,
        rate_per_address=1e6,
        burst_per_address=10**6,
    )
    server = uvicorn.Server(
        uvicorn.Config(app(config), host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    thread = threading.Thread(
        target=loop.run_until_complete, args=(_serve(upstream_port, server, stop),), daemon=True
    )
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the gateway did not start")
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{port}"
    loop.call_soon_threadsafe(stop.set)
    thread.join(timeout=15)


@pytest.fixture(scope="module")
def auth(gateway_url: str) -> dict[str, str]:
    answer = httpx.post(
        f"{gateway_url}/api/v1/auth/token", json={"username": "backoffice", "password": "demo"}
    )
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


# The same document the gateway serves at /api/v1/openapi.json (test_docs checks that).
schema = schemathesis.openapi.from_dict(app(gateway_settings()).openapi())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck)
)
def test_no_server_error_and_every_answer_keeps_the_schema(case, gateway_url, auth):
    case.call_and_validate(
        base_url=gateway_url, headers=auth, checks=[not_a_server_error, response_schema_conformance]
    )
