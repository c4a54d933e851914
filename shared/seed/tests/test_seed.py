"""Consistency checks of the seed data against itself and against the seed document."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import combinations

import pytest

import shared.seed as seed
from shared.seed import schedule

FUTURE_FROM = datetime(2026, 12, 1, tzinfo=seed.AMSTERDAM)


def _unique(values) -> bool:
    values = list(values)
    return len(values) == len(set(values))


def test_ids_unique():
    assert _unique(s.id for s in seed.SCHOOLS)
    assert _unique(e.code for e in seed.ELECTIVES)
    assert _unique(o.id for o in seed.OFFERINGS)
    assert _unique(c.id for c in seed.EQUIPMENT_CATEGORIES)
    assert _unique(i.id for i in seed.EQUIPMENT)
    assert _unique(i.asset_tag for i in seed.EQUIPMENT)
    assert _unique(r.id for r in seed.ROOMS)
    assert _unique(e.id for e in seed.EVENTS)
    assert _unique(t.code for t in seed.CORE_TASKS)
    assert _unique(c.id for c in seed.COMPANIES)
    assert _unique(p.id for p in seed.PARTNERS)
    assert _unique(b.id for b in seed.PO_BOARDS)
    assert _unique(s.id for s in seed.DEMO_SESSIONS)
    assert _unique((b.core_task, b.year) for b in seed.BUDGET_LINES)


def test_hard_tech_schools():
    ids = {"lodenstein", "element", "corlaer", "nxt", "trivium"}
    assert set(seed.HARD_TECH_SCHOOL_IDS) == ids
    assert {s.id for s in seed.SCHOOLS if s.hard_tech} == ids
    assert seed.SCHOOLS_BY_ID["lodenstein"].name == "Van Lodenstein College"
    assert seed.SCHOOLS_BY_ID["nxt"].name == "NXT Maarsbergen"


def test_schools_well_formed():
    for s in seed.SCHOOLS:
        assert s.kind in seed.SCHOOL_KINDS, s
        assert s.municipality is None or s.municipality in seed.MUNICIPALITIES, s
        assert set(s.all_profiles) <= set(seed.PROFILES), s
    # Figure 4: 23 vmbo, 7 pro, 4 mbo.
    kinds = Counter(s.kind for s in seed.SCHOOLS if not s.is_placeholder)
    assert kinds == {"vmbo": 23, "pro": 7, "mbo": 4}
    assert len(seed.PO_BOARDS) == 30  # figure 5


def test_student_counts_match_figure_2_totals():
    for i, year in enumerate(seed.STUDENT_COUNT_YEARS):
        rows = [c for c in seed.STUDENT_COUNTS if c.year == year]
        assert sum(c.students for c in rows) == seed.STUDENT_TOTALS[i]
        for profile, totals in seed.STUDENT_TOTALS_BY_PROFILE.items():
            assert sum(c.students for c in rows if c.profile == profile) == totals[i]
    assert seed.STUDENT_TOTALS[-1] == 613  # "In 2023 volgden 613 vmbo leerlingen ..."
    assert {c.school_id for c in seed.STUDENT_COUNTS} == set(seed.HARD_TECH_SCHOOL_IDS)


def test_transfer_targets():
    targets = {t.profile: (t.rate_2023_percent, t.target_percent) for t in seed.TRANSFER_TARGETS}
    assert targets["M&T"] == (72, 80) and targets["MVI"] == (58, 65) and targets["TL"] == (26, 30)
    assert all(target >= rate for rate, target in targets.values())


def test_electives_refer_to_known_schools():
    known = set(seed.HARD_TECH_SCHOOL_IDS) | {seed.HOTSPOT_ID}
    for e in seed.ELECTIVES:
        assert e.offered_by and set(e.offered_by) <= known, e
        assert e.profile in seed.PROFILES
    assert set(seed.ELECTIVES_BY_CODE["KV 1313"].offered_by) == {"corlaer", "nxt", "hotspot"}
    at_hotspot = {e.code for e in seed.ELECTIVES if seed.HOTSPOT_ID in e.offered_by}
    offered = {o.elective_code for o in seed.OFFERINGS if o.kind == "elective"}
    assert offered == at_hotspot


def test_offerings_well_formed():
    for o in seed.OFFERINGS:
        assert o.kind in seed.OFFERING_KINDS, o
        assert o.audience and set(o.audience) <= set(seed.AUDIENCES), o
        assert o.capacity > 0 and o.hours_per_session > 0 and o.sessions_per_series > 0
        assert o.core_task in seed.CORE_TASKS_BY_CODE
        assert o.id in seed.DEMO_SLOTS, f"{o.id} has no demo slot"
    for o in seed.OFFERINGS:
        if o.kind == "inspiration_lesson" and "vmbo-bb" in o.audience:
            assert o.total_hours == 2  # inspiratielessen (2 uur) for vmbo
        if o.kind == "masterclass":
            assert (o.sessions_per_series, o.hours_per_session) == (4, 2)  # 4 x 2 uur
        if o.kind == "elective":
            assert o.total_hours == 60  # ong. 60 uur
        if o.kind == "po_series":
            assert o.sessions_per_series == 4


def test_offering_equipment_refers_to_existing_categories():
    for o in seed.OFFERINGS:
        assert set(o.equipment) <= seed.EQUIPMENT_CATEGORY_IDS, o
    for item in seed.EQUIPMENT:
        assert item.category in seed.EQUIPMENT_CATEGORY_IDS
        assert item.quantity >= 1
    # every category has at least one item to lend or use
    assert {i.category for i in seed.EQUIPMENT} == seed.EQUIPMENT_CATEGORY_IDS


def _easter(year: int) -> date:  # anonymous Gregorian algorithm
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def test_calendar_data():
    easter = _easter(2027)
    assert easter == date(2027, 3, 28)
    holidays = seed.DUTCH_PUBLIC_HOLIDAYS_2026_2027
    for offset in (-2, 0, 1, 39, 49, 50):
        assert easter + timedelta(days=offset) in holidays
    for start, end in seed.SCHOOL_HOLIDAYS_MIDDEN_2026_2027.values():
        assert start.weekday() == 5 and end.weekday() == 6  # Saturday .. Sunday
    assert not seed.is_school_day(date(2027, 2, 22))  # voorjaarsvakantie
    assert not seed.is_school_day(date(2026, 12, 21))  # kerstvakantie
    assert seed.is_school_day(date(2027, 1, 4))


def test_sessions_on_school_days_in_the_future():
    assert seed.DEMO_SESSIONS
    for s in seed.DEMO_SESSIONS:
        assert s.starts_at.tzinfo is not None and s.starts_at.utcoffset() == timedelta(0)
        assert s.starts_at >= FUTURE_FROM
        assert s.ends_at > s.starts_at
        local = s.starts_at.astimezone(seed.AMSTERDAM)
        assert local.weekday() < 5
        assert seed.is_school_day(local.date()), s
        assert local.date() not in seed.DUTCH_PUBLIC_HOLIDAYS_2026_2027
        for start, end in seed.SCHOOL_HOLIDAYS_MIDDEN_2026_2027.values():
            assert not start <= local.date() <= end, s
        assert s.room in seed.ROOMS_BY_ID and s.instructor


def test_sessions_keep_local_wall_clock_across_dst():
    # 08:30 in Amsterdam is 07:30 UTC in winter and 06:30 UTC in summer time.
    robot = [s for s in seed.DEMO_SESSIONS if s.offering_id == "kv-1906"]
    winter = [s for s in robot if s.starts_at.month in (12, 1, 2)]
    summer = [s for s in robot if s.starts_at.month in (4, 5, 6)]
    assert winter and summer
    assert {s.starts_at.astimezone(seed.AMSTERDAM).time() for s in robot} == {
        datetime(2000, 1, 1, 8, 30).time()
    }
    assert {s.starts_at.hour for s in winter} == {7} and {s.starts_at.hour for s in summer} == {6}


def test_session_ids_stable_between_calls():
    offering = seed.OFFERINGS_BY_ID["mk-robotica"]
    first = seed.sessions_for(offering, seed.DEMO_START, 4)
    second = seed.sessions_for(offering, seed.DEMO_START, 4)
    assert first == second
    assert [s.id for s in first] == [seed.session_id("mk-robotica", i) for i in range(4)]
    assert schedule.demo_sessions() == seed.DEMO_SESSIONS


def test_series_complete_and_po_series_split_over_two_schools():
    per_offering = Counter(s.offering_id for s in seed.DEMO_SESSIONS)
    for o in seed.OFFERINGS:
        if o.kind in ("masterclass", "elective", "po_series"):
            assert per_offering[o.id] == o.sessions_per_series, o.id
    po = [s for s in seed.DEMO_SESSIONS if s.offering_id == "po-lessenserie-robotica"]
    assert [s.room for s in po] == ["vmbo-praktijklokaal"] * 2 + ["po-klaslokaal"] * 2


def test_no_room_or_instructor_double_booked():
    for a, b in combinations(seed.DEMO_SESSIONS, 2):
        if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
            assert a.room != b.room, (a, b)
            assert a.instructor != b.instructor, (a, b)


def test_sessions_for_refuses_to_run_past_the_school_year():
    with pytest.raises(ValueError):
        seed.sessions_for(seed.OFFERINGS_BY_ID["kv-1906"], seed.DEMO_START, 60)


def test_events():
    titles = {e.title for e in seed.EVENTS}
    assert {
        "Week van de Techniek",
        "Techevent",
        "Techniek experience",
        "Girls Day",
        "T is for Tech jaarvergadering",
        "T is for Tech op pad",
    } == titles
    for e in seed.EVENTS:
        assert e.dates and e.capacity > 0 and e.description
        assert set(e.audience) <= set(seed.AUDIENCES)
        for d in e.dates:
            assert seed.is_school_day(d), (e.id, d)
        for start, end in seed.event_occurrences(e):
            assert start >= FUTURE_FROM and end > start and start.tzinfo == UTC
    assert "VHTO" in seed.EVENTS_BY_ID["girls-day"].description


def test_budget_positive_integers_per_core_task_per_year():
    codes = [t.code for t in seed.CORE_TASKS]
    assert codes == ["A", "B", "C", "D", "E"]
    for code in codes:
        for year in seed.BUDGET_YEARS:
            lines = [b for b in seed.BUDGET_LINES if b.core_task == code and b.year == year]
            assert len(lines) == 1
            assert isinstance(lines[0].amount_cents, int) and lines[0].amount_cents > 0


def test_budget_totals_match_the_document():
    # Section 5: co-financing by companies is 10 %, EUR 247,000 a year, for four years.
    assert seed.COMPANY_COFINANCING_PER_YEAR_CENTS == 24_700_000
    # Four plan years over the calendar years 2025-2029; 2025 and 2029 hold half a year each.
    assert seed.BUDGET_YEARS == (2025, 2026, 2027, 2028, 2029)
    assert sum(seed.BUDGET_SHARE_PERCENT.values()) == 100
    for year in (2026, 2027, 2028):
        total = sum(b.amount_cents for b in seed.BUDGET_LINES if b.year == year)
        assert total == seed.TOTAL_BUDGET_PER_YEAR_CENTS == 247_000_000
        assert total * seed.COMPANY_COFINANCING_PERCENT // 100 == (
            seed.COMPANY_COFINANCING_PER_YEAR_CENTS
        )
    assert sum(b.amount_cents for b in seed.BUDGET_LINES) == seed.TOTAL_BUDGET_CENTS


def test_records_are_frozen():
    with pytest.raises(AttributeError):
        seed.SCHOOLS[0].name = "x"  # type: ignore[misc]
