"""Use cases: each is one unit of work that changes state and stages the events it causes."""

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import NamedTuple
from uuid import UUID, uuid4

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from services.bookings import domain
from services.bookings.domain import BookingRefused, BookingStatus, SessionFacts
from services.bookings.queries import Placed
from services.bookings.settings import BookingsSettings
from services.bookings.store import (
    BOOKINGS,
    SESSIONS,
    WAITLIST,
    Booking,
    Lesson,
    Offer,
    Offering,
    Session,
    ask_equipment,
    bookings_in,
    closures_between,
    current_rules,
    lesson_with_offer,
    lessons,
    locked_booking,
    locked_quota,
    locked_session,
    offer,
    school_day_rules,
    series_booking_rows,
    series_bookings,
    series_lessons,
    series_times,
    session_with_offering,
    sessions_booked,
    set_status,
    waitlist_position,
)
from shared.contracts.bookings import (
    BookingCancelledV1,
    BookingCompletedV2,
    BookingConfirmedV1,
    BookingHostRequestedV1,
    BookingNoShowV1,
    BookingRejectedV1,
    BookingRequestedV1,
    BookingWaitlistedV1,
    SessionEquipmentReleasedV1,
    SessionEquipmentRequestedV1,
    SessionTimes,
)
from shared.contracts.common import Group
from shared.contracts.loans import SessionEquipmentRejectedV1, SessionEquipmentReservedV1
from shared.domain import (
    AMSTERDAM,
    BACKOFFICE,
    COMPANY,
    SCHOOL_PEOPLE,
    acting_school,
    check_audience,
    local_date,
)
from shared.http import Caller
from shared.messaging.outbox import Outbox
from shared.observability.logging import log
from shared.seed.region import HARD_TECH_SCHOOL_IDS
from shared.service import Runtime
from shared.store import seats
from shared.store.db import existing, present

# A booking, its session and its offering as the ORM reads them, or as Core rows.
AnyBooking = Booking | Row
AnySession = Session | Lesson
AnyOffering = Offering | Offer


def _facts(s: AnySession) -> SessionFacts:
    return SessionFacts(s.starts_at, s.ends_at, s.capacity)


def _event_facts(b: AnyBooking, s: AnySession, o: AnyOffering) -> dict:
    return dict(
        booking_id=b.id,
        session_id=s.id,
        offering_id=o.id,
        offering_title=o.title,
        school_id=b.school_id,
        group=Group.of(b),
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        location=o.location,
        booked_by=b.booked_by,
    )


def _confirmed(
    b: AnyBooking, s: AnySession, o: AnyOffering, from_waitlist: bool
) -> BookingConfirmedV1:
    return BookingConfirmedV1(
        **_event_facts(b, s, o), equipment=o.equipment, from_waitlist=from_waitlist
    )


def _seated(
    b: AnyBooking, status: BookingStatus, s: AnySession, o: AnyOffering, from_waitlist: bool
) -> BookingHostRequestedV1 | BookingRequestedV1 | BookingConfirmedV1:
    """What a group that got its seats (now in `status`) causes: the host company is asked
    to answer, loans is asked for the equipment, or, when the offering waits for neither, it
    is confirmed."""
    host = o.host_company
    if status == BookingStatus.REQUESTED and host and domain.awaits_host(o.kind, host):
        return BookingHostRequestedV1(
            **_event_facts(b, s, o),
            host_company=host,
            offering_kind=o.kind,
            from_waitlist=from_waitlist,
        )
    if status == BookingStatus.REQUESTED:
        return BookingRequestedV1(
            **_event_facts(b, s, o), equipment=o.equipment, from_waitlist=from_waitlist
        )
    return _confirmed(b, s, o, from_waitlist)


