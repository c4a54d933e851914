"""POST /api/v1/bookings through the gateway by many concurrent clients, on PostgreSQL."""

import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta

import httpx

from tests.harness import Platform

SEATS_PER_SESSION = 1000


async def _sessions(client: httpx.AsyncClient, gateway: str, headers: dict, count: int):
    offering = (await client.get(f"{gateway}/offerings", headers=headers)).json()[0]["id"]
    starts = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    ids = []
    for day in range(count):
        begin = starts + timedelta(days=30 + day)
        response = await client.post(
            f"{gateway}/offerings/{offering}/sessions", headers=headers,
            json={"starts_at": begin.isoformat(),
                  "ends_at": (begin + timedelta(hours=2)).isoformat(),
                  "room": f"Bench {day}", "instructor": "Bench", "capacity": SEATS_PER_SESSION})
        response.raise_for_status()
        ids.append(response.json()["id"])
    return ids


async def bookings(platform: Platform, clients: int = 50, seconds: float = 30.0) -> dict:
    gateway = platform.gateway
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        # Schools book different sessions, as they do: each client its own session, whose
        # seats outlast the run.
        sessions = await _sessions(client, gateway, platform.token("backoffice"), clients)
        school = platform.token("corlaer")
        latencies: list[float] = []
        errors = 0
        deadline = time.perf_counter() + seconds

        async def one_client(n: int):
            nonlocal errors
            body = {"session_id": sessions[n],
                    "group": {"name": "bench", "level": "vmbo-kb", "year": 3, "students": 1}}
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                response = await client.post(f"{gateway}/bookings", headers=school, json=body)
                latencies.append(time.perf_counter() - began)
                errors += response.status_code != 201

        started = time.perf_counter()
        await asyncio.gather(*(one_client(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    ok = len(latencies) - errors
    return {
        "gateway_bookings_per_s": round(ok / elapsed, 1),
        "gateway_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "gateway_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "gateway_errors": errors,
    }
