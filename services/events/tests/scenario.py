"""Registrations on a real, migrated store without Kafka: a minimal runtime (store and
outbox, no relay), so every event the use cases cause stays in the outbox for tests to read."""

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import select

from services.events import commands
from services.events.store import Event, EventSession, messaging
from shared.clock import SYSTEM_CLOCK, Clock
from shared.contracts.common import Group
from shared.http import Caller
from shared.messaging.outbox import Outbox
from shared.store.db import Database, create_engine
from shared.store.migrations import upgrade

BACKOFFICE = Caller(actor="host@hotspot", role="backoffice", organisation="backoffice")
NOW = datetime(2027, 1, 10, 9, tzinfo=UTC)


@dataclass
class MinimalRuntime:
    """What the use cases touch of a `Runtime`."""

    db: Database
    outbox: Outbox
    clock: Clock = SYSTEM_CLOCK


def school(organisation: str = "corlaer") -> Caller:
    return Caller(actor=f"teacher@{organisation}", role="school", organisation=organisation)


def group(students: int, name: str = "3B", level: str = "vmbo-kb") -> Group:
    return Group(name=name, level=level, year=3, students=students)


async def migrated_runtime(database_url: str) -> MinimalRuntime:
    # Alembic runs its own event loop: give it a thread of its own.
    await asyncio.to_thread(upgrade, "events", database_url)
    return MinimalRuntime(
        Database(create_engine(database_url)), Outbox(messaging.outbox, source="/tft/events")
    )


async def plan_session(
    rt: MinimalRuntime,
    capacity: int,
    event_id: str | None = None,
    audience: tuple[str, ...] = ("vmbo-kb",),
) -> UUID:
    """A session of a new event in a week's time, open for registration at NOW."""
    event_id = event_id or f"girls-day-{uuid4().hex[:8]}"
    starts = NOW + timedelta(days=7)
    await commands.schedule(
        rt,
        [
            Event(
                id=event_id,
                title="Girls Day",
                description="",
                starts_at=starts,
                ends_at=starts + timedelta(hours=6),
                audience=list(audience),
                capacity=capacity,
                location="Hotspot T is for Tech",
            )
        ],
    )
    session = EventSession(
        id=uuid4(),
        event_id=event_id,
        title="Solderen",
        host_kind="company",
        host="voorbeeld-bouw",
        host_name="Voorbeeld Bouw BV",
        capacity=capacity,
        seats_taken=0,
        audience=list(audience),
        opens_at=NOW - timedelta(days=30),
        closes_at=NOW + timedelta(days=5),
    )
    await commands.plan_sessions(rt, [session])
    return session.id


async def schedule_meeting(rt: MinimalRuntime, capacity: int, now: datetime = NOW) -> str:
    """An annual meeting a week after `now`, for the region's partners (adults)."""
    event_id = f"jaarvergadering-{uuid4().hex[:8]}"
    starts = now + timedelta(days=7)
    await commands.schedule(
        rt,
        [
            Event(
                id=event_id,
                title="T is for Tech jaarvergadering",
                description="",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                audience=["partners"],
                capacity=capacity,
                location="Hotspot T is for Tech",
            )
        ],
    )
    return event_id


def person(
    actor: str = "anna@voorbeeld-bouw", role: str = "company", organisation: str = "voorbeeld-bouw"
) -> Caller:
    return Caller(actor=actor, role=role, organisation=organisation)


async def seats_taken(rt: MinimalRuntime, session_id: UUID) -> int:
    async with rt.db.sessions() as tx:
        return await tx.scalar(
            select(EventSession.seats_taken).where(EventSession.id == session_id)
        )


async def staged(rt: MinimalRuntime, verb: str, aggregate: str = "registration") -> list[dict]:
    """Payloads of the staged events `aggregate`.`verb` (registration.confirmed, ...), in order."""
    outbox = messaging.outbox
    async with rt.db.sessions() as tx:
        rows = await tx.scalars(
            select(outbox.c.payload)
            .where(outbox.c.event_type == f"nl.tisfortech.events.{aggregate}.{verb}.v1")
            .order_by(outbox.c.seq)
        )
        return [json.loads(row) for row in rows]
