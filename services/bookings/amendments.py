"""The backoffice changes its offer after publishing it: it edits or withdraws an offer, and
moves or cancels a session that schools may have booked. Each school with a booking on a
changed session hears once (SessionMovedV1 / SessionCancelledV1 name it with its groups)."""

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from services.bookings import domain
from services.bookings.catalogue import _clash_refused, _take_turns
from services.bookings.commands import _event_facts, _stage
from services.bookings.domain import BookingRefused, BookingStatus, Slot
from services.bookings.settings import BookingsSettings
from services.bookings.store import (
    SESSIONS,
    Booking,
    Offering,
    Session,
    bookings_in,
    clashing_session,
    closures_between,
    lock_session,
    opened_for_some_school,
    series_sessions,
    session_with_offering,
)
from shared.contracts.bookings import (
    BookedSchool,
    BookingCancelledV1,
    OfferingChangedV1,
    OfferingWithdrawnV1,
    SessionCancelledV1,
    SessionEquipmentReleasedV1,
    SessionMovedV1,
    SessionTimes,
)
from shared.contracts.common import Group
from shared.domain import BACKOFFICE, local_date
from shared.http import Caller
from shared.service import Runtime
from shared.store import seats
from shared.store.versions import claim


async def edit_offering(
    rt: Runtime, caller: Caller, offering_id: str, changes: dict[str, object]
) -> Offering:
    """Change the named fields; the offer must still be what its kind needs."""
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        await claim(tx, Offering, id=offering_id)
        offering = await _offering(tx, offering_id)
        for name, value in changes.items():
            setattr(offering, name, value)
        domain.check_offering(offering)
        await rt.outbox.stage(
            tx,
            OfferingChangedV1(
                offering_id=offering.id,
                title=offering.title,
                audience=offering.audience,
                location=offering.location,
                capacity=offering.capacity,
                changed=sorted(changes),
                theme=offering.theme,
            ),
        )
    return offering


async def withdraw_offering(rt: Runtime, caller: Caller, offering_id: str) -> Offering:
    """No new bookings; the bookings made stand unless the backoffice cancels their session."""
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        offering = await _offering(tx, offering_id)
        if not offering.withdrawn:
            offering.withdrawn = True
            await rt.outbox.stage(
                tx, OfferingWithdrawnV1(offering_id=offering.id, title=offering.title)
            )
    return offering


async def _offering(tx: AsyncSession, offering_id: str) -> Offering:
    offering = await tx.get(Offering, offering_id, with_for_update=True)
    if offering is None:
        raise BookingRefused("dit aanbod bestaat niet", 404)
    return offering


async def move_session(
    rt: Runtime[BookingsSettings],
    caller: Caller,
    session_id: UUID,
    starts_at: datetime,
    ends_at: datetime,
    room: str | None = None,
    instructor: str | None = None,
) -> Session:
    """New times (and room, instructor) under planning's rules: an open day, the room and
    instructor free then. The bookings stay; each booked school hears once."""
    caller.require(BACKOFFICE)
    domain.check_times(starts_at, ends_at)
    async with rt.db.transaction() as tx:
        session, offering = await _locked(tx, session_id)
        domain.check_not_begun(session.starts_at, rt.clock.now(), "verplaatst")
        domain.check_movable_equipment(session.equipment_request_id is not None)
        slot = Slot(room or session.room, instructor or session.instructor, starts_at, ends_at)
        with _clash_refused(slot):
            await _take_turns(tx, [slot.room], slot.instructor)
            await _check_free(tx, slot, session.id)
            before = SessionTimes(starts_at=session.starts_at, ends_at=session.ends_at)
            session.starts_at, session.ends_at = starts_at, ends_at
            session.room, session.instructor = slot.room, slot.instructor
            await tx.flush()
        booked = await bookings_in(tx, session.id, domain.ACTIVE)
        await rt.outbox.stage(
            tx,
            SessionMovedV1(
                **_session_facts(session, offering, booked),
                room=session.room,
                instructor=session.instructor,
                previous_starts_at=before.starts_at,
                previous_ends_at=before.ends_at,
            ),
        )
    return session


