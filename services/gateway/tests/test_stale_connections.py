"""Pooled keep-alive connections a service closed, against a real local HTTP server.

The server answers the first request on a connection and keeps it open; when the next
request arrives on it, it closes the connection unread, as a service does whose idle timer
fired just then (the "Can not write request body" 503 seen under load)."""

import asyncio
import json
import socket
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from services.gateway.auth import TokenService
from services.gateway.keys import SigningKey
from services.gateway.upstream import Upstreams


class ClosingServer:
    """Counts the requests it read; `answer=False` reads a request and hangs up instead."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.read: list[tuple[str, bytes]] = []

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request_line = await reader.readline()
        headers = await reader.readuntil(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":")[1])
                for line in headers.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        body = await reader.readexactly(length)
        self.read.append((request_line.decode().split()[0], body))
        if not self.answer:
            writer.close()
            return
        content = json.dumps({"read": len(self.read)}).encode()
        writer.write(
            b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: keep-alive\r\n\r\n%s" % (len(content), content)
        )
        await writer.drain()
        await reader.read(1)  # the next request on this connection: close it unread
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.close()


@asynccontextmanager
async def bookings(server: ClosingServer) -> AsyncIterator[Upstreams]:
    listening = await asyncio.start_server(server.serve, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    upstreams = Upstreams(
        {"bookings": f"http://127.0.0.1:{port}"},
        timeout_seconds=5,
        tokens=TokenService(SigningKey.generate(), 60),
    )
    try:
        async with upstreams.lifespan(None):
            yield upstreams
    finally:
        listening.close()


async def test_a_post_on_a_pooled_connection_the_service_closed_goes_out_once_more():
    server = ClosingServer()
    async with bookings(server) as upstreams:
        first = await upstreams.forward("bookings", "POST", "/offerings", None, body={"n": 1})
        second = await upstreams.forward("bookings", "POST", "/offerings", None, body={"n": 2})
    assert (first.status_code, second.status_code) == (201, 201)
    assert json.loads(second.body) == {"read": 2}
    assert server.read == [("POST", b'{"n": 1}'), ("POST", b'{"n": 2}')]


async def test_a_post_the_service_read_is_not_repeated():
    server = ClosingServer(answer=False)
    async with bookings(server) as upstreams:
        answer = await upstreams.forward("bookings", "POST", "/offerings", None, body={"n": 1})
    assert answer.status_code == 503
    assert json.loads(answer.body)["service"] == "bookings"
    assert server.read == [("POST", b'{"n": 1}')]
