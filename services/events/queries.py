"""Read side of events: the programme, its sessions (and who comes to those a company
hosts), the registrations a caller sees and the equipment catalogue."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple
from uuid import UUID

from sqlalchemy import exists, func, select

from services.events.domain import PlanningRefused, RegistrationRefused, RegistrationStatus
from services.events.store import (
    CatalogueEntry,
    Event,
    EventSession,
    Registration,
    waitlist_position,
    waitlist_positions,
)
from shared.domain import (
    ADMIN,
    BACKOFFICE,
    COMPANY,
    PROGRAMME,
    SCHOOL,
    check_agenda_range,
    local_bounds,
    sees_school,
)
from shared.http import Caller
from shared.service import Runtime

# Groups a host prepares for: those with seats, and those waiting for one.
_EXPECTED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.WAITLISTED,
)


class Placed(NamedTuple):
    """A registration as its school sees it: with its place on the list while it waits."""

    registration: Registration
    waitlist_position: int | None


async def event_ids(rt: Runtime) -> set[str]:
    async with rt.db.sessions() as tx:
        return set(await tx.scalars(select(Event.id)))


async def session_ids(rt: Runtime) -> set:
    async with rt.db.sessions() as tx:
        return set(await tx.scalars(select(EventSession.id)))


async def list_events(rt: Runtime, limit: int, offset: int) -> list[Event]:
    async with rt.db.sessions() as tx:
        query = select(Event).order_by(Event.starts_at, Event.id).limit(limit).offset(offset)
        return list(await tx.scalars(query))


async def get_event(rt: Runtime, event_id: str) -> Event | None:
    async with rt.db.sessions() as tx:
        return await tx.get(Event, event_id)


async def session(rt: Runtime, session_id: UUID) -> EventSession | None:
    async with rt.db.sessions() as tx:
        return await tx.get(EventSession, session_id)


async def sessions_of(rt: Runtime, event_id: str) -> list[EventSession] | None:
    """None if there is no such event."""
    async with rt.db.sessions() as tx:
        if await tx.get(Event, event_id) is None:
            return None
        query = select(EventSession).where(EventSession.event_id == event_id)
        return list(await tx.scalars(query.order_by(EventSession.title, EventSession.id)))


async def list_equipment(rt: Runtime) -> list[CatalogueEntry]:
    async with rt.db.sessions() as tx:
        query = select(CatalogueEntry).order_by(CatalogueEntry.category, CatalogueEntry.item_id)
        return list(await tx.scalars(query))


async def hosted_sessions(
    rt: Runtime, caller: Caller, host: str | None, limit: int, offset: int
) -> list[tuple[EventSession, list[Registration]]]:
    """Sessions with the groups registered for them: a company contact sees the sessions
    its company hosts; the backoffice and programme management any host's (or all)."""
    caller.require(COMPANY, BACKOFFICE, PROGRAMME)
    if caller.role == COMPANY:
        host = caller.organisation
    query = select(EventSession).order_by(
        EventSession.opens_at, EventSession.title, EventSession.id
    )
    if host is not None:
        query = query.where(EventSession.host == host)
    async with rt.db.sessions() as tx:
        sessions = list(await tx.scalars(query.limit(limit).offset(offset)))
        groups = await tx.scalars(
            select(Registration)
            .where(
                Registration.session_id.in_([s.id for s in sessions]),
                Registration.status.in_(_EXPECTED),
            )
            .order_by(Registration.created_at, Registration.id)
        )
    by_session = defaultdict(list)
    for registration in groups:
        by_session[registration.session_id].append(registration)
    return [(s, by_session[s.id]) for s in sessions]


async def where_registered(
    rt: Runtime, session_ids: Iterable[UUID]
) -> dict[UUID, tuple[EventSession, Event]]:
    """Each session with its event: what a registration is for, as people read it."""
    async with rt.db.sessions() as tx:
        rows = await tx.execute(
            select(EventSession, Event).join(Event).where(EventSession.id.in_(set(session_ids)))
        )
        return {s.id: (s, e) for s, e in rows}


