"""Reach figures against the attendance recorded at check-in, on a migrated SQLite store."""

from collections import Counter

import pytest

from services.events import commands, reach
from services.events.tests.scenario import (
    BACKOFFICE,
    NOW,
    group,
    plan_session,
    school,
)
from shared.domain import Refused
from shared.http import Caller

PROGRAMME = Caller(actor="programma", role="programme", organisation="tft")
GIRLS_DAY = "girls-day-2027-04-08"
LEVELS = ("vmbo-kb", "vmbo-bb")


# (school, level, profile, registered, present or None when the group did not come)
GROUPS = [
    ("corlaer", "vmbo-kb", "PIE", 24, 24),
    ("corlaer", "vmbo-kb", "PIE", 20, 17),  # fewer students came than were registered
    ("corlaer", "vmbo-bb", "BWI", 15, 15),
    ("element", "vmbo-kb", None, 22, 20),
    ("element", "vmbo-kb", "M&T", 18, None),
]


async def _attended(rt, event_id: str) -> Counter:
    """Register and check in GROUPS; return students present per (event, school, level,
    profile) as check-in recorded it."""
    session_id = await plan_session(rt, capacity=200, event_id=event_id, audience=LEVELS)
    recorded: Counter = Counter()
    for i, (school_id, level, profile, students, present) in enumerate(GROUPS):
        placed = await commands.register(
            rt, school(school_id), session_id, group(students, f"{i}A", level), profile, now=NOW
        )
        if present is None:
            continue
        checked = await commands.check_in(
            rt, BACKOFFICE, event_id, placed.registration.check_in_code, present, now=NOW
        )
        recorded[(event_id, school_id, level, profile)] += checked.students_present
    return recorded


def _figures(rows) -> Counter:
    return Counter({(r.event_id, r.school_id, r.level, r.profile): r.students for r in rows})


async def test_reach_equals_the_attendance_recorded_at_check_in(rt):
    recorded = await _attended(rt, GIRLS_DAY)
    recorded += await _attended(rt, "techevent-2027-05-27")

    everything = await reach.reach(rt, PROGRAMME)

    assert _figures(everything) == recorded
    corlaer_pie = next(r for r in everything if (r.event_id, r.profile) == (GIRLS_DAY, "PIE"))
    assert (corlaer_pie.groups, corlaer_pie.students) == (2, 24 + 17)
    assert _figures(await reach.reach(rt, BACKOFFICE, event_id=GIRLS_DAY)) == Counter(
        {key: n for key, n in recorded.items() if key[0] == GIRLS_DAY}
    )


async def test_a_school_sees_only_its_own_reach_and_a_company_none(rt):
    recorded = await _attended(rt, GIRLS_DAY)

    own = await reach.reach(rt, school("element"), school_id="corlaer")

    assert _figures(own) == Counter({k: n for k, n in recorded.items() if k[1] == "element"})
    with pytest.raises(Refused) as company:
        await reach.reach(rt, Caller(actor="x", role="company", organisation="voorbeeld-bouw"))
    assert company.value.status == 403


async def test_reach_of_a_calendar_year_counts_the_sessions_in_it(rt):
    """The sessions of `plan_session` start on 17 January 2027 (their event's start)."""
    recorded = await _attended(rt, GIRLS_DAY)
    admin = Caller(actor="admin", role="admin", organisation="tft")

    assert _figures(await reach.reach(rt, admin, year=2027)) == recorded
    assert await reach.reach(rt, PROGRAMME, year=2026) == []
    assert await reach.reach(rt, PROGRAMME, year=2028) == []
