"""Use cases: each changes state and stages the events it causes in the same transaction."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.events import domain, registrations
from services.events.domain import EventPlan, PlanningRefused, SessionPlan
from services.events.store import (
    CatalogueEntry,
    Event,
    EventSession,
    levels_holding_places,
    schools_holding_seats,
)
from shared.contracts.events import (
    EventChangedV1,
    EventScheduledV1,
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
from shared.domain import BACKOFFICE
from shared.http import Caller
from shared.service import Runtime
from shared.store.changes import apply_change
from shared.store.db import existing
from shared.store.versions import claim


async def schedule(rt: Runtime, events: list[Event]) -> None:
    async with rt.db.transaction() as tx:
        tx.add_all(events)
        await rt.outbox.stage(tx, *(EventScheduledV1(**_event_facts(e)) for e in events))


async def plan_sessions(rt: Runtime, sessions: list[EventSession]) -> None:
    async with rt.db.transaction() as tx:
        tx.add_all(sessions)
        await rt.outbox.stage(tx, *(SessionPlannedV1(**_session_facts(s)) for s in sessions))


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


def _event_facts(e: Event) -> dict:
    return dict(
        event_id=e.id,
        title=e.title,
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        audience=e.audience,
        capacity=e.capacity,
        location=e.location,
    )


def _session_facts(s: EventSession) -> dict:
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
        await rt.outbox.stage(tx, EventScheduledV1(**_event_facts(event)))
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
                    **_event_facts(event),
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
        await rt.outbox.stage(tx, SessionPlannedV1(**_session_facts(session)))
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
                **_session_facts(session),
                changed=changed,
                registered_schools=await schools_holding_seats(tx, [session.id]),
            ),
        )
        if "capacity" in changed:
            await registrations.offer_seats(
                rt,
                tx,
                session,
                event,
                session.capacity - session.seats_taken,
                now or rt.clock.now(),
            )
    return session
