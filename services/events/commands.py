"""Use cases: each changes state and stages the events it causes in the same transaction."""

from sqlalchemy.ext.asyncio import AsyncSession

from services.events.store import CatalogueEntry, Event, EventSession
from shared.contracts.events import EventScheduledV1, SessionPlannedV1
from shared.contracts.loans import ItemRegisteredV1
from shared.service import Runtime


async def schedule(rt: Runtime, events: list[Event]) -> None:
    async with rt.db.transaction() as tx:
        tx.add_all(events)
        await rt.outbox.stage(tx, *(
            EventScheduledV1(event_id=e.id, title=e.title, starts_at=e.starts_at,
                             ends_at=e.ends_at, audience=e.audience, capacity=e.capacity,
                             location=e.location)
            for e in events
        ))


async def plan_sessions(rt: Runtime, sessions: list[EventSession]) -> None:
    async with rt.db.transaction() as tx:
        tx.add_all(sessions)
        await rt.outbox.stage(tx, *(
            SessionPlannedV1(event_id=s.event_id, session_id=s.id, title=s.title,
                             host_kind=s.host_kind, host=s.host, host_name=s.host_name,
                             capacity=s.capacity,
                             audience=s.audience, opens_at=s.opens_at, closes_at=s.closes_at)
            for s in sessions
        ))


async def catalogue_item(tx: AsyncSession, item: ItemRegisteredV1) -> None:
    """Upsert: a re-registered item overwrites what the catalogue knew of it."""
    if not item.loanable:
        return  # stationary equipment cannot go to an event
    await tx.merge(CatalogueEntry(item_id=item.item_id, name=item.name,
                                  category=item.category, quantity=item.quantity))
