"""Forwarded headers are believed only from the proxies the settings name, on the real
server the services run on (uvicorn, as `serve` configures it)."""

import asyncio
import socket

import httpx
import pytest
import uvicorn

from shared.service import server_config
from shared.settings import ServiceSettings


async def _client_address(scope, receive, send):
    """An app answering with the address the server says the caller has."""
    address = (scope.get("client") or ("?",))[0]
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": address.encode()})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _address_seen(trusted: list[str]) -> str:
    settings = ServiceSettings(http_port=_free_port(), trusted_proxies=trusted)
    server = uvicorn.Server(server_config(_client_address, settings))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 - uvicorn has no started event
            await asyncio.sleep(0.01)
        async with httpx.AsyncClient() as http:
            answer = await http.get(
                f"http://127.0.0.1:{settings.http_port}/",
                headers={"X-Forwarded-For": "203.0.113.7"},
            )
        return answer.text
    finally:
        server.should_exit = True
        await serving


@pytest.mark.parametrize(
    ("trusted", "seen"),
    [
        ([], "127.0.0.1"),  # the default: a local caller cannot claim another address
        (["127.0.0.1"], "203.0.113.7"),  # a configured proxy's word is taken
    ],
)
async def test_forwarded_for_counts_only_from_a_trusted_proxy(trusted, seen):
    assert await _address_seen(trusted) == seen
