"""Read side of events: the programme, its sessions (and who comes to those a company
hosts) and the equipment catalogue."""

from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import select

from services.events.domain import PlanningRefused, RegistrationStatus
from services.events.store import CatalogueEntry, Event, EventSession, Registration
from shared.domain import BACKOFFICE, COMPANY, PROGRAMME
from shared.http import Caller
from shared.service import Runtime

# Groups a host prepares for: those with seats, and those waiting for one.
_EXPECTED = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED,
             RegistrationStatus.WAITLISTED)


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


async def hosted_sessions(rt: Runtime, caller: Caller, host: str | None, limit: int,
                          offset: int) -> list[tuple[EventSession, list[Registration]]]:
    """Sessions with the groups registered for them: a company contact sees the sessions
    its company hosts; the backoffice and programme management any host's (or all)."""
    caller.require(COMPANY, BACKOFFICE, PROGRAMME)
    if caller.role == COMPANY:
        host = caller.organisation
    query = select(EventSession).order_by(EventSession.opens_at, EventSession.title,
                                          EventSession.id)
    if host is not None:
        query = query.where(EventSession.host == host)
    async with rt.db.sessions() as tx:
        sessions = list(await tx.scalars(query.limit(limit).offset(offset)))
        groups = await tx.scalars(
            select(Registration)
            .where(Registration.session_id.in_([s.id for s in sessions]),
                   Registration.status.in_(_EXPECTED))
            .order_by(Registration.created_at, Registration.id))
    by_session = defaultdict(list)
    for registration in groups:
        by_session[registration.session_id].append(registration)
    return [(s, by_session[s.id]) for s in sessions]


async def where_registered(rt: Runtime, session_ids: Iterable[UUID]
                           ) -> dict[UUID, tuple[EventSession, Event]]:
    """Each session with its event: what a registration is for, as people read it."""
    async with rt.db.sessions() as tx:
        rows = await tx.execute(select(EventSession, Event).join(Event)
                                .where(EventSession.id.in_(set(session_ids))))
        return {s.id: (s, e) for s, e in rows}


async def who_comes(rt: Runtime, caller: Caller, event_id: str, session_id: UUID | None
                    ) -> tuple[Event, list[tuple[EventSession, list[Registration]]]]:
    """An event's sessions, each with every group registered for it in the order they asked
    (cancelled ones too, for the record). A company sees only the sessions it hosts."""
    caller.require(BACKOFFICE, PROGRAMME, COMPANY)
    query = (select(EventSession).where(EventSession.event_id == event_id)
             .order_by(EventSession.opens_at, EventSession.title, EventSession.id))
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
            select(Registration).where(Registration.session_id.in_([s.id for s in sessions]))
            .order_by(Registration.created_at, Registration.id))
    by_session = defaultdict(list)
    for registration in groups:
        by_session[registration.session_id].append(registration)
    return event, [(s, by_session[s.id]) for s in sessions]
