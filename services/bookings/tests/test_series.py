"""Series of sessions: planned recurring and always whole (a closed day moves a date on,
a clash refuses), booked as a whole (all seated or all waiting), promoted and cancelled as a
whole. Migrated SQLite store with the seeded calendar."""

from datetime import date, timedelta

import pytest

from services.bookings import calendar, catalogue, commands, queries
from services.bookings.domain import BookingRefused
from services.bookings.store import Offering, Session
from services.bookings.tests.scenario import (
    BACKOFFICE,
    at_ten,
    group,
    new_offering,
    school,
    seats_taken,
    staged,
)
from shared.contracts.common import Group
from shared.domain import AMSTERDAM

# Tuesdays around the spring holiday of 2027 (20-28 February, region midden).
FIRST_TUESDAY = date(2027, 2, 9)


@pytest.fixture
async def rt(rt):
    """The conftest's store with the seeded closed days of the calendar."""
    await calendar.seed_closures(rt)
    return rt


async def weekly(rt, count: int, capacity: int = 30, rooms=("Lab 1",)):
    offering_id = await new_offering(rt)
    return await catalogue.plan_series(
        rt,
        BACKOFFICE,
        offering_id,
        at_ten(FIRST_TUESDAY),
        120,
        7,
        count,
        list(rooms),
        "Instructeur 1",
        capacity,
    )


def days_of(sessions) -> list[date]:
    return [s.starts_at.astimezone(AMSTERDAM).date() for s in sessions]


async def offering_of(rt, kind: str, lessons: int, audience=("vmbo-kb",)) -> str:
    offering_id = await new_offering(rt)
    async with rt.db.transaction() as tx:
        offering = await tx.get(Offering, offering_id)
        offering.kind, offering.sessions_per_booking = kind, lessons
        offering.audience = list(audience)
    return offering_id


async def test_a_weekly_series_moves_past_closed_days_and_reports_them(rt):
    planned = await weekly(rt, count=5)

    # 23 February falls in the spring holiday: the series goes on a week later, whole.
    assert days_of(planned.sessions) == [
        FIRST_TUESDAY + timedelta(weeks=w) for w in (0, 1, 3, 4, 5)
    ]
    assert [
        (at.astimezone(AMSTERDAM).date(), why.split(":")[-1].strip()) for at, why in planned.skipped
    ] == [(date(2027, 2, 23), "voorjaarsvakantie 2026/27")]
    assert {s.series_id for s in planned.sessions} == {planned.series_id}


async def test_a_clash_refuses_the_whole_series_with_its_reason(rt):
    offering_id = await new_offering(rt)
    taken = at_ten(FIRST_TUESDAY + timedelta(weeks=1))
    await catalogue.plan_session(
        rt, BACKOFFICE, offering_id, taken, taken + timedelta(hours=1), "Lab 1", "Instructeur 2", 30
    )

    with pytest.raises(BookingRefused, match="lokaal Lab 1 ") as refused:
        await weekly(rt, count=3)

    assert refused.value.extra["conflict"]["resource"] == "room"
    # nothing else planned
    assert len(await catalogue.sessions_of(rt, BACKOFFICE, offering_id)) == 1


async def test_a_po_series_over_the_christmas_holiday_keeps_its_four_lessons(rt):
    offering_id = await offering_of(rt, "po_series", 4, audience=("po",))

    planned = await catalogue.plan_series(
        rt,
        BACKOFFICE,
        offering_id,
        at_ten(date(2026, 12, 10)),
        90,
        7,
        4,
        ["vmbo-praktijklokaal", "po-klaslokaal"],
        "Instructeur 1",
        30,
    )

    assert days_of(planned.sessions) == [
        date(2026, 12, 10),
        date(2026, 12, 17),
        date(2027, 1, 7),
        date(2027, 1, 14),
    ]
    assert [s.room for s in planned.sessions] == ["vmbo-praktijklokaal"] * 2 + ["po-klaslokaal"] * 2
    assert [at.astimezone(AMSTERDAM).date() for at, _ in planned.skipped] == [
        date(2026, 12, 24),
        date(2026, 12, 31),
    ]
    seventh = Group(name="groep 7", level="po", year=7, students=20)
    booked = await commands.book_series(rt, school("basisschool"), planned.series_id, seventh)
    assert [p.booking.status for p in booked] == ["confirmed"] * 4


