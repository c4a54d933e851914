"""The backoffice's calendar rules applied to planning and booking, on a migrated SQLite store
seeded with the holidays of region midden."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from services.bookings import calendar, catalogue, commands, domain
from services.bookings.domain import BookingRefused, Rules
from services.bookings.tests.scenario import (
    BACKOFFICE,
    group,
    new_offering,
    plan_session,
    school,
    staged,
    two_hours_on_an_open_day,
)
from shared.domain import AMSTERDAM

GOOD_FRIDAY = date(2027, 3, 26)


@pytest.fixture
async def rt(rt):
    """The conftest's store with the seeded closed days of the calendar."""
    await calendar.seed_closures(rt)
    return rt


def at_ten(day: date) -> tuple[datetime, datetime]:
    starts = datetime.combine(day, time(10), AMSTERDAM).astimezone(UTC)
    return starts, starts + timedelta(hours=2)


async def plan_on(rt, day: date, capacity: int = 30):
    offering_id = await new_offering(rt)
    return await catalogue.plan_session(
        rt,
        BACKOFFICE,
        offering_id,
        *at_ten(day),
        f"Lab {offering_id}",
        f"Instructeur {offering_id}",
        capacity,
    )


async def test_no_session_is_planned_on_a_public_holiday(rt):
    with pytest.raises(BookingRefused, match="Goede Vrijdag") as refused:
        await plan_on(rt, GOOD_FRIDAY)
    assert refused.value.status == 422 and refused.value.extra["rule"] == "calendar"


async def test_a_school_open_on_a_closed_day_books_it_and_only_that_school(rt):
    await calendar.set_school_day(
        rt, BACKOFFICE, "corlaer", GOOD_FRIDAY, True, "Corlaer geeft les op Goede Vrijdag"
    )
    session = await plan_on(rt, GOOD_FRIDAY)

    placed = await commands.book(rt, school("corlaer"), session.id, group(20))
    assert placed.booking.status == "confirmed"
    with pytest.raises(BookingRefused, match="Goede Vrijdag") as refused:
        await commands.book(rt, school("nxt"), session.id, group(5))
    assert refused.value.status == 422


async def test_a_school_closed_on_an_open_day_cannot_book_it(rt):
    session_id = await plan_session(rt, capacity=30)
    day = two_hours_on_an_open_day()[0].date()
    await calendar.set_school_day(rt, BACKOFFICE, "nxt", day, False, "studiedag")

    with pytest.raises(BookingRefused, match="uitzondering"):
        await commands.book(rt, school("nxt"), session_id, group(10))
    assert (
        await commands.book(rt, school("element"), session_id, group(10))
    ).booking.status == "confirmed"


async def test_the_backoffice_lead_time_holds_for_bookings(rt):
    await calendar.set_rules(rt, BACKOFFICE, Rules(min_lead_days=60, free_cancellation_days=7))
    session_id = await plan_session(rt, capacity=30)
    with pytest.raises(BookingRefused, match="minstens 60 dagen vooraf") as refused:
        await commands.book(rt, school(), session_id, group(10))
    assert refused.value.status == 422


async def test_a_school_books_no_more_sessions_than_its_quota(rt):
    sessions = [await plan_session(rt, capacity=30) for _ in range(3)]
    year = domain.school_year_of(two_hours_on_an_open_day()[0].date())
    await calendar.set_quota(rt, BACKOFFICE, "corlaer", year, 2)
    first = await commands.book(rt, school("corlaer"), sessions[0], group(10))
    await commands.book(rt, school("corlaer"), sessions[1], group(10))

    with pytest.raises(BookingRefused, match="quotum") as refused:
        await commands.book(rt, school("corlaer"), sessions[2], group(10))
    assert refused.value.status == 409 and refused.value.extra["booked"] == 2
    # Other schools have no quota; a cancelled booking no longer counts.
    await commands.book(rt, school("nxt"), sessions[2], group(10))
    await commands.cancel(rt, school("corlaer"), first.booking.id)
    await commands.book(rt, school("corlaer"), sessions[2], group(10))


async def test_a_late_cancellation_by_a_school_is_accepted_and_marked_late(rt):
    await calendar.set_rules(rt, BACKOFFICE, Rules(min_lead_days=1, free_cancellation_days=30))
    session_id = await plan_session(rt, capacity=30)
    by_school = await commands.book(rt, school("corlaer"), session_id, group(10))
    by_backoffice = await commands.book(rt, school("nxt"), session_id, group(10))

    late = await commands.cancel(rt, school("corlaer"), by_school.booking.id)
    on_time = await commands.cancel(rt, BACKOFFICE, by_backoffice.booking.id)

    assert (late.status, late.cancelled_late) == ("cancelled", True)
    assert (on_time.status, on_time.cancelled_late) == ("cancelled", False)
    assert [e["late"] for e in await staged(rt, "cancelled")] == [True, False]
