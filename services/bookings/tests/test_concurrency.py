"""Seats, quotas, series and room or instructor clashes under concurrent requests, on both
stores (SQLite and PostgreSQL): the database keeps them right (the conditional UPDATE, the
CHECK constraint, the session's row lock, SQLite's write lock), not Python."""

import asyncio
import contextlib
from collections import Counter
from datetime import timedelta
from uuid import uuid4

import pytest

from services.bookings import calendar, catalogue, commands, domain, queries
from services.bookings.domain import BookingRefused
from services.bookings.store import Session
from services.bookings.tests.scenario import (
    BACKOFFICE,
    group,
    migrated_runtime,
    new_offering,
    plan_session,
    school,
    seats_taken,
    staged,
    two_hours_on_an_open_day,
)
from shared.contracts.loans import SessionEquipmentReservedV1
from shared.tests.racing import GaveUp, until_waiting_on_locks, warm

pytestmark = pytest.mark.integration

CAPACITY = 30
REQUESTS = 100
PLANS = 20


@pytest.fixture
async def rt(each_store):
    runtime = await migrated_runtime(each_store("tft_bookings_concurrency"))
    await warm(runtime.db)
    yield runtime
    await runtime.db.dispose()


async def test_the_last_seats_go_to_exactly_as_many_groups_and_cancellations_promote_in_order(rt):
    session_id = await plan_session(rt, capacity=CAPACITY)
    await commands.book(rt, school("element"), session_id, group(CAPACITY - 20))

    placed = await asyncio.gather(
        *(
            commands.book(rt, school(f"school-{i}"), session_id, group(1, name=f"G{i}"))
            for i in range(REQUESTS)
        )
    )

    by_status = Counter(p.booking.status for p in placed)
    assert by_status == {"confirmed": 20, "waitlisted": 80}
    assert await seats_taken(rt, session_id) == CAPACITY
    waiting = await _waitlist(rt, placed)
    assert [position for _, position in waiting] == list(range(1, 81))

    leaving = [p for p in placed if p.booking.status == "confirmed"][:5]
    await asyncio.gather(
        *(commands.cancel(rt, school(p.booking.school_id), p.booking.id) for p in leaving)
    )

    promoted = [e["booking_id"] for e in await staged(rt, "confirmed") if e["from_waitlist"]]
    first_five = [str(booking_id) for booking_id, _ in waiting[:5]]
    # Each cancellation promotes under the session's lock, so staging order is promotion order.
    assert promoted == first_five
    assert [position for _, position in await _waitlist(rt, placed)] == list(range(1, 76))
    assert await seats_taken(rt, session_id) == CAPACITY

    confirmations = Counter(e["booking_id"] for e in await staged(rt, "confirmed"))
    ever_confirmed = 1 + 20 + 5
    assert len(confirmations) == ever_confirmed and set(confirmations.values()) == {1}


async def _waitlist(rt, placed) -> list[tuple]:
    """(booking id, position) of the groups still waiting, in waitlist order."""
    seen = [
        await queries.get_visible(rt, school(p.booking.school_id), p.booking.id) for p in placed
    ]
    return sorted(
        ((s.booking.id, s.waitlist_position) for s in seen if s.waitlist_position is not None),
        key=lambda w: w[1],
    )


async def test_groups_leaving_the_waitlist_while_seats_free_up_never_hold_seats(rt):
    session_id = await plan_session(rt, capacity=10)
    confirmed = [await commands.book(rt, school(f"c{i}"), session_id, group(1)) for i in range(10)]
    waiting = [await commands.book(rt, school(f"w{i}"), session_id, group(1)) for i in range(20)]

    await asyncio.gather(
        *(
            commands.cancel(rt, school(p.booking.school_id), p.booking.id)
            for p in confirmed[:5] + waiting[:5]
        )
    )

    # A leaving group may be promoted first and then cancelled (freeing its seat again), but
    # it ends cancelled, and the next five in line hold the seats, in order.
    statuses = [
        (await queries.get_visible(rt, school(p.booking.school_id), p.booking.id)).booking.status
        for p in waiting
    ]
    assert statuses == ["cancelled"] * 5 + ["confirmed"] * 5 + ["waitlisted"] * 10
    assert await seats_taken(rt, session_id) == 10
    confirmations = Counter(e["booking_id"] for e in await staged(rt, "confirmed"))
    assert set(confirmations.values()) == {1}


