"""Completion and no-show on a migrated SQLite store: each change is an event, the
completion tells finance and reach reporting what was delivered, and neither comes before
the session has begun (the service's clock is pinned to play that moment)."""

from datetime import timedelta

import pytest

from services.bookings import commands
from services.bookings.domain import BookingRefused
from services.bookings.store import session_with_offering
from services.bookings.tests.scenario import (
    BACKOFFICE,
    group,
    plan_session,
    school,
    seats_taken,
    staged,
    two_hours_on_an_open_day,
)
from shared.tests.clock import ManualClock


def begin(rt) -> None:
    """Move the service's clock to the start of the sessions plan_session plans."""
    rt.clock = ManualClock(two_hours_on_an_open_day()[0])


@pytest.mark.parametrize(
    ("change", "done"),
    [(commands.complete, "afgerond"), (commands.no_show, "als niet verschenen gemarkeerd")],
)
async def test_completion_and_no_show_wait_for_the_session_to_begin(rt, change, done):
    session_id = await plan_session(rt, capacity=30)
    placed = await commands.book(rt, school(), session_id, group(20))
    starts = two_hours_on_an_open_day()[0]

    rt.clock = ManualClock(starts - timedelta(minutes=1))
    with pytest.raises(BookingRefused) as refused:
        await change(rt, BACKOFFICE, placed.booking.id)
    assert refused.value.status == 409 and refused.value.extra["rule"] == "session_not_started"
    assert f"pas vanaf dan wordt een boeking {done}" in refused.value.reason
    assert await staged(rt, "completed") == [] and await staged(rt, "no-show") == []

    rt.clock = ManualClock(starts)
    assert (await change(rt, BACKOFFICE, placed.booking.id)).status != "confirmed"


async def test_a_completion_carries_delivered_and_instructor_minutes_and_students_reached(rt):
    session_id = await plan_session(rt, capacity=30)
    default = await commands.book(rt, school("corlaer"), session_id, group(20))
    reported = await commands.book(rt, school("nxt"), session_id, group(10))
    begin(rt)

    await commands.complete(rt, BACKOFFICE, default.booking.id)
    await commands.complete(
        rt, BACKOFFICE, reported.booking.id, students_reached=8, instructor_minutes=240
    )

    told = [
        (e["delivered_minutes"], e["instructor_minutes"], e["students_reached"])
        for e in await staged(rt, "completed")
    ]
    assert told == [(120, 120, 20), (120, 240, 8)]


async def test_more_students_reached_than_the_group_is_refused(rt):
    session_id = await plan_session(rt, capacity=30)
    placed = await commands.book(rt, school(), session_id, group(20))
    begin(rt)
    with pytest.raises(BookingRefused) as refused:
        await commands.complete(rt, BACKOFFICE, placed.booking.id, students_reached=21)
    assert refused.value.status == 422


async def test_a_no_show_is_told_and_keeps_the_seats_it_wasted(rt):
    session_id = await plan_session(rt, capacity=30)
    placed = await commands.book(rt, school("corlaer"), session_id, group(20))
    waiting = await commands.book(rt, school("nxt"), session_id, group(20))
    begin(rt)

    marked = await commands.no_show(rt, BACKOFFICE, placed.booking.id)

    assert marked.status == "no_show"
    [told] = await staged(rt, "no-show")
    assert told["booking_id"] == str(placed.booking.id) and told["recorded_by"] == "backoffice"
    assert await seats_taken(rt, session_id) == 20
    with pytest.raises(BookingRefused, match="status waitlisted kan geen no-show"):
        await commands.no_show(rt, BACKOFFICE, waiting.booking.id)
    with pytest.raises(BookingRefused, match="status no_show kan niet worden afgerond"):
        await commands.complete(rt, BACKOFFICE, placed.booking.id)


@pytest.mark.parametrize(
    "kind, offer_task, school_id, task",
    [
        ("inspiration_lesson", None, "voorbeeldschool", "B"),  # a lesson for the region
        ("masterclass", None, "corlaer", "A"),  # taught to a hard-tech school's class
        ("masterclass", "C", "corlaer", "C"),  # Plastic fantastic: an experiment
        ("elective", "A", "voorbeeldschool", "A"),  # the CNC elective for several schools
        ("po_series", None, "basisschool", "B"),
        ("company_visit", None, "corlaer", "D"),
        ("internship", None, "corlaer", "A"),
        ("mbo_lesson", None, "voorbeeldschool", "A"),
        ("techclub", None, "voorbeeldschool", "B"),
        ("assignment", None, "corlaer", "C"),  # a company's practical assignment
    ],
)
async def test_a_completion_carries_the_core_task_the_plan_puts_it_under(
    rt, kind, offer_task, school_id, task
):
    session_id = await plan_session(rt, capacity=30)
    async with rt.db.transaction() as tx:
        offering = (await session_with_offering(tx, session_id))[1]
        offering.kind, offering.core_task = kind, offer_task
    booked = await commands.book(rt, school(school_id), session_id, group(20))
    begin(rt)

    await commands.complete(rt, BACKOFFICE, booked.booking.id)

    [completed] = await staged(rt, "completed")
    assert completed["core_task"] == task