async def _stage(outbox: Outbox, tx: AsyncSession, booking: AnyBooking, event) -> None:
    """Stage a booking's event; one of a series booking also tells the series' sessions, so
    what follows from it (a message) can be told once for the whole series."""
    if booking.series_booking_id is not None:
        series = await series_times(tx, booking.session_id)
        event = event.model_copy(
            update=dict(
                series_booking_id=booking.series_booking_id,
                series_sessions=[SessionTimes(starts_at=s, ends_at=e) for s, e in series],
            )
        )
    await outbox.stage(tx, event)


async def book(
    rt: Runtime[BookingsSettings],
    caller: Caller,
    session_id: UUID,
    group: Group,
    school_id: str | None = None,
) -> Placed:
    """Seat the group if its seats are free (confirmed, or requested while loans reserves
    the equipment), else put it on the session's waitlist. The backoffice books on behalf
    of `school_id`: the booking, its rules and quota are that school's."""
    [placed] = await _book(rt, caller, group, school_id, session_id=session_id)
    return placed


async def book_series(
    rt: Runtime[BookingsSettings],
    caller: Caller,
    series_id: UUID,
    group: Group,
    school_id: str | None = None,
) -> list[Placed]:
    """Book every session of a series for the group at once: all seated, or all waitlisted."""
    return await _book(rt, caller, group, school_id, series_id=series_id)


async def _book(
    rt: Runtime[BookingsSettings],
    caller: Caller,
    group: Group,
    school_id: str | None,
    session_id: UUID | None = None,
    series_id: UUID | None = None,
) -> list[Placed]:
    school = acting_school(caller.role, caller.organisation, school_id, BookingRefused)
    now = rt.clock.now()
    placed = []
    async with rt.db.transaction() as tx:
        sessions, offering = await _targets(tx, session_id, series_id)
        check_audience(group.level, offering.audience, BookingRefused)
        await _check_rules(tx, school, sessions, group, now)
        status = BookingStatus.WAITLISTED
        if await _seat_all(tx, sessions, group.students):
            status = await _seated_status(rt.outbox, tx, sessions, offering)
        series_booking_id = uuid4() if series_id is not None else None
        values = [
            dict(
                id=uuid4(),
                session_id=session.id,
                school_id=school,
                group_name=group.name,
                level=group.level,
                year=group.year,
                students=group.students,
                series_booking_id=series_booking_id,
                booked_by=caller.actor,
                status=status,
                cancelled_late=False,
                created_at=now,
                updated_at=now,
            )
            for session in sessions
        ]
        booked = await tx.execute(BOOKINGS.insert().returning(BOOKINGS), values)
        by_id = {b.id: b for b in booked}
        for session, booking in zip(sessions, (by_id[v["id"]] for v in values), strict=True):
            position = await waitlist_position(tx, booking)
            facts = (booking, session, offering)
            event = (
                _seated(booking, status, session, offering, from_waitlist=False)
                if position is None
                else BookingWaitlistedV1(**_event_facts(*facts), position=position)
            )
            await _stage(rt.outbox, tx, booking, event)
            placed.append(Placed(booking, position))
    return placed


async def _targets(
    tx: AsyncSession, session_id: UUID | None, series_id: UUID | None
) -> tuple[list[Lesson], Offer]:
    if session_id is not None:
        found = await lesson_with_offer(tx, session_id)
        if found is None:
            raise BookingRefused("deze sessie bestaat niet", 404)
        session, offering = found
        domain.check_single_booking(offering.sessions_per_booking, session.series_id is not None)
        return _taking_place([session], offering)
    sessions = await series_lessons(tx, series_id) if series_id is not None else []
    if not sessions:
        raise BookingRefused("deze reeks bestaat niet", 404)
    offering = await offer(tx, sessions[0].offering_id)
    domain.check_whole_series(
        offering.kind, offering.sessions_per_booking, [s.room for s in sessions]
    )
    return _taking_place(sessions, offering)


def _taking_place(sessions: list[Lesson], offering: Offer) -> tuple[list[Lesson], Offer]:
    """The targets of a booking, if the offer is still open and none was cancelled."""
    domain.check_offer_open(offering.withdrawn)
    domain.check_approved(offering.approval)
    for session in sessions:
        domain.check_takes_place(session.cancelled_at is not None)
    return sessions, offering


