"""Use cases: each is one unit of work that changes state and stages the events it causes."""

from datetime import UTC, datetime, time
from typing import NamedTuple
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from services.bookings import domain
from services.bookings.domain import BookingRefused, BookingStatus, SessionFacts
from services.bookings.store import (
    Booking,
    Offering,
    Session,
    booking_with_host,
    bookings_in_scope,
    change_seats_taken,
    closures_between,
    current_rules,
    free_seats,
    lock_session,
    locked_quota,
    school_exception,
    series_bookings,
    series_sessions,
    session_with_offering,
    sessions_booked,
    take_seats,
    waiting_groups,
    waitlist_position,
)
from shared.contracts.bookings import (
    BookingCancelledV1,
    BookingCompletedV1,
    BookingConfirmedV1,
    BookingEquipmentRequestedV1,
    BookingNoShowV1,
    BookingRejectedV1,
    BookingWaitlistedV1,
)
from shared.contracts.common import Group
from shared.contracts.loans import EquipmentRejectedV1, EquipmentReservedV1
from shared.domain import AMSTERDAM, BACKOFFICE, SCHOOL, local_date
from shared.http import Caller
from shared.messaging.outbox import Outbox
from shared.observability.logging import log
from shared.service import Runtime

# Who cancels the rest of a series when loans cannot equip one of its sessions.
SAGA = Caller(actor="bookings", role="system", organisation="")


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


def _seated(b: Booking, s: Session, o: Offering,
            from_waitlist: bool) -> BookingEquipmentRequestedV1 | BookingConfirmedV1:
    """What a group that got its seats causes: loans is asked for the equipment, or, when
    the offering needs none, the booking is confirmed."""
    if b.status == BookingStatus.REQUESTED:
        return BookingEquipmentRequestedV1(**_event_facts(b, s, o), equipment=o.equipment,
                                           from_waitlist=from_waitlist)
    return _confirmed(b, s, o, from_waitlist)


async def book(rt: Runtime, caller: Caller, session_id: UUID, group: Group) -> Placed:
    """Seat the group if its seats are free (confirmed, or requested while loans reserves
    the equipment), else put it on the session's waitlist."""
    [placed] = await _book(rt, caller, group, session_id=session_id)
    return placed


async def book_series(rt: Runtime, caller: Caller, series_id: UUID, group: Group) -> list[Placed]:
    """Book every session of a series for the group at once: all seated, or all waitlisted."""
    return await _book(rt, caller, group, series_id=series_id)


async def _book(rt: Runtime, caller: Caller, group: Group, session_id: UUID | None = None,
                series_id: UUID | None = None) -> list[Placed]:
    caller.require(SCHOOL)
    now = datetime.now(UTC)
    placed = []
    async with rt.db.transaction() as tx:
        sessions, offering = await _targets(tx, session_id, series_id)
        await _check_rules(tx, caller.organisation, sessions, group, now)
        seated = await _seat_all(tx, sessions, group.students)
        series_booking_id = uuid4() if series_id is not None else None
        for session in sessions:
            booking = Booking(
                id=uuid4(), session_id=session.id, school_id=caller.organisation,
                group_name=group.name, level=group.level, year=group.year,
                students=group.students, series_booking_id=series_booking_id,
                status=(domain.seated(bool(offering.equipment)) if seated
                        else BookingStatus.WAITLISTED),
                created_at=now, updated_at=now,
            )
            tx.add(booking)
            position = await waitlist_position(tx, booking)
            if seated:
                event = _seated(booking, session, offering, from_waitlist=False)
            else:
                event = BookingWaitlistedV1(**_event_facts(booking, session, offering),
                                            position=position)
            await rt.outbox.stage(tx, event)
            placed.append(Placed(booking, position))
    return placed


async def _targets(tx: AsyncSession, session_id: UUID | None,
                   series_id: UUID | None) -> tuple[list[Session], Offering]:
    if session_id is not None:
        found = await session_with_offering(tx, session_id)
        if found is None:
            raise BookingRefused("deze sessie bestaat niet", 404)
        session, offering = found
        domain.check_single_booking(offering.sessions_per_booking, session.series_id is not None)
        return [session], offering
    sessions = await series_sessions(tx, series_id)
    if not sessions:
        raise BookingRefused("deze reeks bestaat niet", 404)
    return sessions, await tx.get(Offering, sessions[0].offering_id)


async def _seat_all(tx: AsyncSession, sessions: list[Session], students: int) -> bool:
    """Seats on every session, or none: seats taken before a full one are given back in this
    same transaction, so no one else ever sees them taken. Sessions go in id order, the
    order every transaction locks them in."""
    taken: list[Session] = []
    for session in sorted(sessions, key=lambda s: s.id):
        if not await _seat(tx, session.id, students):
            for held in taken:
                await change_seats_taken(tx, held.id, -students)
            return False
        taken.append(session)
    return True


