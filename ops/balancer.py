"""The local run's front door for a service of several replicas (the gateway, the web front
end): a TCP proxy on the service's public port that hands each connection to the next
replica in turn. A replica that refuses the connection is passed over, and tried last for
the next few seconds, so killing one leaves the URL answering.

    python -m ops.balancer serve --port 8000 --backends 127.0.0.1:8010,127.0.0.1:8020

A connection stays with its replica (HTTP keep-alive included). Production puts a real load
balancer here; this one is for `make up` on one machine.
"""

import argparse
import asyncio
import itertools
import os
import signal
import time
from contextlib import suppress
from pathlib import Path

from ops.procs import REPO, ServiceProcess

# A replica that refused is tried after the others for this long.
PASS_OVER_SECONDS = 2.0
CHUNK = 64 * 1024


class Balancer:
    def __init__(self, backends: list[tuple[str, int]], clock=time.monotonic) -> None:
        self.backends = backends
        self._turns = itertools.count()
        self._refused_at: dict[tuple[str, int], float] = {}
        self._clock = clock

    def in_turn(self) -> list[tuple[str, int]]:
        """Every backend from the next in turn; those that refused lately last."""
        start = next(self._turns) % len(self.backends)
        turn = self.backends[start:] + self.backends[:start]
        now = self._clock()
        return sorted(turn, key=lambda b: now - self._refused_at.get(b, -1e9) < PASS_OVER_SECONDS)

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        for backend in self.in_turn():
            try:
                return await asyncio.open_connection(*backend)
            except OSError:
                self._refused_at[backend] = self._clock()
        return None

    async def handle(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter):
        upstream = await self.connect()
        if upstream is None:  # every replica refused: so does the front door
            client_out.close()
            return
        upstream_in, upstream_out = upstream
        await asyncio.gather(pipe(client_in, upstream_out), pipe(upstream_in, client_out))


async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy until `source` ends or fails, then close `sink` (the other half ends too)."""
    try:
        while chunk := await source.read(CHUNK):
            sink.write(chunk)
            await sink.drain()
    except OSError:
        pass
    finally:
        sink.close()
        with suppress(OSError):
            await sink.wait_closed()


class FrontDoor(ServiceProcess):
    """The balancer of one service as a child process of the local run."""

    def __init__(self, name: str, port: int, backends: list[int], var: Path) -> None:
        super().__init__(
            f"{name}-lb",
            port,
            {
                "TFT_BALANCER_PORT": str(port),
                "TFT_BALANCER_BACKENDS": ",".join(f"127.0.0.1:{p}" for p in backends),
            },
            var / "log" / f"{name}-lb.log",
            var / "run",
            cwd=REPO,
        )

    @property
    def marker(self) -> str:
        return "ops.balancer"


def parse_backends(text: str) -> list[tuple[str, int]]:
    hosts = [item.strip().rsplit(":", 1) for item in text.split(",") if item.strip()]
    return [(host, int(port)) for host, port in hosts]


async def serve(port: int, backends: list[tuple[str, int]]) -> None:
    balancer = Balancer(backends)
    server = await asyncio.start_server(balancer.handle, "127.0.0.1", port)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print(f"balancing 127.0.0.1:{port} over {backends}", flush=True)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m ops.balancer", description=__doc__)
    parser.add_argument("command", choices=["serve"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("TFT_BALANCER_PORT", 0)))
    parser.add_argument("--backends", default=os.environ.get("TFT_BALANCER_BACKENDS", ""))
    args = parser.parse_args()
    backends = parse_backends(args.backends)
    if not args.port or not backends:
        parser.error("--port and --backends (or TFT_BALANCER_PORT, TFT_BALANCER_BACKENDS)")
    with suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, backends))


if __name__ == "__main__":
    main()