async def test_a_masterclass_over_a_public_holiday_keeps_its_four_lessons(rt):
    offering_id = await offering_of(rt, "masterclass", 4)

    # Mondays from 10 May 2027; 17 May is Tweede Pinksterdag.
    planned = await catalogue.plan_series(
        rt,
        BACKOFFICE,
        offering_id,
        at_ten(date(2027, 5, 10)),
        120,
        7,
        4,
        ["Lab 1"],
        "Instructeur 1",
        16,
    )

    assert days_of(planned.sessions) == [
        date(2027, 5, 10),
        date(2027, 5, 24),
        date(2027, 5, 31),
        date(2027, 6, 7),
    ]
    assert "Tweede Pinksterdag" in planned.skipped[0][1]


@pytest.mark.parametrize(
    "count, rooms", [(3, ["Lab 1"]), (4, ["Lab 1", "Lab 1", "Lab 1", "Lab 2"])]
)
async def test_a_series_short_of_its_set_is_not_planned(rt, count, rooms):
    offering_id = await offering_of(rt, "po_series", 4)

    with pytest.raises(BookingRefused) as refused:
        await catalogue.plan_series(
            rt,
            BACKOFFICE,
            offering_id,
            at_ten(FIRST_TUESDAY),
            90,
            7,
            count,
            rooms,
            "Instructeur 1",
            30,
        )

    assert refused.value.status == 422 and refused.value.extra["rule"] == "whole_series"
    assert await catalogue.sessions_of(rt, BACKOFFICE, offering_id) == []


async def test_a_series_that_lost_a_lesson_cannot_be_booked(rt):
    offering_id = await offering_of(rt, "masterclass", 4)
    planned = await catalogue.plan_series(
        rt,
        BACKOFFICE,
        offering_id,
        at_ten(FIRST_TUESDAY),
        120,
        7,
        4,
        ["Lab 1"],
        "Instructeur 1",
        16,
    )
    async with rt.db.transaction() as tx:  # as a series planned before the rule could be
        await tx.delete(await tx.get(Session, planned.sessions[2].id))

    with pytest.raises(BookingRefused, match="masterklas bestaat uit 4 lessen") as refused:
        await commands.book_series(rt, school(), planned.series_id, group(10))

    assert refused.value.extra["rule"] == "whole_series"
    assert await staged(rt, "confirmed") == []


async def test_a_series_is_booked_whole_and_a_group_that_misses_one_session_waits_for_all(rt):
    planned = await weekly(rt, count=4)  # one date moves past the spring holiday
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

    seen = [
        (await queries.get_visible(rt, school("nxt"), p.booking.id)).booking.status for p in second
    ]
    assert seen == ["confirmed"] * 4
    assert [await seats_taken(rt, s.id) for s in planned.sessions] == [5, 5, 25, 5]
    cancelled = await staged(rt, "cancelled")
    assert len(cancelled) == 4
    promoted = [e for e in await staged(rt, "confirmed") if e["from_waitlist"]]
    assert sorted(e["session_id"] for e in promoted) == sorted(str(s.id) for s in planned.sessions)


async def test_one_session_of_an_offer_booked_as_a_series_is_refused(rt):
    offering_id = await new_offering(rt)
    async with rt.db.transaction() as tx:
        (await tx.get(Offering, offering_id)).sessions_per_booking = 4
    planned = await catalogue.plan_series(
        rt,
        BACKOFFICE,
        offering_id,
        at_ten(FIRST_TUESDAY),
        120,
        7,
        4,
        ["Lab 9"],
        "Instructeur 9",
        30,
    )
    with pytest.raises(BookingRefused, match="hele reeks") as refused:
        await commands.book(rt, school(), planned.sessions[0].id, group(10))
    assert refused.value.status == 422
