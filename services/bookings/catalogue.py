"""The hotspot's offer: offerings and their sessions, kept by the backoffice."""

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import NamedTuple
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.bookings import domain
from services.bookings.domain import BookingRefused, Slot
from services.bookings.queries import visible_offering
from services.bookings.store import (
    INSTRUCTOR_EXCLUSION,
    ROOM_EXCLUSION,
    Offering,
    Session,
    clashing_session,
    closures_between,
    opened_for_some_school,
)
from shared.contracts.bookings import OfferingPublishedV1
from shared.domain import BACKOFFICE, local_date
from shared.errors import violates_exclusion
from shared.http import Caller
from shared.service import Runtime
from shared.store.locks import take_turns


async def list_offerings(rt: Runtime, limit: int, offset: int) -> list[Offering]:
    async with rt.db.sessions() as tx:
        rows = await tx.scalars(select(Offering).order_by(Offering.id).limit(limit).offset(offset))
        return list(rows)


async def sessions_of(rt: Runtime, caller: Caller, offering_id: str) -> list[Session]:
    async with rt.db.sessions() as tx:
        visible_offering(caller, await tx.get(Offering, offering_id))
        rows = await tx.scalars(
            select(Session)
            .where(Session.offering_id == offering_id, Session.cancelled_at.is_(None))
            .order_by(Session.starts_at)
        )
        return list(rows)


async def publish_offering(
    rt: Runtime, caller: Caller | None, offering: Offering, sessions: list[Session]
) -> None:
    """Add an offering with its sessions (the demo data goes the same way, caller None)."""
    if caller is not None:
        caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        if await tx.get(Offering, offering.id) is not None:
            raise BookingRefused(f"aanbod {offering.id} bestaat al")
        tx.add(offering)
        tx.add_all(sessions)
        await rt.outbox.stage(
            tx,
            OfferingPublishedV1(
                offering_id=offering.id,
                kind=offering.kind,
                title=offering.title,
                audience=offering.audience,
                sessions=len(sessions),
                theme=offering.theme,
            ),
        )


async def plan_session(
    rt: Runtime,
    caller: Caller,
    offering_id: str,
    starts_at: datetime,
    ends_at: datetime,
    room: str,
    instructor: str,
    capacity: int,
) -> Session:
    caller.require(BACKOFFICE)
    if ends_at <= starts_at:
        raise BookingRefused("een sessie eindigt na haar begin", 422)
    slot = Slot(room, instructor, starts_at, ends_at)
    with _clash_refused(slot):
        async with rt.db.transaction() as tx:
            await _approved(tx, offering_id)
            await _take_turns(tx, [room], instructor)
            session = Session(
                id=uuid4(),
                offering_id=offering_id,
                starts_at=starts_at,
                ends_at=ends_at,
                room=room,
                instructor=instructor,
                capacity=capacity,
                seats_taken=0,
            )
            await _place(tx, session, slot)
    return session


class PlannedSeries(NamedTuple):
    series_id: UUID
    sessions: list[Session]
    # (starts_at, why) of each date in the rhythm passed over because the hotspot is closed.
    skipped: list[tuple[datetime, str]]


async def plan_series(
    rt: Runtime,
    caller: Caller,
    offering_id: str,
    first_starts_at: datetime,
    minutes: int,
    every_days: int,
    count: int,
    rooms: list[str],
    instructor: str,
    capacity: int,
) -> PlannedSeries:
    """A recurring series in one transaction, always whole: a date on a closed day moves on
    to the next date in the rhythm (reported), and a room or instructor taken refuses the
    whole series with the reason, so the backoffice never gets a series short of a lesson."""
    caller.require(BACKOFFICE)
    planned = PlannedSeries(uuid4(), [], [])
    async with rt.db.transaction() as tx:
        offering = await _approved(tx, offering_id)
        rooms = domain.series_rooms(offering.kind, count, rooms)
        domain.check_whole_series(offering.kind, offering.sessions_per_booking, rooms)
        await _take_turns(tx, rooms, instructor)
        rhythm = (first_starts_at + timedelta(days=every_days * i) for i in itertools.count())
        for room in rooms:
            for starts in rhythm:
                domain.check_within_horizon(first_starts_at, starts)
                slot = Slot(room, instructor, starts, starts + timedelta(minutes=minutes))
                session = Session(
                    id=uuid4(),
                    offering_id=offering_id,
                    starts_at=starts,
                    ends_at=slot.ends_at,
                    room=room,
                    instructor=instructor,
                    capacity=capacity,
                    seats_taken=0,
                    series_id=planned.series_id,
                )
                try:
                    with _clash_refused(slot):
                        await _place(tx, session, slot)
                except BookingRefused as refused:
                    if refused.extra.get("rule") != "calendar":
                        raise
                    planned.skipped.append((starts, refused.reason))
                    continue
                planned.sessions.append(session)
                break
    return planned


async def _approved(tx: AsyncSession, offering_id: str) -> Offering:
    """The offer sessions are planned for: a company's proposal gets them once approved."""
    offering = await tx.get(Offering, offering_id)
    if offering is None:
        raise BookingRefused("dit aanbod bestaat niet", 404)
    domain.check_approved(offering.approval)
    return offering


async def _take_turns(tx: AsyncSession, rooms: list[str], instructor: str) -> None:
    await take_turns(tx, *(f"room:{room}" for room in rooms), f"instructor:{instructor}")


async def _place(tx: AsyncSession, session: Session, slot: Slot) -> None:
    """Add the session on a day the hotspot is open, if its room and instructor are free
    then. The check names the
    session in the way; on PostgreSQL the exclusion constraints also stop a plan committing
    meanwhile, which `_clash_refused` turns into the same refusal."""
    day = local_date(slot.starts_at)
    domain.check_plannable(
        day, await closures_between(tx, day, day), await opened_for_some_school(tx, day)
    )
    other = await clashing_session(tx, slot)
    if other is not None:
        raise domain.refused_for_clash(
            slot, Slot(other.room, other.instructor, other.starts_at, other.ends_at), other.id
        )
    tx.add(session)
    await tx.flush()


@contextmanager
def _clash_refused(slot: Slot) -> Iterator[None]:
    try:
        yield
    except IntegrityError as exc:
        for resource, constraint in (
            ("room", ROOM_EXCLUSION),
            ("instructor", INSTRUCTOR_EXCLUSION),
        ):
            if violates_exclusion(exc, constraint):
                raise domain.clash_refused(resource, slot) from exc
        raise