async def _seat_all(tx: AsyncSession, sessions: list[Lesson], students: int) -> bool:
    """Seats on every session, or none: seats taken before a full one are given back in this
    same transaction, so no one else ever sees them taken. Sessions go in id order, the
    order every transaction locks them in."""
    taken: list[Lesson] = []
    for session in sorted(sessions, key=lambda s: s.id):
        if not await seats.take_or_wait(tx, SESSIONS, session.id, students):
            for held in taken:
                await seats.change(tx, SESSIONS, held.id, -students)
            return False
        taken.append(session)
    return True


async def _check_rules(
    tx: AsyncSession, school_id: str, sessions: list[Lesson], group: Group, now: datetime
) -> None:
    """The calendar's rules for a school booking `sessions`: lead time, open days (with the
    school's exceptions) and the school's quota for each school year the sessions fall in."""
    by_year: dict[int, int] = {}
    with_quota: set[int] = set()
    for session in sessions:
        day = local_date(session.starts_at)
        year = domain.school_year_of(day)
        found = await school_day_rules(tx, school_id, day, year)
        domain.check_bookable(_facts(session), group, now, found.rules.min_lead_days)
        domain.check_open_for(day, found.closures, found.school_open)
        by_year[year] = by_year.get(year, 0) + 1
        if found.quota is not None:
            with_quota.add(year)
    for year, wanted in sorted(by_year.items()):
        # Read again under its lock: the school's bookings are counted one at a time.
        quota = await locked_quota(tx, school_id, year) if year in with_quota else None
        if quota is None:
            continue
        first, following = (
            datetime.combine(d, time(), AMSTERDAM) for d in domain.school_year_bounds(year)
        )
        booked = await sessions_booked(tx, school_id, first, following)
        domain.check_quota(booked, wanted, quota, year)


async def cancel(rt: Runtime[BookingsSettings], caller: Caller, booking_id: UUID) -> Booking:
    return await _transition(rt, caller, booking_id, domain.cancel)


async def complete(
    rt: Runtime[BookingsSettings],
    caller: Caller,
    booking_id: UUID,
    students_reached: int | None = None,
    instructor_minutes: int | None = None,
) -> Booking:
    caller.require(BACKOFFICE)
    return await _transition(
        rt,
        caller,
        booking_id,
        domain.complete,
        Reported(students_reached, instructor_minutes),
        "afgerond",
    )


async def no_show(rt: Runtime[BookingsSettings], caller: Caller, booking_id: UUID) -> Booking:
    caller.require(BACKOFFICE)
    return await _transition(
        rt, caller, booking_id, domain.no_show, Reported(), "als niet verschenen gemarkeerd"
    )


async def accept_request(rt: Runtime, caller: Caller, booking_id: UUID) -> Booking:
    """The host company takes the school's group on its visit or internship: confirmed."""
    async with rt.db.transaction() as tx:
        booking, offering = await _request_to_answer(tx, caller, booking_id)
        for each in await _group_of(tx, booking):
            each.status, each.updated_at = BookingStatus.CONFIRMED, rt.clock.now()
            session = await existing(tx, Session, each.session_id)
            await _stage(rt.outbox, tx, each, _confirmed(each, session, offering, False))
    return booking


async def decline_request(rt: Runtime, caller: Caller, booking_id: UUID, reason: str) -> Booking:
    """The host company cannot take the group: rejected with its reason for the school, the
    seats go to the waiting groups (who wait for the company's answer in turn)."""
    async with rt.db.transaction() as tx:
        booking, _ = await _request_to_answer(tx, caller, booking_id)
        for each in await _group_of(tx, booking):
            await _reject(rt.outbox, tx, each, rt.clock.now(), reason, None, rejected_by="host")
    return booking


