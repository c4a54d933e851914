"""Reach of completed bookings per calendar year against a known set of bookings: the
students who came (as the backoffice reported them, else the group), a series' group once,
and nothing from bookings that were not completed. Migrated SQLite store, seeded calendar."""

from datetime import date, timedelta

import pytest

from services.bookings import calendar, catalogue, commands, reach
from services.bookings.domain import Delivered, ReachRow, count_reach
from services.bookings.store import Offering
from services.bookings.tests.scenario import BACKOFFICE, at_ten, new_offering, school
from shared.contracts.common import Group
from shared.domain import Refused
from shared.http import Caller
from shared.tests.clock import ManualClock

PROGRAMME = Caller(actor="programma", role="programme", organisation="tft")
ADMIN = Caller(actor="admin", role="admin", organisation="tft")


@pytest.fixture
async def rt(rt):
    """With the seeded calendar's closed days."""
    await calendar.seed_closures(rt)
    return rt


async def offering(rt, kind: str, lessons: int = 1, profile: str | None = "PIE") -> str:
    offering_id = await new_offering(rt)
    async with rt.db.transaction() as tx:
        o = await tx.get(Offering, offering_id)
        o.kind, o.sessions_per_booking, o.profile = kind, lessons, profile
        o.audience = ["vmbo-kb", "vmbo-bb"]
    return offering_id


async def one_lesson(rt, day: date, who: str, group: Group, profile: str | None = None):
    offering_id = await offering(rt, "inspiration_lesson", profile=profile)
    session = await catalogue.plan_session(
        rt,
        BACKOFFICE,
        offering_id,
        at_ten(day),
        at_ten(day) + timedelta(hours=2),
        f"Lab {offering_id}",
        f"Instructeur {offering_id}",
        30,
    )
    return (await commands.book(rt, school(who), session.id, group)).booking


async def test_reach_counts_the_students_who_came_and_a_series_group_once(rt):
    # A masterklas of four lessons for Corlaer's 22 students, reported 20, 22, 21 and default.
    planned = await catalogue.plan_series(
        rt,
        BACKOFFICE,
        await offering(rt, "masterclass", lessons=4),
        at_ten(date(2027, 3, 2)),
        120,
        7,
        4,
        ["Lab M"],
        "Instructeur M",
        30,
    )
    series = await commands.book_series(
        rt,
        school("corlaer"),
        planned.series_id,
        Group(name="3A", level="vmbo-kb", year=3, students=22),
    )
    lesson = await one_lesson(
        rt, date(2027, 4, 6), "oostwende", Group(name="2B", level="vmbo-bb", year=2, students=25)
    )
    no_show = await one_lesson(
        rt, date(2027, 4, 7), "element", Group(name="3C", level="vmbo-kb", year=3, students=19)
    )
    cancelled = await one_lesson(
        rt, date(2027, 4, 8), "nxt", Group(name="3D", level="vmbo-kb", year=3, students=17)
    )
    await one_lesson(
        rt,
        date(2027, 4, 13),
        "trivium",  # confirmed, never completed
        Group(name="3E", level="vmbo-kb", year=3, students=16),
    )
    last_year = await one_lesson(
        rt,
        date(2026, 12, 15),
        "element",
        Group(name="4A", level="vmbo-kb", year=4, students=15),
        profile="BWI",
    )
    await commands.cancel(rt, school("nxt"), cancelled.id)
    rt.clock = ManualClock(at_ten(date(2027, 5, 1)))
    for placed, reported in zip(series, (20, 22, 21, None), strict=True):
        await commands.complete(rt, BACKOFFICE, placed.booking.id, students_reached=reported)
    await commands.complete(rt, BACKOFFICE, lesson.id, students_reached=18)
    await commands.no_show(rt, BACKOFFICE, no_show.id)
    await commands.complete(rt, BACKOFFICE, last_year.id)

    assert await reach.reach(rt, PROGRAMME, 2027) == [
        ReachRow("corlaer", "vmbo-kb", "PIE", "masterclass", "A", groups=1, lessons=4, students=22),
        ReachRow(
            "oostwende",
            "vmbo-bb",
            None,
            "inspiration_lesson",
            "B",
            groups=1,
            lessons=1,
            students=18,
        ),
    ]
    assert await reach.reach(rt, ADMIN, 2026) == [
        ReachRow(
            "element", "vmbo-kb", "BWI", "inspiration_lesson", "A", groups=1, lessons=1, students=15
        )
    ]


async def test_only_programme_backoffice_and_admin_read_reach(rt):
    assert await reach.reach(rt, BACKOFFICE, 2027) == []
    for who in (school("corlaer"), Caller(actor="f", role="finance", organisation="finance")):
        with pytest.raises(Refused) as refused:
            await reach.reach(rt, who, 2027)
        assert refused.value.status == 403


def test_a_group_counts_once_per_key_with_its_best_attended_lesson():
    key = ("corlaer", "vmbo-kb", "PIE", "masterclass", "A")
    other = ("element", "po", None, "po_series", "B")
    rows = count_reach(
        [
            Delivered("s1", key, 20),
            Delivered("s1", key, 23),
            Delivered("s2", key, 10),
            Delivered("b3", other, 0),
        ]
    )
    assert rows == [
        ReachRow(*key, groups=2, lessons=3, students=33),
        ReachRow(*other, groups=1, lessons=1, students=0),
    ]
