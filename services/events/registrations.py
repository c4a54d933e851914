"""Registration use cases: each is one unit of work that changes state and stages the events
it causes. Seats are counted by the store (conditional UPDATE, CHECK constraint, row locks);
the rules come from `domain`."""

from datetime import datetime
from typing import NamedTuple
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.events import domain
from services.events.domain import RegistrationRefused, RegistrationStatus, SessionFacts
from services.events.store import (
    Event,
    EventSession,
    Registration,
    change_seats_taken,
    due_offers,
    lock_session,
    registration_by_code,
    session_with_event,
    take_seats,
    waiting_groups,
    waitlist_position,
    when_and_where,
)
from shared.contracts.common import Group
from shared.contracts.events import (
    RegistrationCancelledV1,
    RegistrationCheckedInV1,
    RegistrationConfirmedV1,
    RegistrationOfferedV1,
    RegistrationOfferLapsedV1,
    RegistrationWaitlistedV1,
)
from shared.domain import BACKOFFICE, SCHOOL, acting_school, sees_school
from shared.http import Caller
from shared.periodic import Periodic
from shared.service import Runtime
from shared.store.db import existing

# How often lapsed offers are looked for: a place waits at most this long past its deadline.
LAPSE_POLL_SECONDS = 60.0


class Placed(NamedTuple):
    """A registration as its school sees it: with its place on the list while it waits."""

    registration: Registration
    waitlist_position: int | None


def _facts(r: Registration, s: EventSession, e: Event) -> dict:
    starts_at, _, location = when_and_where(s, e)
    return dict(
        registration_id=r.id,
        session_id=s.id,
        session_title=s.title,
        event_id=e.id,
        event_title=e.title,
        school_id=r.school_id,
        group=Group.of(r),
        profile=r.profile,
        starts_at=starts_at,
        location=location,
        registered_by=r.registered_by,
    )


async def register(
    rt: Runtime,
    caller: Caller,
    session_id: UUID,
    group: Group,
    profile: str | None = None,
    now: datetime | None = None,
    school_id: str | None = None,
) -> Placed:
    """Confirm the group if its seats are free, else put it on the session's waiting list.
    The backoffice registers on behalf of `school_id`: the registration is that school's."""
    school = acting_school(caller.role, caller.organisation, school_id, RegistrationRefused)
    now = now or rt.clock.now()
    async with rt.db.transaction() as tx:
        found = await session_with_event(tx, session_id)
        if found is None:
            raise RegistrationRefused("deze sessie bestaat niet", 404)
        session, event = found
        domain.check_registrable(
            SessionFacts(session.capacity, session.audience, session.opens_at, session.closes_at),
            group,
            now,
        )
        seated = await _seat(tx, session_id, group.students)
        registration = Registration(
            id=uuid4(),
            session_id=session_id,
            event_id=event.id,
            school_id=school,
            group_name=group.name,
            level=group.level,
            year=group.year,
            students=group.students,
            profile=profile,
            registered_by=caller.actor,
            status=RegistrationStatus.CONFIRMED if seated else RegistrationStatus.WAITLISTED,
            check_in_code=domain.new_check_in_code(),
            created_at=now,
            updated_at=now,
        )
        tx.add(registration)
        position = await waitlist_position(tx, registration)
        facts = _facts(registration, session, event)
        await rt.outbox.stage(
            tx,
            RegistrationConfirmedV1(**facts)
            if position is None
            else RegistrationWaitlistedV1(**facts, position=position),
        )
    return Placed(registration, position)


async def _seat(tx: AsyncSession, session_id: UUID, students: int) -> bool:
    """Take the group's seats if they are free. A refusal is asked again under the session's
    lock: a release committing meanwhile offers seats only to the waiting list it sees, so a
    group must not join that list while seats it fits in are being freed."""
    if await take_seats(tx, session_id, students):
        return True
    await lock_session(tx, session_id)
    return await take_seats(tx, session_id, students)


async def get_visible(rt: Runtime, caller: Caller, registration_id: UUID) -> Placed:
    async with rt.db.sessions() as tx:
        registration = await tx.get(Registration, registration_id)
        if registration is None or not sees_school(
            caller.role, caller.organisation, registration.school_id
        ):
            raise RegistrationRefused("deze inschrijving bestaat niet", 404)
        return Placed(registration, await waitlist_position(tx, registration))


async def list_visible(rt: Runtime, caller: Caller, limit: int, offset: int) -> list[Placed]:
    """A school's own registrations; the backoffice sees all."""
    caller.require(SCHOOL, BACKOFFICE)
    query = select(Registration).order_by(Registration.created_at, Registration.id)
    if caller.role == SCHOOL:
        query = query.where(Registration.school_id == caller.organisation)
    async with rt.db.sessions() as tx:
        found = list(await tx.scalars(query.limit(limit).offset(offset)))
        return [Placed(r, await waitlist_position(tx, r)) for r in found]


async def accept(
    rt: Runtime, caller: Caller, registration_id: UUID, now: datetime | None = None
) -> Registration:
    """The school takes the place it was offered; its seats are held already."""
    caller.require(SCHOOL)  # the school's own choice, not the backoffice's
    now = now or rt.clock.now()
    async with rt.db.transaction() as tx:
        registration, session, event = await _locked(tx, caller, registration_id)
        registration.status = domain.accept(
            RegistrationStatus(registration.status), registration.offer_expires_at, now
        )
        registration.offer_expires_at, registration.updated_at = None, now
        await rt.outbox.stage(
            tx, RegistrationConfirmedV1(**_facts(registration, session, event), from_offer=True)
        )
    return registration


