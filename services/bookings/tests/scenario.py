"""Bookings on a real, migrated store without Kafka: the relay is off, so every event the
commands cause stays in the outbox for the tests to read."""

import asyncio
import json
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID, uuid4

from sqlalchemy import select

from services.bookings import catalogue
from services.bookings.app import SPEC
from services.bookings.domain import first_open_day
from services.bookings.settings import BookingsSettings
from services.bookings.store import Offering, Session, messaging
from shared.contracts.common import Group
from shared.domain import AMSTERDAM
from shared.http import Caller
from shared.seed import CLOSED_PERIODS
from shared.service import Runtime
from shared.store.migrations import upgrade

BACKOFFICE = Caller(actor="planner", role="backoffice", organisation="backoffice")


def school(organisation: str = "corlaer") -> Caller:
    return Caller(actor=f"teacher@{organisation}", role="school", organisation=organisation)


def group(students: int, name: str = "3B") -> Group:
    return Group(name=name, level="vmbo-kb", year=3, students=students)


async def migrated_runtime(database_url: str) -> Runtime:
    # Alembic runs its own event loop: give it a thread of its own.
    await asyncio.to_thread(upgrade, "bookings", database_url)
    settings = BookingsSettings(service="bookings", database_url=database_url, outbox_relay=False)
    return Runtime(SPEC, settings)


async def new_offering(
    rt: Runtime, equipment: tuple[str, ...] = (), audience: tuple[str, ...] = ("vmbo-kb",)
) -> str:
    offering = Offering(
        id=f"robotica-{uuid4().hex[:8]}",
        kind="inspiration_lesson",
        title="Inspiratieles Robotica",
        audience=list(audience),
        profile="PIE",
        location="Hotspot Amersfoort",
        equipment=list(equipment),
    )
    await catalogue.publish_offering(rt, BACKOFFICE, offering, [])
    return offering.id


async def plan_session(
    rt: Runtime,
    capacity: int,
    equipment: tuple[str, ...] = (),
    audience: tuple[str, ...] = ("vmbo-kb",),
) -> UUID:
    offering_id = await new_offering(rt, equipment, audience)
    # A room and instructor of its own, so sessions of one test never clash.
    session = await catalogue.plan_session(
        rt,
        BACKOFFICE,
        offering_id,
        *two_hours_on_an_open_day(),
        f"Lab {offering_id}",
        f"Instructeur {offering_id}",
        capacity,
    )
    return session.id


def at_ten(day: date) -> datetime:
    """Ten o'clock in Amsterdam on `day`, in UTC."""
    return datetime.combine(day, time(10), AMSTERDAM).astimezone(UTC)


def two_hours_on_an_open_day(days_ahead: int = 14) -> tuple[datetime, datetime]:
    """9:00-11:00 UTC on the first day `days_ahead` days from now or later that is open in
    the seeded calendar (stores without the seed are open on every weekday)."""
    day = first_open_day((datetime.now(UTC) + timedelta(days=days_ahead)).date(), CLOSED_PERIODS)
    starts = datetime.combine(day, time(9), UTC)
    return starts, starts + timedelta(hours=2)


async def seats_taken(rt: Runtime, session_id: UUID) -> int:
    async with rt.db.sessions() as tx:
        taken = await tx.scalar(select(Session.seats_taken).where(Session.id == session_id))
        assert taken is not None, f"no session {session_id}"
        return taken


async def staged(rt: Runtime, verb: str, aggregate: str = "booking") -> list[dict]:
    """Payloads of the staged booking events `verb` (confirmed, waitlisted, ...), or those of
    another aggregate (session), in order."""
    outbox = messaging.outbox
    async with rt.db.sessions() as tx:
        rows = await tx.scalars(
            select(outbox.c.payload)
            .where(outbox.c.event_type.like(f"nl.tisfortech.bookings.{aggregate}.{verb}.v%"))
            .order_by(outbox.c.seq)
        )
        return [json.loads(row) for row in rows]