async def test_concurrent_plans_for_one_room_at_one_time_give_exactly_one_session(rt):
    offering_id = await new_offering(rt)
    starts, ends = two_hours_on_an_open_day()

    async def plan(i: int):
        # Each plan has an instructor of its own: only the room clashes.
        return await catalogue.plan_session(
            rt, BACKOFFICE, offering_id, starts, ends, "Lab 1", f"Instructeur {i}", 30
        )

    outcomes = await asyncio.gather(*(plan(i) for i in range(PLANS)), return_exceptions=True)

    planned = [o for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, BookingRefused)]
    assert len(planned) == 1 and len(refused) == PLANS - 1
    assert {(r.status, r.extra["conflict"]["resource"]) for r in refused} == {(409, "room")}
    assert len(await catalogue.sessions_of(rt, BACKOFFICE, offering_id)) == 1


async def test_plans_queued_behind_a_failed_plan_give_one_session_never_a_deadlock(fresh_database):
    # PostgreSQL: plans that inserted their sessions while another plan held the room would,
    # once it rolls back, each wait for another's row in the exclusion constraint, and the
    # server would break that cycle with an error. Planners take turns on the room first.
    rt = await migrated_runtime(fresh_database("tft_bookings_turns"))
    offering_id = await new_offering(rt)
    starts, ends = two_hours_on_an_open_day()
    with contextlib.suppress(GaveUp):
        async with rt.db.transaction() as holder:
            await catalogue._take_turns(holder, ["Lab 1"], "Instructeur H")
            holder.add(
                Session(
                    id=uuid4(),
                    offering_id=offering_id,
                    starts_at=starts,
                    ends_at=ends,
                    room="Lab 1",
                    instructor="Instructeur H",
                    capacity=30,
                    seats_taken=0,
                )
            )
            await holder.flush()
            waiting = [
                asyncio.create_task(
                    catalogue.plan_session(
                        rt, BACKOFFICE, offering_id, starts, ends, "Lab 1", f"Instructeur {i}", 30
                    )
                )
                for i in range(3)
            ]
            await until_waiting_on_locks(rt.db, 3)
            raise GaveUp
    outcomes = await asyncio.gather(*waiting, return_exceptions=True)
    await rt.db.dispose()
    assert sum(isinstance(o, Session) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, BookingRefused) and o.status == 409 for o in outcomes) == 2


async def test_concurrent_plans_for_one_instructor_in_overlapping_hours_give_exactly_one(rt):
    offering_id = await new_offering(rt)
    starts, ends = two_hours_on_an_open_day()

    async def plan(i: int):
        # Different rooms, starting a quarter apart: every pair of them overlaps.
        begins = starts + timedelta(minutes=15 * (i % 4))
        return await catalogue.plan_session(
            rt,
            BACKOFFICE,
            offering_id,
            begins,
            begins + (ends - starts),
            f"Lab {i}",
            "Instructeur",
            30,
        )

    outcomes = await asyncio.gather(*(plan(i) for i in range(PLANS)), return_exceptions=True)

    refused = [o for o in outcomes if isinstance(o, BookingRefused)]
    assert len(refused) == PLANS - 1
    assert {r.extra["conflict"]["resource"] for r in refused} == {"instructor"}
    assert len(await catalogue.sessions_of(rt, BACKOFFICE, offering_id)) == 1


async def test_concurrent_series_for_one_room_give_one_series_and_name_the_clash(rt):
    offering_id = await new_offering(rt)
    starts, _ends = two_hours_on_an_open_day()

    async def plan(i: int):
        # Weekly, three lessons, each series with an instructor of its own: only the room.
        return await catalogue.plan_series(
            rt, BACKOFFICE, offering_id, starts, 120, 7, 3, ["Lab 1"], f"Instructeur {i}", 30
        )

    outcomes = await asyncio.gather(*(plan(i) for i in range(PLANS)), return_exceptions=True)

    refused = [o for o in outcomes if isinstance(o, BookingRefused)]
    assert len(refused) == PLANS - 1, [o for o in outcomes if isinstance(o, Exception)]
    assert {(r.status, r.extra["conflict"]["resource"]) for r in refused} == {(409, "room")}
    assert len(await catalogue.sessions_of(rt, BACKOFFICE, offering_id)) == 3


