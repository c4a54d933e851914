"""What an event gives finance: the hours a session's host spent (a company's count as
in-kind co-financing) and the event's costs. Each use case changes state and stages its
event in one transaction; the store's unique keys make each one count once."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.events import domain
from services.events.domain import RegistrationRefused
from services.events.store import (
    Event,
    EventCost,
    SessionHosting,
    session_with_event,
    students_present,
    when_and_where,
)
from shared.contracts.events import CostRecordedV1, SessionHostedV1
from shared.contracts.requests.events import NewEventCost
from shared.domain import BACKOFFICE, FINANCE, PROGRAMME, local_date
from shared.http import Caller
from shared.service import Runtime


async def record_held(
    rt: Runtime, caller: Caller, session_id: UUID, minutes: int | None, now: datetime | None = None
) -> SessionHosting:
    """The backoffice records that a session took place; finance hears of it once. The
    students reached are those checked in by then."""
    caller.require(BACKOFFICE)
    now = now or rt.clock.now()
    async with rt.db.transaction() as tx:
        found = await session_with_event(tx, session_id)
        if found is None:
            raise RegistrationRefused("deze sessie bestaat niet", 404)
        session, event = found
        starts_at, ends_at, _ = when_and_where(session, event)
        hosting = SessionHosting(
            id=uuid4(),
            session_id=session.id,
            minutes=domain.hosted_minutes(starts_at, ends_at, now, minutes),
            held_on=local_date(starts_at),
            students_reached=await students_present(tx, session.id),
            recorded_by=caller.actor,
            recorded_at=now,
        )
        tx.add(hosting)
        await _flush_once(tx, "deze sessie is al als gehouden vastgelegd")
        await rt.outbox.stage(
            tx,
            SessionHostedV1(
                hosting_id=hosting.id,
                event_id=event.id,
                event_title=event.title,
                session_id=session.id,
                session_title=session.title,
                host_kind=session.host_kind,
                host=session.host,
                host_name=session.host_name,
                minutes=hosting.minutes,
                held_on=hosting.held_on,
                students_reached=hosting.students_reached,
            ),
        )
    return hosting


async def record_cost(
    rt: Runtime, caller: Caller, event_id: str, cost: NewEventCost, now: datetime | None = None
) -> EventCost:
    caller.require(BACKOFFICE)
    now = now or rt.clock.now()
    async with rt.db.transaction() as tx:
        event = await tx.get(Event, event_id)
        if event is None:
            raise RegistrationRefused("dit evenement bestaat niet", 404)
        recorded = EventCost(
            id=uuid4(),
            event_id=event_id,
            **cost.model_dump(),
            recorded_by=caller.actor,
            recorded_at=now,
        )
        tx.add(recorded)
        await _flush_once(tx, "deze factuur is al voor het evenement vastgelegd")
        await rt.outbox.stage(
            tx,
            CostRecordedV1(
                cost_id=recorded.id, event_id=event_id, event_title=event.title, **cost.model_dump()
            ),
        )
    return recorded


async def costs_of(rt: Runtime, caller: Caller, event_id: str) -> list[EventCost]:
    caller.require(BACKOFFICE, PROGRAMME, FINANCE)
    async with rt.db.sessions() as tx:
        return list(
            await tx.scalars(
                select(EventCost)
                .where(EventCost.event_id == event_id)
                .order_by(EventCost.incurred_on, EventCost.recorded_at, EventCost.id)
            )
        )


async def _flush_once(tx, already: str) -> None:
    """Write now, so a second recording of the same thing meets the unique key (409)."""
    try:
        await tx.flush()
    except IntegrityError as exc:
        raise RegistrationRefused(already) from exc
