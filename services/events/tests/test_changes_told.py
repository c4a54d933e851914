"""A change of an event or session names the schools with a group holding seats in what
moves, so notify can tell each of them (migrated SQLite store, through the outbox)."""

from datetime import timedelta
from uuid import uuid4

from services.events import commands, demo
from services.events.store import EventSession
from services.events.tests.scenario import BACKOFFICE, NOW, group, plan_session, school, staged
from shared.contracts.requests.events import EventChange, EventSessionChange

EVENT = "girls-day-2027-04-08"
DAY = NOW + timedelta(days=7)  # plan_session's event: from DAY, six hours


async def own_times_session(rt) -> EventSession:
    session = EventSession(
        id=uuid4(),
        event_id=EVENT,
        title="VR-lab",
        host_kind="hotspot",
        host="hotspot",
        host_name="Hotspot",
        capacity=30,
        seats_taken=0,
        audience=["vmbo-kb"],
        opens_at=NOW - timedelta(days=30),
        closes_at=NOW + timedelta(days=5),
        starts_at=DAY + timedelta(hours=1),
        ends_at=DAY + timedelta(hours=3),
    )
    await demo.plan_sessions(rt, [session])
    return session


async def test_a_moved_event_and_session_name_the_schools_holding_seats_in_them(rt):
    follows_event = await plan_session(rt, capacity=60, event_id=EVENT)
    own_times = (await own_times_session(rt)).id
    for school_id, session_id in (
        ("corlaer", follows_event),
        ("corlaer", follows_event),
        ("element", follows_event),
        ("lodenstein", own_times),
    ):
        await commands.register(rt, school(school_id), session_id, group(10), now=NOW)
    left = await commands.register(rt, school("trivium"), follows_event, group(10), now=NOW)
    await commands.cancel(rt, school("trivium"), left.registration.id, now=NOW)

    await commands.change_event(
        rt, BACKOFFICE, EVENT, EventChange(ends_at=DAY + timedelta(hours=7))
    )
    await commands.change_session(
        rt,
        BACKOFFICE,
        own_times,
        EventSessionChange(starts_at=DAY + timedelta(hours=2), ends_at=DAY + timedelta(hours=4)),
        now=NOW,
    )

    [event_changed] = await staged(rt, "changed", aggregate="event")
    [session_changed] = await staged(rt, "changed", aggregate="session")
    assert event_changed["registered_schools"] == ["corlaer", "element"]
    assert session_changed["registered_schools"] == ["lodenstein"]
