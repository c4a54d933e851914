"""Completion and no-show on a migrated SQLite store: each change is an event, and the
completion tells finance and reach reporting what was delivered."""

import pytest

from services.bookings import commands
from services.bookings.domain import BookingRefused
from services.bookings.tests.scenario import (
    BACKOFFICE,
    group,
    plan_session,
    school,
    seats_taken,
    staged,
)


async def test_a_completion_carries_delivered_and_instructor_minutes_and_students_reached(rt):
    session_id = await plan_session(rt, capacity=30)
    default = await commands.book(rt, school("corlaer"), session_id, group(20))
    reported = await commands.book(rt, school("nxt"), session_id, group(10))

    await commands.complete(rt, BACKOFFICE, default.booking.id)
    await commands.complete(rt, BACKOFFICE, reported.booking.id, students_reached=8,
                            instructor_minutes=240)

    told = [(e["delivered_minutes"], e["instructor_minutes"], e["students_reached"])
            for e in await staged(rt, "completed")]
    assert told == [(120, 120, 20), (120, 240, 8)]


async def test_more_students_reached_than_the_group_is_refused(rt):
    session_id = await plan_session(rt, capacity=30)
    placed = await commands.book(rt, school(), session_id, group(20))
    with pytest.raises(BookingRefused) as refused:
        await commands.complete(rt, BACKOFFICE, placed.booking.id, students_reached=21)
    assert refused.value.status == 422


async def test_a_no_show_is_told_and_keeps_the_seats_it_wasted(rt):
    session_id = await plan_session(rt, capacity=30)
    placed = await commands.book(rt, school("corlaer"), session_id, group(20))
    waiting = await commands.book(rt, school("nxt"), session_id, group(20))

    marked = await commands.no_show(rt, BACKOFFICE, placed.booking.id)

    assert marked.status == "no_show"
    [told] = await staged(rt, "no_show")
    assert told["booking_id"] == str(placed.booking.id) and told["recorded_by"] == "backoffice"
    assert await seats_taken(rt, session_id) == 20
    with pytest.raises(BookingRefused, match="status waitlisted kan geen no-show"):
        await commands.no_show(rt, BACKOFFICE, waiting.booking.id)
    with pytest.raises(BookingRefused, match="status no_show kan niet worden afgerond"):
        await commands.complete(rt, BACKOFFICE, placed.booking.id)