async def cancel(
    rt: Runtime, caller: Caller, registration_id: UUID, now: datetime | None = None
) -> Registration:
    """Cancel a registration, decline an offer or leave the waiting list."""
    now = now or rt.clock.now()
    async with rt.db.transaction() as tx:
        registration, session, event = await _locked(tx, caller, registration_id)
        old = RegistrationStatus(registration.status)
        registration.status = domain.cancel(old, registration.checked_in_at is not None)
        registration.offer_expires_at, registration.updated_at = None, now
        await rt.outbox.stage(
            tx,
            RegistrationCancelledV1(
                **_facts(registration, session, event),
                cancelled_by=caller.role,
                was_waitlisted=old is RegistrationStatus.WAITLISTED,
            ),
        )
        if old in domain.HOLDS_SEATS:
            await _release_and_offer(rt, tx, registration, session, event, now)
    return registration


async def _locked(tx: AsyncSession, caller: Caller, registration_id: UUID):
    registration = await tx.get(Registration, registration_id, with_for_update=True)
    if registration is None or not sees_school(
        caller.role, caller.organisation, registration.school_id
    ):
        raise RegistrationRefused("deze inschrijving bestaat niet", 404)
    session, event = await session_with_event(tx, registration.session_id)
    return registration, session, event


async def lapse_offers(rt: Runtime, now: datetime | None = None) -> int:
    """Let every offer past its deadline lapse; return how many did. Each in a transaction of
    its own, re-checked under the row's lock: an offer accepted meanwhile stays accepted."""
    now = now or rt.clock.now()
    async with rt.db.sessions() as tx:
        due = await due_offers(tx, now)
    lapsed = 0
    for registration_id in due:
        async with rt.db.transaction() as tx:
            registration = await existing(
                tx, Registration, registration_id, with_for_update=True, populate_existing=True
            )
            if not domain.has_lapsed(
                RegistrationStatus(registration.status), registration.offer_expires_at, now
            ):
                continue
            session, event = await session_with_event(tx, registration.session_id)
            registration.status = RegistrationStatus.LAPSED
            registration.offer_expires_at, registration.updated_at = None, now
            await rt.outbox.stage(
                tx, RegistrationOfferLapsedV1(**_facts(registration, session, event))
            )
            await _release_and_offer(rt, tx, registration, session, event, now)
            lapsed += 1
    return lapsed


async def lapse_offers_forever(rt: Runtime) -> None:
    """The periodic task: the deadlines are stored, so a restart only delays a lapse."""
    # The store down: the next round tries again, never giving up.
    await Periodic(lambda: lapse_offers(rt), LAPSE_POLL_SECONDS, "lapsing offers failed").run()


async def _release_and_offer(
    rt: Runtime,
    tx: AsyncSession,
    leaving: Registration,
    session: EventSession,
    event: Event,
    now: datetime,
) -> None:
    """Give the seats back and, in the same transaction, offer them to the waiting groups
    that fit, holding the seats until each offer's deadline: seats are never free while a
    group that fits them waits, not even for a moment."""
    free = await change_seats_taken(tx, session.id, -leaving.students)
    await offer_seats(rt, tx, session, event, free, now)


async def offer_seats(
    rt: Runtime, tx: AsyncSession, session: EventSession, event: Event, free: int, now: datetime
) -> None:
    """Offer `free` seats of the session (under its lock) to the waiting groups that fit."""
    waiting = await waiting_groups(tx, session.id)
    chosen = set(domain.offers(free, [(w.id, w.students) for w in waiting]))
    offered = [w for w in waiting if w.id in chosen]
    if not offered:
        return
    await change_seats_taken(tx, session.id, sum(w.students for w in offered))
    deadline = domain.offer_deadline(now, when_and_where(session, event).starts_at)
    for registration in offered:
        registration.status = RegistrationStatus.OFFERED
        registration.offer_expires_at, registration.updated_at = deadline, now
    await rt.outbox.stage(
        tx,
        *(
            RegistrationOfferedV1(**_facts(r, session, event), offer_expires_at=deadline)
            for r in offered
        ),
    )


async def check_in(
    rt: Runtime,
    caller: Caller,
    event_id: str,
    code: str,
    students_present: int,
    now: datetime | None = None,
) -> Registration:
    """Record a group's attendance on the day, once, from the code it shows."""
    caller.require(BACKOFFICE)
    now = now or rt.clock.now()
    async with rt.db.transaction() as tx:
        registration = await registration_by_code(tx, event_id, code)
        if registration is None:  # wrong code and another event's code look the same
            raise RegistrationRefused("geen inschrijving met deze code voor dit evenement", 404)
        domain.check_attendance(
            RegistrationStatus(registration.status),
            registration.checked_in_at is not None,
            registration.students,
            students_present,
        )
        registration.students_present, registration.checked_in_at = students_present, now
        registration.updated_at = now
        session, event = await session_with_event(tx, registration.session_id)
        await rt.outbox.stage(
            tx,
            RegistrationCheckedInV1(
                **_facts(registration, session, event),
                students_present=students_present,
                checked_in_at=now,
            ),
        )
    return registration
