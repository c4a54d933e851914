"""Use cases: each is one unit of work that changes state and stages the events it causes."""

from datetime import UTC, datetime
from typing import NamedTuple
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from services.bookings import domain
from services.bookings.domain import BookingRefused, BookingStatus, SessionFacts
from services.bookings.store import (
    Booking,
    Offering,
    Session,
    change_seats_taken,
    lock_session,
    session_with_offering,
    take_seats,
    waiting_groups,
    waitlist_position,
)
from shared.contracts.bookings import (
    BookingCancelledV1,
    BookingCompletedV1,
    BookingConfirmedV1,
    BookingWaitlistedV1,
)
from shared.contracts.common import Group
from shared.domain import BACKOFFICE, SCHOOL
from shared.http import Caller
from shared.service import Runtime


class Placed(NamedTuple):
    """A booking as its school sees it: with its place on the waitlist while it waits."""

    booking: Booking
    waitlist_position: int | None


def _facts(s: Session) -> SessionFacts:
    return SessionFacts(s.starts_at, s.ends_at, s.capacity)


def _group(b: Booking) -> Group:
    return Group(name=b.group_name, level=b.level, year=b.year, students=b.students)


def _event_facts(b: Booking, s: Session, o: Offering) -> dict:
    return dict(
        booking_id=b.id, session_id=s.id, offering_id=o.id, offering_title=o.title,
        school_id=b.school_id, group=_group(b), starts_at=s.starts_at, ends_at=s.ends_at,
        location=o.location,
    )


def _confirmed(b: Booking, s: Session, o: Offering, from_waitlist: bool) -> BookingConfirmedV1:
    return BookingConfirmedV1(**_event_facts(b, s, o), equipment=o.equipment,
                              from_waitlist=from_waitlist)


async def book(rt: Runtime, caller: Caller, session_id: UUID, group: Group) -> Placed:
    """Confirm the group if its seats are free, else put it on the session's waitlist."""
    caller.require(SCHOOL)
    now = datetime.now(UTC)
    async with rt.db.transaction() as tx:
        found = await session_with_offering(tx, session_id)
        if found is None:
            raise BookingRefused("no such session", 404)
        session, offering = found
        domain.check_bookable(_facts(session), group, now)
        seated = await _seat(tx, session_id, group.students)
        booking = Booking(
            id=uuid4(), session_id=session_id, school_id=caller.organisation,
            group_name=group.name, level=group.level, year=group.year, students=group.students,
            status=BookingStatus.CONFIRMED if seated else BookingStatus.WAITLISTED,
            created_at=now, updated_at=now,
        )
        tx.add(booking)
        position = await waitlist_position(tx, booking)
        if seated:
            event = _confirmed(booking, session, offering, from_waitlist=False)
        else:
            event = BookingWaitlistedV1(**_event_facts(booking, session, offering),
                                        position=position)
        await rt.outbox.stage(tx, event)
    return Placed(booking, position)


async def _seat(tx: AsyncSession, session_id: UUID, students: int) -> bool:
    """Take the group's seats if they are free. A refusal is asked again under the session's
    lock: a cancellation committing meanwhile promotes only the waitlist it sees, so a group
    must not join that list while seats it fits in are being freed."""
    if await take_seats(tx, session_id, students):
        return True
    await lock_session(tx, session_id)
    return await take_seats(tx, session_id, students)


async def get_visible(rt: Runtime, caller: Caller, booking_id: UUID) -> Placed:
    async with rt.db.sessions() as tx:
        booking = await tx.get(Booking, booking_id)
        if booking is None or not domain.may_see(caller.role, caller.organisation,
                                                 booking.school_id):
            raise BookingRefused("no such booking", 404)
        return Placed(booking, await waitlist_position(tx, booking))


async def cancel(rt: Runtime, caller: Caller, booking_id: UUID) -> Booking:
    return await _transition(rt, caller, booking_id, domain.cancel)


async def complete(rt: Runtime, caller: Caller, booking_id: UUID) -> Booking:
    caller.require(BACKOFFICE)
    return await _transition(rt, caller, booking_id, domain.complete)


async def _transition(rt: Runtime, caller: Caller, booking_id: UUID, rule) -> Booking:
    async with rt.db.transaction() as tx:
        booking = await tx.get(Booking, booking_id, with_for_update=True)
        if booking is None or not domain.may_see(caller.role, caller.organisation,
                                                 booking.school_id):
            raise BookingRefused("no such booking", 404)
        old = BookingStatus(booking.status)
        new = rule(old)
        session, offering = await session_with_offering(tx, booking.session_id)
        booking.status, booking.updated_at = new, datetime.now(UTC)
        await rt.outbox.stage(tx, _event_for(old, new, booking, session, offering, caller))
        if domain.releases_seats(old, new):
            await _release_and_promote(rt, tx, booking, session, offering)
    return booking


async def _release_and_promote(rt: Runtime, tx: AsyncSession, cancelled: Booking,
                               session: Session, offering: Offering) -> None:
    """Give the seats back and, in the same transaction, confirm the waiting groups that fit:
    seats are never free while a group that fits them waits, not even for a moment."""
    free = await change_seats_taken(tx, session.id, -cancelled.students)
    waiting = await waiting_groups(tx, session.id)
    chosen = set(domain.promotions(free, [(w.id, w.students) for w in waiting]))
    promoted = [w for w in waiting if w.id in chosen]
    if not promoted:
        return
    await change_seats_taken(tx, session.id, sum(w.students for w in promoted))
    for booking in promoted:
        booking.status, booking.updated_at = BookingStatus.CONFIRMED, cancelled.updated_at
    await rt.outbox.stage(tx, *(_confirmed(b, session, offering, from_waitlist=True)
                                for b in promoted))


def _event_for(old: BookingStatus, new: BookingStatus, b: Booking, s: Session, o: Offering,
               caller: Caller):
    facts = _event_facts(b, s, o)
    if new is BookingStatus.CANCELLED:
        return BookingCancelledV1(**facts, cancelled_by=caller.role,
                                  was_waitlisted=old is BookingStatus.WAITLISTED)
    minutes = _facts(s).minutes
    return BookingCompletedV1(
        **facts, delivered_minutes=minutes, instructor_minutes=minutes,
        students_reached=b.students,
    )