async def _request_to_answer(
    tx: AsyncSession, caller: Caller, booking_id: UUID
) -> tuple[Booking, Offering]:
    """The booking, locked, if the caller's company hosts it and it waits for the answer;
    404 for anyone else, so an id tells no one else that it exists."""
    caller.require(COMPANY)
    booking = await locked_booking(tx, booking_id)
    found = booking and await session_with_offering(tx, booking.session_id)
    if (
        not booking
        or not found
        or not domain.is_host(caller.role, caller.organisation, found[1].host_company)
    ):
        raise BookingRefused("deze aanvraag bestaat niet", 404)
    domain.check_answerable(BookingStatus(booking.status))
    return booking, found[1]


class Reported(NamedTuple):
    """What the backoffice reports on a completed session (None: the defaults)."""

    students_reached: int | None = None
    instructor_minutes: int | None = None


async def _transition(
    rt: Runtime[BookingsSettings],
    caller: Caller,
    booking_id: UUID,
    rule,
    reported: Reported = Reported(),
    after_start: str | None = None,
) -> Booking:
    """Apply `rule` to the booking; a cancellation takes the whole series booking with it.
    A change that records what happened (`after_start`, its Dutch past participle) is
    refused before the session begins."""
    async with rt.db.transaction() as tx:
        booking = await tx.get(Booking, booking_id, with_for_update=True)
        if booking is None or not domain.may_change(
            caller.role, caller.organisation, booking.school_id
        ):
            raise BookingRefused("deze boeking bestaat niet", 404)
        if after_start is not None:
            session = await existing(tx, Session, booking.session_id)
            domain.check_session_begun(session.starts_at, rt.clock.now(), after_start)
        together = [booking]
        if booking.series_booking_id is not None and rule is domain.cancel:
            together = await series_bookings(tx, booking.series_booking_id)
        for each in together:
            await _change(rt.outbox, tx, caller, each, rule, reported, rt.clock.now())
    return booking


async def _change(
    outbox: Outbox,
    tx: AsyncSession,
    caller: Caller,
    booking: Booking,
    rule,
    reported: Reported,
    now: datetime,
) -> None:
    old = BookingStatus(booking.status)
    new = rule(old)
    session, offering = await session_with_offering(tx, booking.session_id)
    booking.status, booking.updated_at = new, now
    if domain.releases_seats(old, new):
        free_days = (await current_rules(tx)).free_cancellation_days
        booking.cancelled_late = domain.is_late_cancellation(
            session.starts_at, booking.updated_at, caller.role in SCHOOL_PEOPLE, free_days
        )
    event = _event_for(old, new, booking, session, offering, caller, reported)
    if isinstance(event, BookingCompletedV2):
        booking.students_reached = event.students_reached
    await _stage(outbox, tx, booking, event)
    if domain.releases_seats(old, new):
        await _release_and_promote(outbox, tx, booking, session, offering, now)


async def _seated_status(
    outbox: Outbox, tx: AsyncSession, sessions: Sequence[AnySession], offering: AnyOffering
) -> BookingStatus:
    """The status of a group that got its seats on `sessions` (one, or each of its series).
    The equipment belongs to the session: a session without it asks loans once, for all its
    bookings; its sessions are locked and read afresh for it. The group is confirmed when
    each of its sessions holds it, else requested."""
    if offering.equipment:
        sessions = [
            await _ask_equipment(outbox, tx, s, offering) if s.equipment_request_id is None else s
            for s in await lessons(tx, [s.id for s in sessions], locked=True)
        ]
    return domain.seated(
        bool(offering.equipment),
        all(s.equipment_held for s in sessions),
        domain.awaits_host(offering.kind, offering.host_company),
    )