async def _check_rules(tx: AsyncSession, school_id: str, sessions: list[Session], group: Group,
                      now: datetime) -> None:
    """The calendar's rules for a school booking `sessions`: lead time, open days (with the
    school's exceptions) and the school's quota for each school year the sessions fall in."""
    rules = await current_rules(tx)
    by_year: dict[int, int] = {}
    for session in sessions:
        domain.check_bookable(_facts(session), group, now, rules.min_lead_days)
        day = local_date(session.starts_at)
        domain.check_open_for(day, await closures_between(tx, day, day),
                              await school_exception(tx, school_id, day))
        year = domain.school_year_of(day)
        by_year[year] = by_year.get(year, 0) + 1
    for year, wanted in sorted(by_year.items()):
        quota = await locked_quota(tx, school_id, year)
        if quota is None:
            continue
        first, following = (datetime.combine(d, time(), AMSTERDAM)
                            for d in domain.school_year_bounds(year))
        booked = await sessions_booked(tx, school_id, first, following)
        domain.check_quota(booked, wanted, quota, year)


async def _seat(tx: AsyncSession, session_id: UUID, students: int) -> bool:
    """Take the group's seats if they are free. A refusal is asked again under the session's
    lock: a cancellation committing meanwhile promotes only the waitlist it sees, so a group
    must not join that list while seats it fits in are being freed."""
    if await take_seats(tx, session_id, students):
        return True
    await lock_session(tx, session_id)
    return await take_seats(tx, session_id, students)


async def get_visible(rt: Runtime, caller: Caller, booking_id: UUID) -> Placed:
    """The booking, if the caller may see it; 404 otherwise, so an id tells no one else
    that it exists."""
    async with rt.db.sessions() as tx:
        found = await booking_with_host(tx, booking_id)
        if found is None or not domain.may_see(caller.role, caller.organisation,
                                               found[0].school_id, found[1]):
            raise BookingRefused("deze boeking bestaat niet", 404)
        return Placed(found[0], await waitlist_position(tx, found[0]))


async def list_visible(rt: Runtime, caller: Caller, school_id: str | None, status: str | None,
                       limit: int, offset: int) -> list[Placed]:
    scope = domain.list_scope(caller.role, caller.organisation)
    async with rt.db.sessions() as tx:
        bookings = await bookings_in_scope(tx, scope, school_id, status, limit, offset)
        return [Placed(b, await waitlist_position(tx, b)) for b in bookings]


async def cancel(rt: Runtime, caller: Caller, booking_id: UUID) -> Booking:
    return await _transition(rt, caller, booking_id, domain.cancel)


async def complete(rt: Runtime, caller: Caller, booking_id: UUID,
                   students_reached: int | None = None,
                   instructor_minutes: int | None = None) -> Booking:
    caller.require(BACKOFFICE)
    return await _transition(rt, caller, booking_id, domain.complete,
                             Reported(students_reached, instructor_minutes))


async def no_show(rt: Runtime, caller: Caller, booking_id: UUID) -> Booking:
    caller.require(BACKOFFICE)
    return await _transition(rt, caller, booking_id, domain.no_show)


class Reported(NamedTuple):
    """What the backoffice reports on a completed session (None: the defaults)."""

    students_reached: int | None = None
    instructor_minutes: int | None = None


async def _transition(rt: Runtime, caller: Caller, booking_id: UUID, rule,
                      reported: Reported = Reported()) -> Booking:
    """Apply `rule` to the booking; a cancellation takes the whole series booking with it."""
    async with rt.db.transaction() as tx:
        booking = await tx.get(Booking, booking_id, with_for_update=True)
        if booking is None or not domain.may_change(caller.role, caller.organisation,
                                                    booking.school_id):
            raise BookingRefused("deze boeking bestaat niet", 404)
        together = [booking]
        if booking.series_booking_id is not None and rule is domain.cancel:
            together = await series_bookings(tx, booking.series_booking_id)
        for each in together:
            await _change(rt.outbox, tx, caller, each, rule, reported)
    return booking


async def _change(outbox: Outbox, tx: AsyncSession, caller: Caller, booking: Booking,
                  rule, reported: Reported) -> None:
    old = BookingStatus(booking.status)
    new = rule(old)
    session, offering = await session_with_offering(tx, booking.session_id)
    booking.status, booking.updated_at = new, datetime.now(UTC)
    if domain.releases_seats(old, new):
        free_days = (await current_rules(tx)).free_cancellation_days
        booking.cancelled_late = domain.is_late_cancellation(
            session.starts_at, booking.updated_at, caller.role == SCHOOL, free_days)
    await outbox.stage(tx, _event_for(old, new, booking, session, offering, caller, reported))
    if domain.releases_seats(old, new):
        await _release_and_promote(outbox, tx, booking, session, offering)


