"""Registrations on a real, migrated store without Kafka: the service's runtime without its
relay (`shared.tests.runtime`), so every event the use cases cause stays in the outbox for
tests to read."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import select

from services.events import demo
from services.events.app import SPEC
from services.events.store import Event, EventSession
from shared.contracts.common import Group
from shared.http import Caller
from shared.service import Runtime
from shared.tests import runtime

BACKOFFICE = Caller(actor="host@hotspot", role="backoffice", organisation="backoffice")
NOW = datetime(2027, 1, 10, 9, tzinfo=UTC)


def school(organisation: str = "corlaer") -> Caller:
    return Caller(actor=f"teacher@{organisation}", role="school", organisation=organisation)


def group(students: int, name: str = "3B", level: str = "vmbo-kb") -> Group:
    return Group(name=name, level=level, year=3, students=students)


async def migrated_runtime(database_url: str) -> Runtime:
    return await runtime.migrated_runtime(SPEC, database_url)


async def plan_session(
    rt: Runtime,
    capacity: int,
    event_id: str | None = None,
    audience: tuple[str, ...] = ("vmbo-kb",),
) -> UUID:
    """A session of a new event in a week's time, open for registration at NOW."""
    event_id = event_id or f"girls-day-{uuid4().hex[:8]}"
    starts = NOW + timedelta(days=7)
    await demo.schedule(
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
    await demo.plan_sessions(rt, [session])
    return session.id


async def schedule_meeting(rt: Runtime, capacity: int, now: datetime = NOW) -> str:
    """An annual meeting a week after `now`, for the region's partners (adults)."""
    event_id = f"jaarvergadering-{uuid4().hex[:8]}"
    starts = now + timedelta(days=7)
    await demo.schedule(
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


async def seats_taken(rt: Runtime, session_id: UUID) -> int:
    async with rt.db.sessions() as tx:
        return await tx.scalar(
            select(EventSession.seats_taken).where(EventSession.id == session_id)
        )


async def staged(rt: Runtime, verb: str, aggregate: str = "registration") -> list[dict]:
    """Payloads of the staged events `aggregate`.`verb` (registration.confirmed, ...), in order."""
    return await runtime.staged(rt, f"nl.tisfortech.events.{aggregate}.{verb}.v1")