async def _check_free(tx: AsyncSession, slot: Slot, moving: UUID) -> None:
    """Planning's calendar and clash rules for the session's new slot."""
    day = local_date(slot.starts_at)
    domain.check_plannable(
        day, await closures_between(tx, day, day), await opened_for_some_school(tx, day)
    )
    other = await clashing_session(tx, slot, excluding=moving)
    if other is not None:
        raise domain.refused_for_clash(
            slot, Slot(other.room, other.instructor, other.starts_at, other.ends_at), other.id
        )


async def cancel_session(
    rt: Runtime[BookingsSettings], caller: Caller, session_id: UUID, reason: str
) -> list[Session]:
    """Cancel the session, and with it every lesson of its series (a series is given whole,
    as it is booked): each active booking is cancelled by the backoffice, not late, with the
    reason; no waiting group is seated, the equipment is let go, and each school hears once.
    A cancelled booking never completes, so finance declares nothing for it."""
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        session, offering = await _locked(tx, session_id)
        lessons = [session]
        if session.series_id is not None:
            lessons = await series_sessions(tx, session.series_id)
        domain.check_not_begun(min(s.starts_at for s in lessons), rt.clock.now(), "geannuleerd")
        cancelled: list[Booking] = []
        for lesson in sorted(lessons, key=lambda s: s.id):
            cancelled += await _cancel_lesson(rt, tx, caller, lesson, offering, reason)
        series = [SessionTimes(starts_at=s.starts_at, ends_at=s.ends_at) for s in lessons]
        await rt.outbox.stage(
            tx,
            SessionCancelledV1(
                **_session_facts(session, offering, cancelled),
                reason=reason,
                series_sessions=series if len(series) > 1 else [],
            ),
        )
    return lessons


async def _cancel_lesson(
    rt: Runtime, tx: AsyncSession, caller: Caller, lesson: Session, offering: Offering, reason: str
) -> list[Booking]:
    """One session of the cancellation: its bookings cancelled, seats freed, kit let go."""
    await lock_session(tx, lesson.id)
    now = rt.clock.now()
    lesson.cancelled_at, lesson.cancel_reason = now, reason
    booked = await bookings_in(tx, lesson.id, domain.ACTIVE)
    for booking in booked:
        old = BookingStatus(booking.status)
        booking.status, booking.updated_at = domain.cancel(old), now
        booking.cancelled_late = False
        if domain.releases_seats(old, BookingStatus.CANCELLED):
            seats.keep_in_step(
                lesson, await seats.change(tx, SESSIONS, lesson.id, -booking.students)
            )
        await _stage(
            rt.outbox,
            tx,
            booking,
            BookingCancelledV1(
                **_event_facts(booking, lesson, offering),
                cancelled_by=caller.role,
                was_waitlisted=old is BookingStatus.WAITLISTED,
                session_cancelled=True,
                reason=reason,
            ),
        )
    if lesson.equipment_request_id is not None:
        await rt.outbox.stage(
            tx,
            SessionEquipmentReleasedV1(
                request_id=lesson.equipment_request_id, session_id=lesson.id
            ),
        )
        lesson.equipment_request_id, lesson.equipment_held = None, False
    return booked


async def _locked(tx: AsyncSession, session_id: UUID) -> tuple[Session, Offering]:
    """The session, locked and as committed, with its offering; a cancelled one is refused."""
    await lock_session(tx, session_id)
    found = await session_with_offering(tx, session_id)
    if found is None:
        raise BookingRefused("deze sessie bestaat niet", 404)
    session, offering = found
    await tx.refresh(session)
    domain.check_takes_place(session.cancelled_at is not None)
    return session, offering


def _session_facts(session: Session, offering: Offering, booked: list[Booking]) -> dict:
    told = domain.schools_told(
        (b.school_id, b.series_booking_id or b.id, Group.of(b)) for b in booked
    )
    return dict(
        session_id=session.id,
        offering_id=offering.id,
        offering_title=offering.title,
        location=offering.location,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        schools=[
            BookedSchool(
                school_id=s,
                groups=g,
                bookings=[b.id for b in booked if b.school_id == s],
                booked_by=_people(b for b in booked if b.school_id == s),
            )
            for s, g in told.items()
        ],
    )


def _people(booked: Iterable[Booking]) -> list[str]:
    """Who made these bookings, each once, in booking order."""
    return list(dict.fromkeys(b.booked_by for b in booked if b.booked_by))
