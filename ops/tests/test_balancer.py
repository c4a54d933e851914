"""The local run's balancer, in-process on real sockets: connections take turns over the
backends, pass one that refuses, and are closed when every backend refuses."""

import asyncio

from ops.balancer import Balancer


async def backend(name: bytes) -> asyncio.Server:
    async def answer(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(name)
        await writer.drain()
        writer.close()

    return await asyncio.start_server(answer, "127.0.0.1", 0)


def port(server: asyncio.Server) -> int:
    return server.sockets[0].getsockname()[1]


async def test_connections_take_turns_and_pass_a_backend_that_refuses():
    first, second = await backend(b"first"), await backend(b"second")
    balancer = Balancer([("127.0.0.1", port(first)), ("127.0.0.1", port(second))])
    front = await asyncio.start_server(balancer.handle, "127.0.0.1", 0)

    async def ask() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port(front))
        answer = await reader.read()
        writer.close()
        return answer

    async with front:
        taking_turns = [await ask() for _ in range(4)]
        first.close()  # its port refuses connections from now
        await first.wait_closed()
        passing_over = [await ask() for _ in range(3)]
        second.close()
        await second.wait_closed()
        none_left = await ask()
    assert taking_turns == [b"first", b"second", b"first", b"second"]
    assert passing_over == [b"second"] * 3
    assert none_left == b""