async def who_comes(
    rt: Runtime, caller: Caller, event_id: str, session_id: UUID | None
) -> tuple[Event, list[tuple[EventSession, list[Registration]]]]:
    """An event's sessions, each with every group registered for it in the order they asked
    (cancelled ones too, for the record). A company sees only the sessions it hosts."""
    caller.require(BACKOFFICE, PROGRAMME, COMPANY)
    query = (
        select(EventSession)
        .where(EventSession.event_id == event_id)
        .order_by(EventSession.opens_at, EventSession.title, EventSession.id)
    )
    if session_id is not None:
        query = query.where(EventSession.id == session_id)
    if caller.role == COMPANY:
        query = query.where(EventSession.host == caller.organisation)
    async with rt.db.sessions() as tx:
        event = await tx.get(Event, event_id)
        if event is None:
            raise PlanningRefused("Dit evenement bestaat niet.", 404)
        sessions = list(await tx.scalars(query))
        groups = await tx.scalars(
            select(Registration)
            .where(Registration.session_id.in_([s.id for s in sessions]))
            .order_by(Registration.created_at, Registration.id)
        )
    by_session = defaultdict(list)
    for registration in groups:
        by_session[registration.session_id].append(registration)
    return event, [(s, by_session[s.id]) for s in sessions]


async def agenda(
    rt: Runtime,
    caller: Caller,
    first: date,
    last: date,
    location: str | None,
    school_id: str | None,
    limit: int,
    offset: int,
) -> list[tuple[EventSession, Event, list[Registration]]]:
    """The events' sessions starting in [first, last] (Amsterdam days; a session without
    times of its own at its event's), by start, each with the groups coming or waiting that
    the caller may see: all for the backoffice and programme, a school only its own."""
    check_agenda_range(first, last, PlanningRefused)
    since, before = local_bounds(first, last)
    starts = func.coalesce(EventSession.starts_at, Event.starts_at)
    query = (
        select(EventSession, Event)
        .join(Event)
        .where(starts >= since, starts < before)
        .order_by(starts, EventSession.title, EventSession.id)
    )
    if location is not None:
        query = query.where(func.coalesce(EventSession.location, Event.location) == location)
    if school_id is not None:
        query = query.where(
            exists(
                select(Registration.id).where(
                    Registration.session_id == EventSession.id,
                    Registration.school_id == school_id,
                    Registration.status.in_(_EXPECTED),
                )
            )
        )
    async with rt.db.sessions() as tx:
        rows = (await tx.execute(query.limit(limit).offset(offset))).all()
        groups = await _visible_groups(tx, caller, [s.id for s, _ in rows])
    return [(s, e, groups.get(s.id, [])) for s, e in rows]


async def _visible_groups(
    tx, caller: Caller, session_ids: list[UUID]
) -> dict[UUID, list[Registration]]:
    if caller.role not in (BACKOFFICE, PROGRAMME, ADMIN, SCHOOL) or not session_ids:
        return {}
    query = select(Registration).where(
        Registration.session_id.in_(session_ids), Registration.status.in_(_EXPECTED)
    )
    if caller.role == SCHOOL:
        query = query.where(Registration.school_id == caller.organisation)
    found: dict[UUID, list[Registration]] = defaultdict(list)
    for r in await tx.scalars(query.order_by(Registration.created_at, Registration.id)):
        found[r.session_id].append(r)
    return found


async def get_registration(rt: Runtime, caller: Caller, registration_id: UUID) -> Placed:
    async with rt.db.sessions() as tx:
        registration = await tx.get(Registration, registration_id)
        if registration is None or not sees_school(
            caller.role, caller.organisation, registration.school_id
        ):
            raise RegistrationRefused("deze inschrijving bestaat niet", 404)
        return Placed(registration, await waitlist_position(tx, registration))


async def list_registrations(rt: Runtime, caller: Caller, limit: int, offset: int) -> list[Placed]:
    """A school's own registrations; the backoffice sees all."""
    caller.require(SCHOOL, BACKOFFICE)
    query = select(Registration).order_by(Registration.created_at, Registration.id)
    if caller.role == SCHOOL:
        query = query.where(Registration.school_id == caller.organisation)
    async with rt.db.sessions() as tx:
        found = list(await tx.scalars(query.limit(limit).offset(offset)))
        positions = await waitlist_positions(tx, found)
        return [Placed(r, positions.get(r.id)) for r in found]
