"""Series of sessions: planned recurring with closed days and clashes skipped, booked as a
whole (all seated or all waiting), promoted and cancelled as a whole. Migrated SQLite store
with the seeded calendar."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from services.bookings import calendar, catalogue, commands
from services.bookings.domain import BookingRefused
from services.bookings.store import Offering
from services.bookings.tests.scenario import (
    BACKOFFICE,
    group,
    new_offering,
    school,
    seats_taken,
    staged,
)
from shared.domain import AMSTERDAM

# Tuesdays around the spring holiday of 2027 (20-28 February, region midden).
FIRST_TUESDAY = date(2027, 2, 9)


@pytest.fixture
async def rt(rt):
    """The conftest's store with the seeded closed days of the calendar."""
    await calendar.seed_closures(rt)
    return rt


def at_ten(day: date) -> datetime:
    return datetime.combine(day, time(10), AMSTERDAM).astimezone(UTC)


async def weekly(rt, count: int, capacity: int = 30, rooms=("Lab 1",)):
    offering_id = await new_offering(rt)
    return await catalogue.plan_series(rt, BACKOFFICE, offering_id, at_ten(FIRST_TUESDAY), 120,
                                       7, count, list(rooms), "Instructeur 1", capacity)


async def test_a_weekly_series_skips_and_reports_closed_days_and_clashes(rt):
    offering_id = await new_offering(rt)
    # Lab 1 is taken on the fourth Tuesday.
    taken = at_ten(FIRST_TUESDAY + timedelta(weeks=3))
    await catalogue.plan_session(rt, BACKOFFICE, offering_id, taken, taken + timedelta(hours=1),
                                 "Lab 1", "Instructeur 2", 30)

    planned = await weekly(rt, count=5)

    days = [s.starts_at.astimezone(AMSTERDAM).date() for s in planned.sessions]
    assert days == [FIRST_TUESDAY, FIRST_TUESDAY + timedelta(weeks=1),
                    FIRST_TUESDAY + timedelta(weeks=4)]
    assert [(at.astimezone(AMSTERDAM).date(), why.split(":")[-1].strip())
            for at, why in planned.skipped] == [
        (date(2027, 2, 23), "voorjaarsvakantie 2026/27"),
        (date(2027, 3, 2), "lokaal Lab 1 is op dat moment al in een sessie")]
    assert {s.series_id for s in planned.sessions} == {planned.series_id}


async def test_a_series_is_booked_whole_and_a_group_that_misses_one_session_waits_for_all(rt):
    planned = await weekly(rt, count=5)  # one date falls in the spring holiday
    assert len(planned.sessions) == 4
    # Someone took 20 seats of the third session alone (it was planned before the series).
    third = planned.sessions[2]
    async with rt.db.transaction() as tx:
        third_row = await tx.get(type(third), third.id)
        third_row.seats_taken = 20

    first = await commands.book_series(rt, school("corlaer"), planned.series_id, group(10))
    second = await commands.book_series(rt, school("nxt"), planned.series_id, group(5))

    assert [p.booking.status for p in first] == ["confirmed"] * 4
    assert len({p.booking.series_booking_id for p in first}) == 1
    assert [p.booking.status for p in second] == ["waitlisted"] * 4
    assert [await seats_taken(rt, s.id) for s in planned.sessions] == [10, 10, 30, 10]

    await commands.cancel(rt, school("corlaer"), first[1].booking.id)

    seen = [(await commands.get_visible(rt, school("nxt"), p.booking.id)).booking.status
            for p in second]
    assert seen == ["confirmed"] * 4
    assert [await seats_taken(rt, s.id) for s in planned.sessions] == [5, 5, 25, 5]
    cancelled = await staged(rt, "cancelled")
    assert len(cancelled) == 4
    promoted = [e for e in await staged(rt, "confirmed") if e["from_waitlist"]]
    assert sorted(e["session_id"] for e in promoted) == sorted(str(s.id)
                                                            for s in planned.sessions)


async def test_one_session_of_an_offer_booked_as_a_series_is_refused(rt):
    offering_id = await new_offering(rt)
    async with rt.db.transaction() as tx:
        (await tx.get(Offering, offering_id)).sessions_per_booking = 4
    planned = await catalogue.plan_series(rt, BACKOFFICE, offering_id, at_ten(FIRST_TUESDAY),
                                          120, 7, 2, ["Lab 9"], "Instructeur 9", 30)
    with pytest.raises(BookingRefused, match="hele reeks") as refused:
        await commands.book(rt, school(), planned.sessions[0].id, group(10))
    assert refused.value.status == 422
