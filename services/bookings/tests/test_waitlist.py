"""Waitlist and promotion through the commands, on a migrated SQLite store (the local run's)."""

import pytest

from services.bookings import commands, queries
from services.bookings.domain import BookingRefused
from services.bookings.tests.scenario import (
    group,
    plan_session,
    school,
    seats_taken,
    staged,
)


async def test_a_full_session_waitlists_in_request_order(rt):
    session_id = await plan_session(rt, capacity=30)
    first = await commands.book(rt, school("element"), session_id, group(25))
    second = await commands.book(rt, school("nxt"), session_id, group(10))
    third = await commands.book(rt, school("corlaer"), session_id, group(8))
    assert (first.booking.status, first.waitlist_position) == ("confirmed", None)
    assert [(p.booking.status, p.waitlist_position) for p in (second, third)] == [
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    assert await seats_taken(rt, session_id) == 25

    seen = await queries.get_visible(rt, school("corlaer"), third.booking.id)
    assert seen.waitlist_position == 2
    assert [e["position"] for e in await staged(rt, "waitlisted")] == [1, 2]


async def test_a_group_larger_than_the_session_is_refused(rt):
    session_id = await plan_session(rt, capacity=30)
    with pytest.raises(BookingRefused) as refused:
        await commands.book(rt, school(), session_id, group(31))
    assert refused.value.status == 422


async def test_a_cancellation_promotes_the_first_waiting_groups_that_fit(rt):
    session_id = await plan_session(rt, capacity=30)
    leaving = await commands.book(rt, school("element"), session_id, group(12))
    await commands.book(rt, school("nxt"), session_id, group(18))
    too_big = await commands.book(rt, school("corlaer"), session_id, group(13))
    fits = await commands.book(rt, school("trivium"), session_id, group(7))
    also_fits = await commands.book(rt, school("lodenstein"), session_id, group(5))

    await commands.cancel(rt, school("element"), leaving.booking.id)

    after = {
        p.booking.id: p
        for p in [
            await queries.get_visible(rt, school(org), p.booking.id)
            for org, p in (("corlaer", too_big), ("trivium", fits), ("lodenstein", also_fits))
        ]
    }
    assert after[fits.booking.id].booking.status == "confirmed"
    assert after[also_fits.booking.id].booking.status == "confirmed"
    assert (
        after[too_big.booking.id].booking.status,
        after[too_big.booking.id].waitlist_position,
    ) == ("waitlisted", 1)
    assert await seats_taken(rt, session_id) == 30
    promoted = [e for e in await staged(rt, "confirmed") if e["from_waitlist"]]
    assert [e["booking_id"] for e in promoted] == [str(fits.booking.id), str(also_fits.booking.id)]


async def test_a_waiting_group_leaves_the_list_without_touching_seats(rt):
    session_id = await plan_session(rt, capacity=10)
    await commands.book(rt, school("element"), session_id, group(10))
    leaving = await commands.book(rt, school("nxt"), session_id, group(4))
    staying = await commands.book(rt, school("corlaer"), session_id, group(4))

    cancelled = await commands.cancel(rt, school("nxt"), leaving.booking.id)

    assert cancelled.status == "cancelled"
    assert (
        await queries.get_visible(rt, school("corlaer"), staying.booking.id)
    ).waitlist_position == 1
    assert await seats_taken(rt, session_id) == 10
    [event] = await staged(rt, "cancelled")
    assert event["was_waitlisted"] is True
