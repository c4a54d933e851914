"""The ceilings the platform's figures are divided by, measured in the same run (issue 16).

- HTTP: `bench/hello.py`, a hello-world app served as the services are, loaded by wrk as
  the services are: no endpoint can be faster.
- Store: a booking's own SQL (take a seat on the session under its row lock, insert the
  booking and its outbox row, in one transaction) straight through asyncpg by `clients`
  connections: no booking can be faster.
"""

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import asyncpg

from bench import wrk
from bench.profile import cpu_seconds
from ops.postgres import PostgresCluster
from ops.procs import ServiceProcess
from shared.store.migrations import upgrade

# A seat taken (the conditional UPDATE locks the row, checks and counts in one statement),
# the booking, its outbox row: what commands.book must write at the least.
TAKE_SEAT = """UPDATE sessions SET seats_taken = seats_taken + $2
               WHERE id = $1 AND seats_taken + $2 <= capacity RETURNING id"""
INSERT_BOOKING = """INSERT INTO bookings (id, session_id, school_id, group_name, level, year,
                    students, status, cancelled_late, booked_by, created_at, updated_at)
                    VALUES ($1, $2, 'corlaer', 'bench', 'vmbo-kb', 3, 1, 'confirmed', false,
                    'corlaer', $3, $3)"""
INSERT_OUTBOX = """INSERT INTO outbox (event_id, topic, key, event_type, payload, headers,
                   created_at) VALUES ($1, 'tft.bookings.booking', $2,
                   'nl.tisfortech.bookings.booking.confirmed.v1', $3, '[]', $4)"""
PAYLOAD = json.dumps(
    {
        "booking_id": "",
        "school_id": "corlaer",
        "group": {"name": "bench", "level": "vmbo-kb", "year": 3, "students": 1},
        "padding": "x" * 400,
    }
)


def http(port: int, home: Path, clients: int, seconds: float) -> dict:
    """wrk on the hello-world app, as the HTTP benches load the services."""
    hello = ServiceProcess(
        "hello",
        port,
        {"TFT_HTTP_PORT": str(port)},
        home / "hello.log",
        home / "run",
        module="bench.hello",
    )
    hello.start()
    try:
        hello.wait_ready(timeout=60)
        assert hello.pid is not None
        before = cpu_seconds(hello.pid)
        figures = wrk.run(f"http://127.0.0.1:{port}/hello", clients, seconds)
        used = cpu_seconds(hello.pid) - before
        return {
            **wrk.summary("hello", figures),
            "hello_cpu_ms": round(1000 * used / max(figures["requests"], 1), 3),
        }
    finally:
        hello.stop()


def store(postgres: PostgresCluster, clients: int, seconds: float) -> dict:
    """Bookings per second of the booking's SQL alone, on the bookings service's schema."""
    postgres.drop_database("bench_store")
    postgres.create_database("bench_store")
    upgrade("bookings", postgres.url("bench_store"))
    return asyncio.run(
        _store(postgres.url("bench_store").replace("+asyncpg", ""), clients, seconds)
    )


async def _store(dsn: str, clients: int, seconds: float) -> dict:
    pool = await asyncpg.create_pool(dsn, min_size=clients, max_size=clients)
    sessions = await _plan(pool, clients)
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(session_id) -> None:
        while (started := time.perf_counter()) < deadline:
            async with pool.acquire() as conn, conn.transaction():
                now = datetime.now(UTC)
                await conn.fetchval(TAKE_SEAT, session_id, 1)
                booking = uuid4()
                await conn.execute(INSERT_BOOKING, booking, session_id, now)
                await conn.execute(INSERT_OUTBOX, str(uuid4()), str(booking), PAYLOAD, now)
            latencies.append(time.perf_counter() - started)

    begun, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(client(sessions[i % len(sessions)]) for i in range(clients)))
    elapsed, cpu = time.perf_counter() - begun, time.process_time() - cpu
    await pool.close()
    latencies.sort()
    return {
        "store_bookings_per_s": round(len(latencies) / elapsed, 1),
        "store_bookings_p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "store_bookings_p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
        # The client's CPU per booking: asyncpg's share, beside the service's.
        "store_bookings_cpu_ms": round(1000 * cpu / max(len(latencies), 1), 3),
    }


async def _plan(pool: asyncpg.Pool, count: int) -> list:
    """One offer and `count` sessions with seats for the whole run, one per client, as the
    gateway bench books a session per client."""
    await pool.execute("""INSERT INTO offerings (id, kind, title, audience, location, equipment)
                          VALUES ('bench', 'inspiration_lesson', 'Bench', '["vmbo-kb"]',
                                  'Hotspot', '[]')""")
    starts = datetime.now(UTC) + timedelta(days=30)
    ids = [uuid4() for _ in range(count)]
    await pool.executemany(
        """INSERT INTO sessions (id, offering_id, starts_at, ends_at, room, instructor,
                                 capacity, seats_taken) VALUES ($1, 'bench', $2, $3, $4, $4,
                                 1000000, 0)""",
        [
            (i, starts + timedelta(hours=3 * n), starts + timedelta(hours=3 * n + 2), f"Room {n}")
            for n, i in enumerate(ids)
        ],
    )
    return ids
