"""Demo data: the region's events from the seed document, scheduled once.

The seed gives an event its days; each day becomes an event of its own (Girls Day 2027,
each day of the Week van de Techniek), so classes register for a day. The seed has no
sessions of events: those are GENERATED here, one hosted by the hotspot, one by an mbo and
one by a company per event day, sharing the day's capacity.
"""

from datetime import timedelta
from uuid import NAMESPACE_URL, uuid5

from services.events import domain, queries
from services.events.commands import event_facts, session_facts
from services.events.store import Event, EventSession
from shared import seed
from shared.contracts.events import EventScheduledV1, SessionPlannedV1
from shared.service import Runtime

# GENERATED: registration opens four months before an event day and closes a week before.
REGISTRATION_OPENS = timedelta(days=120)
REGISTRATION_CLOSES = timedelta(days=7)
_MBO = [s for s in seed.SCHOOLS if s.kind == "mbo"]


def occurrences(event: seed.Event) -> list[Event]:
    return [
        Event(
            id=f"{event.id}-{day.isoformat()}",
            title=event.title,
            description=event.description,
            starts_at=starts_at,
            ends_at=ends_at,
            audience=list(event.audience),
            capacity=event.capacity,
            location=event.location,
        )
        for day, (starts_at, ends_at) in zip(
            event.dates, seed.event_occurrences(event), strict=True
        )
    ]


def sessions(event: Event, day: int) -> list[EventSession]:
    """The event day's three workshops; `day` turns the mbo and company hosts round."""
    company = seed.COMPANIES[day % len(seed.COMPANIES)]
    mbo = _MBO[day % len(_MBO)]
    hosts = [
        ("hotspot", seed.HOTSPOT_ID, seed.HOTSPOT_NAME),
        ("mbo", mbo.id, mbo.name),
        ("company", company.id, company.name),
    ]
    return [
        EventSession(
            id=uuid5(NAMESPACE_URL, f"tft:event-session:{event.id}:{kind}"),
            event_id=event.id,
            title=f"{event.title}: workshop bij {name}",
            host_kind=kind,
            host=host,
            host_name=name,
            capacity=event.capacity // len(hosts),
            seats_taken=0,
            audience=list(event.audience),
            opens_at=event.starts_at - REGISTRATION_OPENS,
            closes_at=event.starts_at - REGISTRATION_CLOSES,
        )
        for kind, host, name in hosts
    ]


async def schedule(rt: Runtime, events: list[Event]) -> None:
    async with rt.db.transaction() as tx:
        tx.add_all(events)
        await rt.outbox.stage(tx, *(EventScheduledV1(**event_facts(e)) for e in events))


async def plan_sessions(rt: Runtime, sessions: list[EventSession]) -> None:
    async with rt.db.transaction() as tx:
        tx.add_all(sessions)
        await rt.outbox.stage(tx, *(SessionPlannedV1(**session_facts(s)) for s in sessions))


async def load(rt: Runtime) -> None:
    present = await queries.event_ids(rt)
    days = [e for s in seed.EVENTS for e in occurrences(s)]
    events = [e for e in days if e.id not in present]
    if events:
        await schedule(rt, events)
    planned = await queries.session_ids(rt)
    # Adults register personally for their events: those have no workshops for groups.
    missing = [
        s
        for day, e in enumerate(days)
        if not domain.is_for_adults(e.audience)
        for s in sessions(e, day)
        if s.id not in planned
    ]
    if missing:
        await plan_sessions(rt, missing)
