"""Use cases of events: each changes state and stages the events it causes in the same
transaction. The backoffice plans events and their sessions; schools register groups for
sessions, whose seats are counted by the store (conditional UPDATE, CHECK constraint, row
locks); the rules come from `domain`."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.events import domain
from services.events.domain import (
    EventPlan,
    PlanningRefused,
    RegistrationRefused,
    RegistrationStatus,
    SessionFacts,
    SessionPlan,
)
from services.events.queries import Placed
from services.events.store import (
    EVENT_SESSIONS,
    REGISTRATIONS,
    WAITLIST,
    CatalogueEntry,
    Event,
    EventSession,
    Registration,
    due_offers,
    levels_holding_places,
    registration_by_code,
    schools_holding_seats,
    session_with_event,
    waitlist_position,
    when_and_where,
)
from shared.contracts.common import Group
from shared.contracts.events import (
    EventChangedV1,
    EventScheduledV1,
    RegistrationCancelledV1,
    RegistrationCheckedInV1,
    RegistrationConfirmedV1,
    RegistrationOfferedV1,
    RegistrationOfferLapsedV1,
    RegistrationWaitlistedV1,
    SessionChangedV1,
    SessionPlannedV1,
)
from shared.contracts.loans import ItemChangedV1, ItemRegisteredV1
from shared.contracts.requests.events import (
    EventChange,
    EventSessionChange,
    NewEvent,
    NewEventSession,
)
from shared.domain import BACKOFFICE, SCHOOL, acting_school, sees_school
from shared.http import Caller
from shared.service import Runtime
from shared.store import seats
from shared.store.changes import apply_change
from shared.store.db import existing
from shared.store.versions import claim


async def catalogue_item(tx: AsyncSession, item: ItemRegisteredV1 | ItemChangedV1) -> None:
    """Upsert: a re-registered or changed item overwrites what the catalogue knew of it."""
    if not item.loanable:  # stationary equipment cannot go to an event
        await uncatalogue_item(tx, item.item_id)
        return
    await tx.merge(
        CatalogueEntry(
            item_id=item.item_id, name=item.name, category=item.category, quantity=item.quantity
        )
    )


async def uncatalogue_item(tx: AsyncSession, item_id: str) -> None:
    """A retired (or no longer lendable) item leaves the catalogue; again is a no-op."""
    await tx.execute(delete(CatalogueEntry).where(CatalogueEntry.item_id == item_id))


# The backoffice plans events and their sessions; each change is told on tft.events.event.


def _event_plan(e: Event) -> EventPlan:
    return EventPlan(e.starts_at, e.ends_at, e.audience, e.capacity)


def _session_plan(s: EventSession) -> SessionPlan:
    return SessionPlan(s.capacity, s.audience, s.opens_at, s.closes_at, s.starts_at, s.ends_at)


def event_facts(e: Event) -> dict:
    return dict(
        event_id=e.id,
        title=e.title,
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        audience=e.audience,
        capacity=e.capacity,
        location=e.location,
    )


def session_facts(s: EventSession) -> dict:
    return dict(
        event_id=s.event_id,
        session_id=s.id,
        title=s.title,
        host_kind=s.host_kind,
        host=s.host,
        host_name=s.host_name,
        capacity=s.capacity,
        audience=s.audience,
        opens_at=s.opens_at,
        closes_at=s.closes_at,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        location=s.location,
    )


async def create_event(rt: Runtime, caller: Caller, plan: NewEvent) -> Event:
    caller.require(BACKOFFICE)
    event = Event(
        id=domain.event_id_for(plan.title, plan.starts_at), seats_taken=0, **plan.model_dump()
    )
    domain.check_event(_event_plan(event))
    async with rt.db.transaction() as tx:
        if await tx.get(Event, event.id) is not None:
            raise PlanningRefused(
                f"Er is al een evenement {event.id}: kies een andere titel "
                "of dag, of wijzig dat evenement."
            )
        tx.add(event)
        await rt.outbox.stage(tx, EventScheduledV1(**event_facts(event)))
    return event


async def change_event(rt: Runtime, caller: Caller, event_id: str, change: EventChange) -> Event:
    """Change an event; its sessions must still fit in it (move those first)."""
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        await claim(tx, Event, id=event_id)
        event = await tx.get(Event, event_id, with_for_update=True, populate_existing=True)
        if event is None:
            raise PlanningRefused("Dit evenement bestaat niet.", 404)
        changed = apply_change(event, change)
        domain.check_event(_event_plan(event), event.seats_taken)
        for session in await tx.scalars(
            select(EventSession).where(EventSession.event_id == event_id)
        ):
            domain.check_session(_session_plan(session), _event_plan(event))
        if changed:
            following = select(EventSession.id).where(
                EventSession.event_id == event_id, EventSession.starts_at.is_(None)
            )
            await rt.outbox.stage(
                tx,
                EventChangedV1(
                    **event_facts(event),
                    changed=changed,
                    registered_schools=await schools_holding_seats(tx, following),
                ),
            )
    return event


async def add_session(
    rt: Runtime, caller: Caller, event_id: str, plan: NewEventSession
) -> EventSession:
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        event = await tx.get(Event, event_id)
        if event is None:
            raise PlanningRefused("Dit evenement bestaat niet.", 404)
        session = EventSession(id=uuid4(), event_id=event_id, seats_taken=0, **plan.model_dump())
        domain.check_session(_session_plan(session), _event_plan(event))
        tx.add(session)
        await rt.outbox.stage(tx, SessionPlannedV1(**session_facts(session)))
    return session


async def change_session(
    rt: Runtime,
    caller: Caller,
    session_id: UUID,
    change: EventSessionChange,
    now: datetime | None = None,
) -> EventSession:
    """Change a session under its lock; seats a larger capacity frees go to waiting groups
    at once, as when a group cancels."""
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        await claim(tx, EventSession, id=session_id)
        session = await tx.get(
            EventSession, session_id, with_for_update=True, populate_existing=True
        )
        if session is None:
            raise PlanningRefused("Deze sessie bestaat niet.", 404)
        event = await existing(tx, Event, session.event_id)
        levels = await levels_holding_places(tx, session_id)
        changed = apply_change(session, change)
        domain.check_session(
            _session_plan(session), _event_plan(event), session.seats_taken, levels
        )
        if not changed:
            return session
        await tx.flush()
        await rt.outbox.stage(
            tx,
            SessionChangedV1(
                **session_facts(session),
                changed=changed,
                registered_schools=await schools_holding_seats(tx, [session.id]),
            ),
        )
        if "capacity" in changed:
            await offer_seats(
                rt,
                tx,
                session,
                event,
                session.capacity - session.seats_taken,
                now or rt.clock.now(),
            )
    return session


# Schools register groups for sessions; a group that does not fit waits for seats.


def _facts(r: Registration | Row, s: EventSession, e: Event) -> dict:
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
        seated = await seats.take_or_wait(tx, EVENT_SESSIONS, session_id, group.students)
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
        await tx.flush()  # before the waiting list is counted in Core
        position = await waitlist_position(tx, registration)
        facts = _facts(registration, session, event)
        await rt.outbox.stage(
            tx,
            RegistrationConfirmedV1(**facts)
            if position is None
            else RegistrationWaitlistedV1(**facts, position=position),
        )
    return Placed(registration, position)


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
    free = await seats.change(tx, EVENT_SESSIONS, session.id, -leaving.students)
    await offer_seats(rt, tx, session, event, free, now)


async def offer_seats(
    rt: Runtime, tx: AsyncSession, session: EventSession, event: Event, free: int, now: datetime
) -> None:
    """Offer `free` seats of the session (under its lock) to the waiting groups that fit."""

    async def fitting(free: int, waiting) -> list[UUID]:
        return domain.offers(free, [(w.id, w.students) for w in waiting])

    offered = await seats.seat_waiting(tx, WAITLIST, session.id, free, fitting)
    seats.keep_in_step(session, free - sum(r.students for r in offered))
    if not offered:
        return
    deadline = domain.offer_deadline(now, when_and_where(session, event).starts_at)
    await tx.execute(
        update(REGISTRATIONS)
        .where(REGISTRATIONS.c.id.in_([r.id for r in offered]))
        .values(status=RegistrationStatus.OFFERED, offer_expires_at=deadline, updated_at=now)
    )
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
