"""Booking confirmations per second through the equipment saga, on the running platform.

A booking of an offer that needs equipment is `requested` until loans has reserved a kit
for its session (SessionEquipmentRequestedV1 -> loans -> SessionEquipmentReservedV1 ->
bookings confirms): the
figure counts bookings confirmed from the first request to the last answer. The baseline is
the plain booking of an offer without equipment, confirmed in the request itself, booked the
same way in the same run. Each booking takes a session of its own, and four rooms share a
day, so the four 3D printers the seed lends suffice for every booking on every day.
"""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from itertools import count
from uuid import uuid4

import httpx

from tests.harness import Platform

ROOMS_PER_DAY = 4  # one 3D printer each (the seed has four)
DAYS_PER_SERIES = 60  # the series API's largest count
DAYS = 360
SAGA_SCHOOL, PLAIN_SCHOOL = "lodenstein", "element"


def offering(platform: Platform, equipment: list[str]) -> str:
    response = httpx.post(
        f"{platform.gateway}/offerings",
        headers=platform.token("backoffice"),
        json={
            "id": f"bench-{uuid4().hex[:8]}",
            "kind": "inspiration_lesson",
            "title": "Inspiratieles benchmark",
            "audience": ["vmbo-kb"],
            "equipment": equipment,
        },
    )
    response.raise_for_status()
    return response.json()["id"]


def sessions(platform: Platform, offering_id: str, label: str) -> list[str]:
    """Session ids, ROOMS_PER_DAY on each open day from 60 days ahead (closed days are
    skipped by the series planning), ordered day by day."""
    first = (datetime.now(UTC) + timedelta(days=60)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    planned: list[tuple[str, str]] = []
    with httpx.Client(timeout=60) as client:
        for start in range(0, DAYS, DAYS_PER_SERIES):
            for room in range(ROOMS_PER_DAY):
                response = client.post(
                    f"{platform.gateway}/offerings/{offering_id}/series",
                    headers=platform.token("backoffice"),
                    json={
                        "first_starts_at": (first + timedelta(days=start)).isoformat(),
                        "minutes": 120,
                        "every_days": 1,
                        "count": DAYS_PER_SERIES,
                        # A series skips closed days and runs on past its 60th day: a room
                        # and an instructor per series, so the next one cannot collide.
                        "rooms": [f"Bench {label} {start} {room}"],
                        "instructor": f"Bench {label} {start} {room}",
                        "capacity": 30,
                    },
                )
                if response.is_error:
                    raise RuntimeError(f"planning a bench series: {response.text}")
                planned += [(s["starts_at"], s["id"]) for s in response.json()["sessions"]]
    return [session_id for _, session_id in sorted(planned)]


async def book_all(
    platform: Platform, school: str, session_ids: list[str], clients: int, seconds: float
) -> tuple[int, float, float]:
    """Book one group on each session, `clients` at a time, until `seconds` pass or the
    sessions run out: (bookings made, when the first started, when the last returned)."""
    headers = platform.token(school)
    next_session = iter(session_ids)
    made = count()
    started = time.perf_counter()
    deadline = started + seconds

    async def client(http: httpx.AsyncClient) -> None:
        for session_id in next_session:
            if time.perf_counter() >= deadline:
                return
            response = await http.post(
                f"{platform.gateway}/bookings",
                headers=headers,
                json={
                    "session_id": session_id,
                    "group": {"name": "bench", "level": "vmbo-kb", "year": 3, "students": 1},
                },
            )
            response.raise_for_status()
            next(made)

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    return next(made), started, time.perf_counter()


def statuses(platform: Platform, school: str, status: str, limit: int = 500) -> int:
    """How many of the school's bookings have `status` (paging through the list)."""
    total, offset = 0, 0
    while True:
        page = httpx.get(
            f"{platform.gateway}/bookings",
            headers=platform.token("backoffice"),
            params={"school_id": school, "status": status, "limit": limit, "offset": offset},
            timeout=60,
        )
        page.raise_for_status()
        total += len(page.json())
        if len(page.json()) < limit:
            return total
        offset += limit


def answered_at(platform: Platform, school: str, timeout: float = 300) -> float:
    """When no booking of the school waits for loans' answer any more."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if statuses(platform, school, "requested", limit=1) == 0:
            return time.perf_counter()
        time.sleep(0.1)
    raise TimeoutError(f"bookings of {school} still wait for loans after {timeout}s")


def confirmations(platform: Platform, clients: int = 50, seconds: float = 30.0) -> dict:
    saga_sessions = sessions(platform, offering(platform, ["printer-3d"]), "saga")
    plain_sessions = sessions(platform, offering(platform, []), "plain")

    plain, plain_start, plain_end = asyncio.run(
        book_all(platform, PLAIN_SCHOOL, plain_sessions, clients, seconds)
    )
    booked, saga_start, requests_end = asyncio.run(
        book_all(platform, SAGA_SCHOOL, saga_sessions, clients, seconds)
    )
    saga_end = answered_at(platform, SAGA_SCHOOL)
    confirmed = statuses(platform, SAGA_SCHOOL, "confirmed")

    plain_rate = plain / (plain_end - plain_start)
    saga_rate = confirmed / (saga_end - saga_start)
    return {
        "plain_bookings_per_s": round(plain_rate, 1),
        "saga_confirmations_per_s": round(saga_rate, 1),
        "saga_to_plain_ratio": round(saga_rate / plain_rate, 3),
        "saga_bookings": booked,
        "saga_confirmed": confirmed,
        "saga_rejected": statuses(platform, SAGA_SCHOOL, "rejected"),
        "saga_requests_per_s": round(booked / (requests_end - saga_start), 1),
        # From the last request answered to the last booking confirmed: the saga's tail.
        "saga_drain_s": round(saga_end - requests_end, 2),
    }
