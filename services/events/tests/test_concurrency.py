"""Places under concurrent registrations, on both stores (SQLite and PostgreSQL): the database
keeps them right (the conditional UPDATE, the CHECK constraint, the session's row lock,
SQLite's write lock), not Python."""

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from services.events import attendees, commands, hosting, queries
from services.events.domain import OFFER_TIME, PERSONS_PER_ACCOUNT, RegistrationRefused
from services.events.store import Event
from services.events.tests.scenario import (
    BACKOFFICE,
    NOW,
    group,
    migrated_runtime,
    person,
    plan_session,
    schedule_meeting,
    school,
    seats_taken,
    staged,
)
from shared.tests.racing import warm

pytestmark = pytest.mark.integration

CAPACITY = 100
REQUESTS = 200


@pytest.fixture
async def rt(each_store):
    runtime = await migrated_runtime(each_store("tft_events_concurrency"))
    await warm(runtime.db)
    yield runtime
    await runtime.db.dispose()


async def _state(rt, placed) -> dict:
    """Registration id -> (status, waitlist position), as each owning school sees it."""
    seen = [
        await queries.get_registration(rt, school(p.registration.school_id), p.registration.id)
        for p in placed
    ]
    return {s.registration.id: (s.registration.status, s.waitlist_position) for s in seen}


async def test_concurrent_registrations_never_exceed_capacity_and_freed_seats_move_on(rt):
    session_id = await plan_session(rt, capacity=CAPACITY)

    placed = await asyncio.gather(
        *(
            commands.register(
                rt, school(f"school-{i}"), session_id, group(1, name=f"G{i}"), now=NOW
            )
            for i in range(REQUESTS)
        )
    )

    assert Counter(p.registration.status for p in placed) == {"confirmed": 100, "waitlisted": 100}
    assert await seats_taken(rt, session_id) == CAPACITY
    state = await _state(rt, placed)
    waiting = sorted((s[1], rid) for rid, s in state.items() if s[0] == "waitlisted")
    assert [position for position, _ in waiting] == list(range(1, 101))

    leaving = next(p for p in placed if p.registration.status == "confirmed")
    await commands.cancel(
        rt, school(leaving.registration.school_id), leaving.registration.id, now=NOW
    )
    first, second = waiting[0][1], waiting[1][1]
    state = await _state(rt, placed)
    assert state[first] == ("offered", None)
    assert state[second] == ("waitlisted", 1)
    assert await seats_taken(rt, session_id) == CAPACITY  # the offer holds the freed seat

    assert await commands.lapse_offers(rt, now=NOW + OFFER_TIME) == 1
    state = await _state(rt, placed)
    assert (state[first][0], state[second][0]) == ("lapsed", "offered")
    assert await seats_taken(rt, session_id) == CAPACITY
    assert [e["registration_id"] for e in await staged(rt, "offered")] == [str(first), str(second)]


async def test_registrations_racing_cancellations_leave_no_seat_free_while_a_group_waits(rt):
    session_id = await plan_session(rt, capacity=10)
    confirmed = [
        await commands.register(rt, school(f"c{i}"), session_id, group(1), now=NOW)
        for i in range(10)
    ]

    late = await asyncio.gather(
        *(commands.register(rt, school(f"w{i}"), session_id, group(1), now=NOW) for i in range(20)),
        *(
            commands.cancel(rt, school(p.registration.school_id), p.registration.id, now=NOW)
            for p in confirmed[:5]
        ),
    )

    statuses = Counter(p.registration.status for p in late[:20])
    state = Counter(status for status, _ in (await _state(rt, late[:20])).values())
    # Every freed seat went to a newcomer or is held by an offer; none is left free.
    assert await seats_taken(rt, session_id) == 10
    assert state["confirmed"] + state["offered"] == 5
    assert statuses["confirmed"] + statuses["waitlisted"] == 20


async def test_concurrent_persons_never_exceed_the_meeting_nor_register_an_address_twice(rt):
    meeting = await schedule_meeting(rt, capacity=20)

    outcomes = await asyncio.gather(
        *(
            attendees.register(
                rt, person(f"p{i}"), meeting, f"Persoon {i}", f"p{i % 30}@regio.nl", now=NOW
            )
            for i in range(60)
        ),
        return_exceptions=True,
    )

    registered = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, RegistrationRefused)]
    assert (len(registered), len(refused)) == (20, 40)
    assert len({a.email for a in registered}) == 20
    async with rt.db.sessions() as tx:
        assert (await tx.get(Event, meeting)).seats_taken == 20


async def test_one_account_registers_at_most_five_persons_even_all_at_once(rt):
    meeting = await schedule_meeting(rt, capacity=150)

    outcomes = await asyncio.gather(
        *(
            attendees.register(
                rt, person("anna"), meeting, f"Collega {i}", f"c{i}@bouw.nl", now=NOW
            )
            for i in range(12)
        ),
        return_exceptions=True,
    )

    refused = [o for o in outcomes if isinstance(o, RegistrationRefused)]
    assert len(refused) == 12 - PERSONS_PER_ACCOUNT
    assert {r.status for r in refused} == {409}
    assert await seats_taken_by_persons(rt, meeting) == PERSONS_PER_ACCOUNT
    # The backoffice registers a list of any length.
    for i in range(8):
        await attendees.register(rt, BACKOFFICE, meeting, f"Gast {i}", f"g{i}@regio.nl", now=NOW)


async def seats_taken_by_persons(rt, meeting: str) -> int:
    async with rt.db.sessions() as tx:
        return (await tx.get(Event, meeting)).seats_taken


async def test_a_session_recorded_as_held_concurrently_tells_finance_once(rt):
    session_id = await plan_session(rt, capacity=10)
    after = NOW + timedelta(days=8)

    outcomes = await asyncio.gather(
        *(hosting.record_held(rt, BACKOFFICE, session_id, 120, now=after) for _ in range(10)),
        return_exceptions=True,
    )

    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert all(isinstance(o, RegistrationRefused) for o in outcomes if isinstance(o, Exception))
    assert len(await staged(rt, "hosted", aggregate="session")) == 1


async def test_the_list_shows_each_waiting_groups_position_as_its_own_page_does(rt):
    session_id = await plan_session(rt, capacity=20)
    await asyncio.gather(
        *(
            commands.register(rt, school(s), session_id, group(10), now=NOW)
            for s in ("element", "nxt", "corlaer", "trivium", "lodenstein", "oostwende")
        )
    )

    listed = [
        p
        for p in await queries.list_registrations(rt, BACKOFFICE, limit=500, offset=0)
        if p.registration.session_id == session_id
    ]

    positions = {p.registration.id: (p.registration.status, p.waitlist_position) for p in listed}
    assert positions == await _state(rt, listed)
    assert sorted(p for _, p in positions.values() if p is not None) == [1, 2, 3, 4]
