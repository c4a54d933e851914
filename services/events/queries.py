"""Read side of events: the programme, its sessions and the equipment catalogue."""

from sqlalchemy import select

from services.events.store import CatalogueEntry, Event, EventSession
from shared.service import Runtime


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
