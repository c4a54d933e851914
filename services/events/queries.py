"""Read side of events: the programme and the equipment catalogue."""

from sqlalchemy import select

from services.events.store import CatalogueEntry, Event
from shared.service import Runtime


async def event_ids(rt: Runtime) -> set[str]:
    async with rt.db.sessions() as tx:
        return set(await tx.scalars(select(Event.id)))


async def list_events(rt: Runtime, limit: int, offset: int) -> list[Event]:
    async with rt.db.sessions() as tx:
        query = select(Event).order_by(Event.starts_at, Event.id).limit(limit).offset(offset)
        return list(await tx.scalars(query))


async def get_event(rt: Runtime, event_id: str) -> Event | None:
    async with rt.db.sessions() as tx:
        return await tx.get(Event, event_id)


async def list_equipment(rt: Runtime) -> list[CatalogueEntry]:
    async with rt.db.sessions() as tx:
        query = select(CatalogueEntry).order_by(CatalogueEntry.category, CatalogueEntry.item_id)
        return list(await tx.scalars(query))
