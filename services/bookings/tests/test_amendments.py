"""The backoffice edits and withdraws offers, moves and cancels sessions, on SQLite and on
PostgreSQL: bookings follow, each booked school is named once, seats and equipment are let
go, and a cancelled lesson can never complete (so finance, drafting only from completions,
declares nothing for it)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.bookings import amendments, catalogue, commands, queries
from services.bookings.domain import BookingRefused
from services.bookings.store import Booking, Offering, Session
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
from shared.contracts.bookings import OfferingChangedV1
from shared.tests.clock import ManualClock


@pytest.fixture
async def rt(each_store):
    runtime = await migrated_runtime(each_store("tft_bookings_amendments"))
    yield runtime
    await runtime.db.dispose()


async def statuses(rt, session_id) -> list[tuple[str, bool]]:
    async with rt.db.sessions() as tx:
        rows = await tx.execute(
            select(Booking.status, Booking.cancelled_late)
            .where(Booking.session_id == session_id)
            .order_by(Booking.created_at)
        )
        return [tuple(r) for r in rows]


async def test_cancelling_a_session_cancels_its_bookings_and_names_each_school_once(rt):
    session_id = await plan_session(rt, capacity=30)
    first = await commands.book(rt, school("corlaer"), session_id, group(10, "3A"))
    await commands.book(rt, school("corlaer"), session_id, group(10, "3B"))
    await commands.book(rt, school("nxt"), session_id, group(10, "2C"))
    await commands.book(rt, school("element"), session_id, group(20, "4A"))  # waits

    await amendments.cancel_session(rt, BACKOFFICE, session_id, "De docent is ziek")

    assert await statuses(rt, session_id) == [("cancelled", False)] * 4
    assert await seats_taken(rt, session_id) == 0
    told = await staged(rt, "cancelled")
    assert {(e["cancelled_by"], e["session_cancelled"], e["reason"], e["late"]) for e in told} == {
        ("backoffice", True, "De docent is ziek", False)
    }
    assert await staged(rt, "confirmed") != [] and len(await staged(rt, "confirmed")) == 3
    [session_told] = await staged(rt, "cancelled", aggregate="session")
    assert [
        (s["school_id"], [g["name"] for g in s["groups"]]) for s in session_told["schools"]
    ] == [("corlaer", ["3A", "3B"]), ("nxt", ["2C"]), ("element", ["4A"])]
    # Who booked, so each message reaches them: once per person, per school.
    assert [s["booked_by"] for s in session_told["schools"]] == [
        ["teacher@corlaer"],
        ["teacher@nxt"],
        ["teacher@element"],
    ]
    assert {e["booked_by"] for e in told} == {"teacher@corlaer", "teacher@nxt", "teacher@element"}
    with pytest.raises(BookingRefused) as refused:
        await commands.book(rt, school("trivium"), session_id, group(5))
    assert refused.value.extra["rule"] == "session_cancelled"
    rt.clock = ManualClock(two_hours_on_an_open_day()[0])
    with pytest.raises(BookingRefused):
        await commands.complete(rt, BACKOFFICE, first.booking.id)
    assert await staged(rt, "completed") == []


async def test_a_cancelled_session_lets_its_equipment_go_and_frees_its_room(rt):
    session_id = await plan_session(rt, capacity=30, equipment=("robot-kit",))
    await commands.book(rt, school("corlaer"), session_id, group(10))
    async with rt.db.sessions() as tx:
        session = await tx.get(Session, session_id)

    await amendments.cancel_session(rt, BACKOFFICE, session_id, "Geen docent beschikbaar")

    [released] = await staged(rt, "equipment-released", aggregate="session")
    assert released["request_id"] == str(session.equipment_request_id)
    again = await catalogue.plan_session(
        rt,
        BACKOFFICE,
        session.offering_id,
        session.starts_at,
        session.ends_at,
        session.room,
        session.instructor,
        30,
    )
    assert again.room == session.room
    with pytest.raises(BookingRefused) as twice:
        await amendments.cancel_session(rt, BACKOFFICE, session_id, "nogmaals")
    assert twice.value.status == 409


async def test_cancelling_a_lesson_of_a_series_cancels_the_series_with_one_school_entry(rt):
    offering_id = await new_offering(rt)
    async with rt.db.transaction() as tx:
        offering = await tx.get(Offering, offering_id)
        offering.kind, offering.sessions_per_booking = "masterclass", 4
    planned = await catalogue.plan_series(
        rt,
        BACKOFFICE,
        offering_id,
        two_hours_on_an_open_day()[0],
        120,
        7,
        4,
        ["Lab S"],
        "Instructeur S",
        30,
    )
    await commands.book_series(rt, school("corlaer"), planned.series_id, group(10))

    cancelled = await amendments.cancel_session(
        rt, BACKOFFICE, planned.sessions[1].id, "De masterklas gaat niet door"
    )

    assert len(cancelled) == 4
    [told] = await staged(rt, "cancelled", aggregate="session")
    assert len(told["series_sessions"]) == 4
    assert [s["school_id"] for s in told["schools"]] == ["corlaer"]
    assert len(told["schools"][0]["groups"]) == 1


async def test_moving_a_session_keeps_its_bookings_and_tells_each_school_once(rt):
    session_id = await plan_session(rt, capacity=30)
    await commands.book(rt, school("corlaer"), session_id, group(10, "3A"))
    await commands.book(rt, school("corlaer"), session_id, group(10, "3B"))
    starts, ends = two_hours_on_an_open_day(28)

    moved = await amendments.move_session(
        rt, BACKOFFICE, session_id, starts, ends, room="Lab Nieuw"
    )

    assert (moved.starts_at, moved.room) == (starts, "Lab Nieuw")
    assert await statuses(rt, session_id) == [("confirmed", False)] * 2
    [told] = await staged(rt, "moved", aggregate="session")
    assert told["room"] == "Lab Nieuw" and told["starts_at"].startswith(starts.date().isoformat())
    assert [(s["school_id"], len(s["groups"])) for s in told["schools"]] == [("corlaer", 2)]
    later = timedelta(hours=1)  # overlapping its own time is no clash
    again = await amendments.move_session(rt, BACKOFFICE, session_id, starts + later, ends + later)
    assert (again.starts_at, again.room) == (starts + later, "Lab Nieuw")


async def test_a_move_keeps_to_planning_rules(rt):
    session_id = await plan_session(rt, capacity=30)
    other_id = await plan_session(rt, capacity=30)
    async with rt.db.sessions() as tx:
        other = await tx.get(Session, other_id)
    starts, ends = two_hours_on_an_open_day(28)
    await amendments.move_session(rt, BACKOFFICE, other_id, starts, ends)

    with pytest.raises(BookingRefused) as clash:
        await amendments.move_session(rt, BACKOFFICE, session_id, starts, ends, room=other.room)
    assert clash.value.status == 409
    assert clash.value.extra["conflict"] == {
        "resource": "room",
        "value": other.room,
        "session_id": str(other_id),
    }
    saturday = starts + timedelta(days=(5 - starts.weekday()) % 7)
    with pytest.raises(BookingRefused) as closed:
        await amendments.move_session(
            rt, BACKOFFICE, session_id, saturday, saturday + timedelta(hours=2)
        )
    assert closed.value.extra["rule"] == "calendar"
    assert await staged(rt, "moved", aggregate="session") != []  # only the first move


async def test_an_equipped_session_is_not_moved(rt):
    session_id = await plan_session(rt, capacity=30, equipment=("robot-kit",))
    await commands.book(rt, school("corlaer"), session_id, group(10))
    with pytest.raises(BookingRefused) as refused:
        await amendments.move_session(rt, BACKOFFICE, session_id, *two_hours_on_an_open_day(28))
    assert refused.value.extra["rule"] == "equipment_reserved"
    assert "annuleer de sessie" in refused.value.reason


async def test_an_edited_offer_stays_valid_and_a_withdrawn_one_takes_no_bookings(rt):
    session_id = await plan_session(rt, capacity=30)
    kept = await commands.book(rt, school("corlaer"), session_id, group(10))
    async with rt.db.sessions() as tx:
        offering_id = (await tx.get(Session, session_id)).offering_id

    edited = await amendments.edit_offering(
        rt, BACKOFFICE, offering_id, {"title": "Robotica en AI", "capacity": 24}
    )
    assert (edited.title, edited.capacity) == ("Robotica en AI", 24)
    [changed] = await staged(rt, "changed", aggregate="offering")
    assert OfferingChangedV1.model_validate(changed).changed == ["capacity", "title"]
    with pytest.raises(BookingRefused):
        await amendments.edit_offering(rt, BACKOFFICE, offering_id, {"kind": "company_visit"})

    await amendments.withdraw_offering(rt, BACKOFFICE, offering_id)
    with pytest.raises(BookingRefused) as refused:
        await commands.book(rt, school("nxt"), session_id, group(10))
    assert refused.value.extra["rule"] == "offering_withdrawn"
    assert (
        await queries.get_visible(rt, BACKOFFICE, kept.booking.id)
    ).booking.status == "confirmed"