async def _ask_equipment(
    outbox: Outbox, tx: AsyncSession, session: Lesson, offering: AnyOffering
) -> Lesson:
    """Ask loans for the session's equipment, telling it the days the hotspot is closed so
    that an alternative it suggests is a day a lesson can take place."""
    day = local_date(session.starts_at)
    until = day + timedelta(days=domain.ALTERNATIVE_DAYS)
    request_id = await ask_equipment(tx, session.id)
    await outbox.stage(
        tx,
        SessionEquipmentRequestedV1(
            request_id=request_id,
            session_id=session.id,
            offering_id=offering.id,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            equipment=offering.equipment,
            alternative_until=until,
            closed_days=domain.closed_days(day, until, await closures_between(tx, day, until)),
        ),
    )
    return session._replace(equipment_request_id=request_id, equipment_held=False)


async def _let_go_if_unused(outbox: Outbox, tx: AsyncSession, session_id: UUID) -> None:
    """The last booking using the session is gone: loans frees its equipment (or, still
    asked, frees what it reserves on reading the request)."""
    session = present(await locked_session(tx, session_id), Session, session_id)
    if session.equipment_request_id is None or await bookings_in(
        tx, session_id, domain.USES_EQUIPMENT
    ):
        return
    await outbox.stage(
        tx,
        SessionEquipmentReleasedV1(request_id=session.equipment_request_id, session_id=session_id),
    )
    session.equipment_request_id, session.equipment_held = None, False


async def apply_equipment_reserved(
    tx: AsyncSession, outbox: Outbox, answer: SessionEquipmentReservedV1, now: datetime
) -> None:
    """Loans holds the session's equipment: its requested bookings are confirmed; those of
    a series once every session of the series holds its equipment, never half of it."""
    session = await _asked(tx, answer.session_id, answer.request_id)
    if session is None:
        return
    session.equipment_held = True
    offering = await existing(tx, Offering, session.offering_id)
    for waiting in await bookings_in(tx, session.id, frozenset({BookingStatus.REQUESTED})):
        group = await _group_of(tx, waiting)
        where = {
            b.session_id: await existing(tx, Session, b.session_id, populate_existing=True)
            for b in group
        }
        if not domain.equipped(
            [BookingStatus(b.status) for b in group], [s.equipment_held for s in where.values()]
        ):
            continue
        for booking in group:
            booking.status, booking.updated_at = BookingStatus.CONFIRMED, now
            await _stage(
                outbox,
                tx,
                booking,
                _confirmed(booking, where[booking.session_id], offering, from_waitlist=False),
            )


async def apply_equipment_rejected(
    tx: AsyncSession, outbox: Outbox, answer: SessionEquipmentRejectedV1, now: datetime
) -> None:
    """No equipment for the session: each booking waiting for it is rejected with loans'
    reason, and so is every booking of its series, so the school reads why on whichever
    booking it holds. Their seats go to the waiting groups as a cancellation's would."""
    session = await _asked(tx, answer.session_id, answer.request_id)
    if session is None:
        return
    session.equipment_request_id = None
    for waiting in await bookings_in(tx, session.id, frozenset({BookingStatus.REQUESTED})):
        for booking in await _group_of(tx, waiting):
            if domain.awaits_equipment(BookingStatus(booking.status)):
                await _reject(outbox, tx, booking, now, answer.reason, answer.alternative)


async def _asked(tx: AsyncSession, session_id: UUID, request_id: UUID) -> Session | None:
    """The session, locked, if loans' answer is to the request it still waits on."""
    session = await locked_session(tx, session_id)
    if session is None or session.equipment_request_id != request_id or session.equipment_held:
        log.info(
            "equipment answer for a request that moved on",
            session_id=str(session_id),
            request_id=str(request_id),
        )
        return None
    return session


async def _group_of(tx: AsyncSession, booking: Booking) -> list[Booking]:
    """The booking with the rest of its series, locked (in session order, as everywhere)."""
    if booking.series_booking_id is None:
        return [present(await locked_booking(tx, booking.id), Booking, booking.id)]
    return await series_bookings(tx, booking.series_booking_id)


