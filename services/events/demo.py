"""Demo data: the region's events from the seed document, scheduled once.

The seed gives an event its days; each day becomes an event of its own (Girls Day 2027,
each day of the Week van de Techniek), so classes register for a day.
"""

from services.events import commands, queries
from services.events.store import Event
from shared import seed
from shared.service import Runtime


def occurrences(event: seed.Event) -> list[Event]:
    return [
        Event(id=f"{event.id}-{day.isoformat()}", title=event.title,
              description=event.description, starts_at=starts_at, ends_at=ends_at,
              audience=list(event.audience), capacity=event.capacity, location=event.location)
        for day, (starts_at, ends_at) in zip(event.dates, seed.event_occurrences(event),
                                             strict=True)
    ]


async def load(rt: Runtime) -> None:
    present = await queries.event_ids(rt)
    events = [e for s in seed.EVENTS for e in occurrences(s) if e.id not in present]
    if events:
        await commands.schedule(rt, events)
