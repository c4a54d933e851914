"""Use cases: each is one unit of work that changes state and stages the events it causes."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from services.bookings import domain
from services.bookings.domain import BookingRefused, BookingStatus, SessionFacts
from services.bookings.store import (
    Booking,
    Offering,
    Session,
    release_seats,
    session_with_offering,
    take_seats,
)
from shared.contracts.bookings import (
    BookingCancelledV1,
    BookingCompletedV1,
    BookingConfirmedV1,
)
from shared.contracts.common import Group
from shared.domain import BACKOFFICE, SCHOOL
from shared.http import Caller
from shared.service import Runtime


def _facts(s: Session) -> SessionFacts:
    return SessionFacts(s.starts_at, s.ends_at, s.capacity, s.seats_taken)


def _group(b: Booking) -> Group:
    return Group(name=b.group_name, level=b.level, year=b.year, students=b.students)


def _event_facts(b: Booking, s: Session, o: Offering) -> dict:
    return dict(
        booking_id=b.id, session_id=s.id, offering_id=o.id, offering_title=o.title,
        school_id=b.school_id, group=_group(b), starts_at=s.starts_at, ends_at=s.ends_at,
        location=o.location,
    )


async def book(rt: Runtime, caller: Caller, session_id: UUID, group: Group) -> Booking:
    caller.require(SCHOOL)
    now = datetime.now(UTC)
    async with rt.db.transaction() as tx:
        found = await session_with_offering(tx, session_id)
        if found is None:
            raise BookingRefused("no such session", 404)
        session, offering = found
        domain.check_bookable(_facts(session), group, now)
        booking = Booking(
            id=uuid4(), session_id=session_id, school_id=caller.organisation,
            group_name=group.name, level=group.level, year=group.year, students=group.students,
            status=BookingStatus.CONFIRMED, created_at=now, updated_at=now,
        )
        tx.add(booking)
        await rt.outbox.stage(
            tx, BookingConfirmedV1(**_event_facts(booking, session, offering),
                                   equipment=offering.equipment)
        )
        # Seats last: the session's row stays locked only from here to the commit.
        if not await take_seats(tx, session_id, group.students):
            await tx.refresh(session)
            domain.check_bookable(_facts(session), group, now)  # says how many are left
            raise BookingRefused("the session is full")
    return booking


async def get_visible(rt: Runtime, caller: Caller, booking_id: UUID) -> Booking:
    async with rt.db.sessions() as tx:
        booking = await tx.get(Booking, booking_id)
    if booking is None or not domain.may_see(caller.role, caller.organisation, booking.school_id):
        raise BookingRefused("no such booking", 404)
    return booking


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
        if domain.releases_seats(old, new):
            await release_seats(tx, session.id, booking.students)
        booking.status, booking.updated_at = new, datetime.now(UTC)
        await rt.outbox.stage(tx, _event_for(new, booking, session, offering, caller))
    return booking


def _event_for(new: BookingStatus, b: Booking, s: Session, o: Offering, caller: Caller):
    facts = _event_facts(b, s, o)
    if new is BookingStatus.CANCELLED:
        return BookingCancelledV1(**facts, cancelled_by=caller.role)
    minutes = _facts(s).minutes
    return BookingCompletedV1(
        **facts, delivered_minutes=minutes, instructor_minutes=minutes,
        students_reached=b.students,
    )