async def test_concurrent_series_bookings_and_cancellations_never_leave_half_a_series(rt):
    offering_id = await new_offering(rt)
    starts, _ = two_hours_on_an_open_day()
    planned = await catalogue.plan_series(
        rt, BACKOFFICE, offering_id, starts, 120, 7, 4, ["Lab series"], "Instructeur series", 10 * 3
    )

    placed = await asyncio.gather(
        *(
            commands.book_series(rt, school(f"school-{i}"), planned.series_id, group(3))
            for i in range(20)
        )
    )

    outcomes = Counter(tuple(p.booking.status for p in series) for series in placed)
    seated = len(planned.sessions)
    assert outcomes == {("confirmed",) * seated: 10, ("waitlisted",) * seated: 10}
    for session in planned.sessions:
        assert await seats_taken(rt, session.id) == 30

    leaving = [series for series in placed if series[0].booking.status == "confirmed"][:5]
    await asyncio.gather(
        *(commands.cancel(rt, school(s[0].booking.school_id), s[1].booking.id) for s in leaving)
    )

    after = Counter()
    for series in placed:
        seen = [
            (
                await queries.get_visible(rt, school(p.booking.school_id), p.booking.id)
            ).booking.status
            for p in series
        ]
        assert len(set(seen)) == 1, seen  # never half a series
        after[seen[0]] += 1
    assert after == {"cancelled": 5, "confirmed": 10, "waitlisted": 5}
    for session in planned.sessions:
        assert await seats_taken(rt, session.id) == 30


async def test_concurrent_bookings_of_one_school_never_pass_its_quota(rt):
    sessions = [await plan_session(rt, capacity=30) for _ in range(10)]
    year = domain.school_year_of(two_hours_on_an_open_day()[0].date())
    await calendar.set_quota(rt, BACKOFFICE, "corlaer", year, 3)

    outcomes = await asyncio.gather(
        *(commands.book(rt, school("corlaer"), s, group(5)) for s in sessions),
        return_exceptions=True,
    )

    refused = [o for o in outcomes if isinstance(o, BookingRefused)]
    assert len(refused) == 7 and {r.extra["rule"] for r in refused} == {"quota"}
    assert sum(not isinstance(o, BaseException) for o in outcomes) == 3


@pytest.fixture(params=["sqlite", "postgresql"])
async def either_store(request, tmp_path, fresh_database):
    url = (
        f"sqlite+aiosqlite:///{tmp_path / 'bookings.db'}"
        if request.param == "sqlite"
        else fresh_database("tft_bookings_concurrency")
    )
    runtime = await migrated_runtime(url)
    yield runtime
    await runtime.db.dispose()


async def test_schools_booking_one_equipped_session_at_once_ask_loans_once_and_let_go_once(
    either_store,
):
    rt = either_store
    session_id = await plan_session(rt, capacity=CAPACITY, equipment=("cnc",))

    placed = await asyncio.gather(
        *(
            commands.book(rt, school(f"school-{i}"), session_id, group(1, name=f"G{i}"))
            for i in range(20)
        )
    )

    assert {p.booking.status for p in placed} == {"requested"}
    [request] = await staged(rt, "equipment-requested", aggregate="session")
    async with rt.db.transaction() as tx:
        await commands.apply_equipment_reserved(
            tx,
            rt.outbox,
            SessionEquipmentReservedV1(
                session_id=session_id, request_id=request["request_id"], reservation_ids=[]
            ),
            rt.clock.now(),
        )
    assert len(await staged(rt, "confirmed")) == 20

    await asyncio.gather(
        *(commands.cancel(rt, school(p.booking.school_id), p.booking.id) for p in placed)
    )
    [release] = await staged(rt, "equipment-released", aggregate="session")
    assert release["request_id"] == request["request_id"]
    assert await seats_taken(rt, session_id) == 0