async def _reject(
    outbox: Outbox,
    tx: AsyncSession,
    booking: Booking,
    now: datetime,
    reason: str,
    alternative: dict[str, str] | None,
    rejected_by: str | None = None,
) -> None:
    session, offering = await session_with_offering(tx, booking.session_id)
    booking.status, booking.updated_at = BookingStatus.REJECTED, now
    booking.rejection_reason = reason
    await _stage(
        outbox,
        tx,
        booking,
        BookingRejectedV1(
            **_event_facts(booking, session, offering),
            reason=reason,
            alternative=alternative,
            rejected_by=rejected_by,
        ),
    )
    await _release_and_promote(outbox, tx, booking, session, offering, now)


async def _release_and_promote(
    outbox: Outbox,
    tx: AsyncSession,
    leaving: Booking,
    session: Session,
    offering: Offering,
    now: datetime,
) -> None:
    """Give the seats back and, in the same transaction, seat the waiting groups that fit:
    seats are never free while a group that fits them waits, not even for a moment. A group
    waiting for a whole series is seated on all its sessions, or stays waiting."""
    await tx.flush()  # what this unit of work changed, before the seats are read in Core
    siblings: dict[UUID, list[Row]] = {}

    async def fitting(free: int, waiting) -> list[UUID]:
        series = await series_booking_rows(
            tx, {w.series_booking_id for w in waiting if w.series_booking_id is not None}
        )
        for w in waiting:
            if w.series_booking_id is not None:
                siblings[w.id] = [
                    b for b in series if b.series_booking_id == w.series_booking_id and b.id != w.id
                ]
        others = {w_id: [b.session_id for b in sib] for w_id, sib in siblings.items()}
        elsewhere = await seats.seats_left(tx, SESSIONS, {s for o in others.values() for s in o})
        return domain.promotions(free, [(w.id, w.students) for w in waiting], others, elsewhere)

    promoted = await seats.release(tx, WAITLIST, session.id, leaving.students, fitting)
    for waiting_group in promoted:
        group = [waiting_group, *siblings.get(waiting_group.id, ())]
        for booking in group[1:]:
            await seats.change(tx, SESSIONS, booking.session_id, booking.students)
        await _seat_group(outbox, tx, group, session, offering, now)
    if offering.equipment:
        await _let_go_if_unused(outbox, tx, session.id)


async def _seat_group(
    outbox: Outbox,
    tx: AsyncSession,
    group: list[Row],
    session: Session,
    offering: Offering,
    now: datetime,
) -> None:
    """A waiting group (one booking, or one per session of its series) that got its seats on
    `session` and the rest of its series: requested or confirmed, and told so."""
    others = {b.session_id for b in group} - {session.id}
    where: dict[UUID, AnySession] = {s.id: s for s in await lessons(tx, others, locked=False)}
    where[session.id] = session
    status = await _seated_status(outbox, tx, [where[i] for i in sorted(where)], offering)
    await set_status(tx, [b.id for b in group], status, now)
    for booking in group:
        await _stage(
            outbox,
            tx,
            booking,
            _seated(booking, status, where[booking.session_id], offering, from_waitlist=True),
        )


def _event_for(
    old: BookingStatus,
    new: BookingStatus,
    b: Booking,
    s: Session,
    o: Offering,
    caller: Caller,
    reported: Reported,
):
    facts = _event_facts(b, s, o)
    if new is BookingStatus.CANCELLED:
        return BookingCancelledV1(
            **facts,
            cancelled_by=caller.role,
            was_waitlisted=old is BookingStatus.WAITLISTED,
            late=b.cancelled_late,
        )
    if new is BookingStatus.NO_SHOW:
        return BookingNoShowV1(**facts, recorded_by=caller.role)
    minutes = _facts(s).minutes
    reached, instructor_minutes = domain.reach(b.students, minutes, *reported)
    return BookingCompletedV2(
        **facts,
        delivered_minutes=minutes,
        instructor_minutes=instructor_minutes,
        students_reached=reached,
        core_task=domain.core_task(o.kind, o.core_task, b.school_id in HARD_TECH_SCHOOL_IDS),
    )