async def apply_equipment_reserved(tx: AsyncSession, outbox: Outbox,
                                   answer: EquipmentReservedV1) -> None:
    """Loans holds the equipment: the requested booking is confirmed; the bookings of a
    series once loans holds the equipment of every one of them, never half of it."""
    found = await _awaiting_equipment(tx, answer.booking_id)
    if found is None:
        return
    booking, session, offering = found
    booking.equipment_reserved = True
    together = [booking]
    if booking.series_booking_id is not None:
        together = await series_bookings(tx, booking.series_booking_id)
        if not domain.series_equipped([(BookingStatus(b.status), b.equipment_reserved)
                                       for b in together]):
            return
    now = datetime.now(UTC)
    for each in together:
        each.status, each.updated_at = BookingStatus.CONFIRMED, now
        where = session if each.session_id == session.id else await tx.get(
            Session, each.session_id)
        await outbox.stage(tx, _confirmed(each, where, offering, from_waitlist=False))


async def apply_equipment_rejected(tx: AsyncSession, outbox: Outbox,
                                   answer: EquipmentRejectedV1) -> None:
    """No equipment for the session: the booking is rejected with loans' reason, and its
    seats go to the waiting groups as a cancellation's would. The other bookings of its
    series are cancelled with it (loans releases what it holds for them on reading that)."""
    found = await _awaiting_equipment(tx, answer.booking_id)
    if found is None:
        return
    booking, session, offering = found
    booking.status, booking.updated_at = BookingStatus.REJECTED, datetime.now(UTC)
    booking.rejection_reason = answer.reason
    await outbox.stage(tx, BookingRejectedV1(**_event_facts(booking, session, offering),
                                             reason=answer.reason,
                                             alternative=answer.alternative))
    await _release_and_promote(outbox, tx, booking, session, offering)
    if booking.series_booking_id is not None:
        for sibling in await series_bookings(tx, booking.series_booking_id):
            if domain.awaits_equipment(BookingStatus(sibling.status)):
                await _change(outbox, tx, SAGA, sibling, domain.cancel, Reported())


async def _awaiting_equipment(tx: AsyncSession, booking_id: UUID):
    """The booking with its session and offering, locked, if loans' answer still decides it."""
    booking = await tx.get(Booking, booking_id, with_for_update=True)
    if booking is None or not domain.awaits_equipment(BookingStatus(booking.status)):
        log.info("equipment answer for a booking that moved on", booking_id=str(booking_id),
                 status=booking.status if booking else None)
        return None
    session, offering = await session_with_offering(tx, booking.session_id)
    return booking, session, offering


async def _release_and_promote(outbox: Outbox, tx: AsyncSession, leaving: Booking,
                               session: Session, offering: Offering) -> None:
    """Give the seats back and, in the same transaction, seat the waiting groups that fit:
    seats are never free while a group that fits them waits, not even for a moment. A group
    waiting for a whole series is seated on all its sessions, or stays waiting."""
    free = await change_seats_taken(tx, session.id, -leaving.students)
    waiting = await waiting_groups(tx, session.id)
    siblings = {w.id: [b for b in await series_bookings(tx, w.series_booking_id) if b.id != w.id]
                for w in waiting if w.series_booking_id is not None}
    elsewhere = await free_seats(tx, {b.session_id for sib in siblings.values() for b in sib})
    chosen = set(domain.promotions(
        free, [(w.id, w.students) for w in waiting],
        {w_id: [b.session_id for b in sib] for w_id, sib in siblings.items()}, elsewhere))
    promoted = [w for w in waiting if w.id in chosen]
    promoted += [b for w in promoted for b in siblings.get(w.id, ())]
    status = domain.seated(bool(offering.equipment))
    for booking in promoted:
        await change_seats_taken(tx, booking.session_id, booking.students)
        booking.status, booking.updated_at = status, leaving.updated_at
        where = session if booking.session_id == session.id else await tx.get(
            Session, booking.session_id)
        await outbox.stage(tx, _seated(booking, where, offering, from_waitlist=True))


def _event_for(old: BookingStatus, new: BookingStatus, b: Booking, s: Session, o: Offering,
               caller: Caller, reported: Reported):
    facts = _event_facts(b, s, o)
    if new is BookingStatus.CANCELLED:
        return BookingCancelledV1(**facts, cancelled_by=caller.role,
                                  was_waitlisted=old is BookingStatus.WAITLISTED,
                                  late=b.cancelled_late)
    if new is BookingStatus.NO_SHOW:
        return BookingNoShowV1(**facts, recorded_by=caller.role)
    minutes = _facts(s).minutes
    reached, instructor_minutes = domain.reach(b.students, minutes, *reported)
    return BookingCompletedV1(
        **facts, delivered_minutes=minutes, instructor_minutes=instructor_minutes,
        students_reached=reached,
    )
