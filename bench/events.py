"""Registrations at the opening of a popular event, through the gateway, on PostgreSQL.

Registration opens and every hard-tech school (the five demo school accounts, shared by
`clients` concurrent connections) registers classes for the event's workshops at once:
each request one class of 25 students, round robin over the workshops. Most find a full
workshop and join its waiting list, as at a real opening. Afterwards the store is asked
how many classes ended confirmed and waitlisted: the confirmed students must equal the
workshops' capacity. Baseline in the same run: GET of the event through the gateway.
Load from wrk (bench/wrk.py).
"""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sqlalchemy import func, select

from bench import wrk
from bench.profile import cpu_ms_per_request, profiled
from services.events import demo
from services.events.app import SPEC
from services.events.store import Event, EventSession, Registration
from shared.seed import HARD_TECH_SCHOOL_IDS
from shared.service import Runtime
from shared.settings import ServiceSettings
from shared.store.db import Database, create_engine
from tests.harness import Platform

WORKSHOPS = 10
SEATS_PER_WORKSHOP = 250
CLASS_SIZE = 25  # a divisor of the seats: a full workshop has no seats left over

# `request` picks the next school's token and workshop.
LUA = """
local tokens = {%(tokens)s}
local sessions = {%(sessions)s}
local i = 0
request = function()
  i = i + 1
  local headers = {["Content-Type"] = "application/json",
                   ["Authorization"] = tokens[(i %% #tokens) + 1]}
  local body = '{"session_id":"' .. sessions[(i %% #sessions) + 1] ..
    '","group":{"name":"3B","level":"vmbo-kb","year":3,"students":%(class_size)d}}'
  return wrk.format("%(method)s", nil, headers, %(body)s)
end
"""


def _store(platform: Platform) -> Database:
    return Database(create_engine(platform.database_url("events")))


async def _plan_popular_event(platform: Platform) -> tuple[str, list[str]]:
    """An event whose registration opens now, with its workshops (the backoffice's seed)."""
    now = datetime.now(UTC)
    starts = (now + timedelta(days=60)).replace(hour=8, minute=0, second=0, microsecond=0)
    event_id = f"techevent-bench-{uuid4().hex[:8]}"
    # The events service's own runtime on its store, not started: the use cases stage
    # their events in its outbox, which the running service's relay publishes.
    rt = Runtime(
        SPEC, ServiceSettings(service="events", database_url=platform.database_url("events"))
    )
    try:
        await demo.schedule(
            rt,
            [
                Event(
                    id=event_id,
                    title="Techevent",
                    description="",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=6),
                    audience=["vmbo-kb"],
                    capacity=WORKSHOPS * SEATS_PER_WORKSHOP,
                    location="Amersfoort",
                )
            ],
        )
        workshops = [
            EventSession(
                id=uuid4(),
                event_id=event_id,
                title=f"Workshop {n}",
                host_kind="company",
                host="voorbeeld-bouw",
                host_name="Voorbeeld Bouw BV",
                capacity=SEATS_PER_WORKSHOP,
                seats_taken=0,
                audience=["vmbo-kb"],
                opens_at=now - timedelta(minutes=1),
                closes_at=starts - timedelta(days=7),
            )
            for n in range(WORKSHOPS)
        ]
        await demo.plan_sessions(rt, workshops)
    finally:
        await rt.db.dispose()
    return event_id, [str(w.id) for w in workshops]


async def _outcome(platform: Platform, event_id: str) -> dict:
    db = _store(platform)
    try:
        async with db.sessions() as tx:
            by_status = dict(
                (
                    await tx.execute(
                        select(Registration.status, func.count())
                        .where(Registration.event_id == event_id)
                        .group_by(Registration.status)
                    )
                ).all()
            )
            confirmed_students = await tx.scalar(
                select(func.coalesce(func.sum(Registration.students), 0)).where(
                    Registration.event_id == event_id, Registration.status == "confirmed"
                )
            )
            capacity = await tx.scalar(
                select(func.sum(EventSession.capacity)).where(EventSession.event_id == event_id)
            )
    finally:
        await db.dispose()
    return {
        "confirmed": by_status.get("confirmed", 0),
        "waitlisted": by_status.get("waitlisted", 0),
        "confirmed_students": confirmed_students,
        "capacity": capacity,
    }


def registrations(platform: Platform, clients: int = 50, seconds: float = 30.0) -> dict:
    event_id, sessions = asyncio.run(_plan_popular_event(platform))
    tokens = ",".join(f'"{platform.token(s)["Authorization"]}"' for s in HARD_TECH_SCHOOL_IDS)
    common = {
        "tokens": tokens,
        "sessions": ",".join(f'"{s}"' for s in sessions),
        "class_size": CLASS_SIZE,
    }
    with profiled("events_registrations") as used:
        opening = wrk.run(
            f"{platform.gateway}/registrations",
            clients,
            seconds,
            LUA % (common | {"method": "POST", "body": "body"}),
        )
    baseline = wrk.run(
        f"{platform.gateway}/events/{event_id}",
        clients,
        seconds,
        LUA % (common | {"method": "GET", "body": "nil"}),
    )
    outcome = asyncio.run(_outcome(platform, event_id))
    return {
        **wrk.summary("events_registrations", opening),
        **cpu_ms_per_request(
            "events_registrations",
            used,
            opening["requests"],
            ("gateway", "events", "kafka", "postgres"),
        ),
        **wrk.summary("events_get_event", baseline),
        "events_confirmed": outcome["confirmed"],
        "events_waitlisted": outcome["waitlisted"],
        "events_confirmed_students": outcome["confirmed_students"],
        "events_capacity": outcome["capacity"],
    }
