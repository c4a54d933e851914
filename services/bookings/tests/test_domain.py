from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.bookings import domain
from services.bookings.domain import BookingRefused, BookingStatus, SessionFacts
from shared.contracts.common import Group
from shared.seed import CLOSED_PERIODS

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def session(capacity=30, days=7) -> SessionFacts:
    starts = NOW + timedelta(days=days)
    return SessionFacts(starts, starts + timedelta(hours=2), capacity)


def group(students: int) -> Group:
    return Group(name="3B", level="vmbo-kb", year=3, students=students)


@given(capacity=st.integers(1, 200), students=st.integers(1, 200))
def test_a_group_is_refused_only_when_larger_than_the_session(capacity, students):
    """A full session is no refusal: the store waitlists the group."""
    try:
        domain.check_bookable(session(capacity), group(students), NOW)
        accepted = True
    except BookingRefused as refused:
        assert refused.status == 422
        accepted = False
    assert accepted == (students <= capacity)


waitlists = st.lists(st.integers(1, 40), max_size=30).map(lambda sizes: list(enumerate(sizes)))


@given(free=st.integers(0, 100), waiting=waitlists)
def test_promoted_groups_never_take_more_than_the_free_seats(free, waiting):
    sizes = dict(waiting)
    assert sum(sizes[i] for i in domain.promotions(free, waiting)) <= free


@given(free=st.integers(0, 100), waiting=waitlists)
def test_promotion_keeps_waitlist_order(free, waiting):
    promoted = domain.promotions(free, waiting)
    order = [i for i, _ in waiting]
    assert promoted == [i for i in order if i in set(promoted)]


@given(free=st.integers(0, 100), waiting=waitlists)
def test_a_group_that_fits_is_never_passed_over(free, waiting):
    """Walking the list, each group is promoted exactly when it fits what is still free;
    so at the end no one left waiting fits either."""
    promoted = set(domain.promotions(free, waiting))
    left = free
    for booking_id, students in waiting:
        assert (booking_id in promoted) == (students <= left)
        if booking_id in promoted:
            left -= students
    assert all(students > left for i, students in waiting if i not in promoted)


def test_the_first_waiting_group_that_fits_goes_first():
    waiting = [("a", 12), ("b", 5), ("c", 4), ("d", 1)]
    assert domain.promotions(10, waiting) == ["b", "c", "d"]
    assert domain.promotions(12, waiting) == ["a"]
    assert domain.promotions(0, waiting) == []


def test_booking_needs_a_day_of_lead_time():
    with pytest.raises(BookingRefused, match="minstens 1 dag vooraf") as refused:
        domain.check_bookable(session(days=0), group(10), NOW)
    assert refused.value.extra["rule"] == "lead_time"


@given(days=st.integers(0, 30), lead=st.integers(0, 30))
def test_the_backoffice_lead_time_decides_how_early_a_session_is_booked(days, lead):
    try:
        domain.check_bookable(session(days=days), group(10), NOW, lead_days=lead)
        accepted = True
    except BookingRefused:
        accepted = False
    assert accepted == (days >= lead)


def test_only_confirmed_bookings_complete_and_finished_ones_do_not_cancel():
    assert domain.complete(BookingStatus.CONFIRMED) is BookingStatus.COMPLETED
    for status in (BookingStatus.CANCELLED, BookingStatus.COMPLETED):
        with pytest.raises(BookingRefused):
            domain.complete(status)
        with pytest.raises(BookingRefused):
            domain.cancel(status)


def test_cancelling_a_confirmed_booking_releases_its_seats():
    assert domain.releases_seats(BookingStatus.CONFIRMED, BookingStatus.CANCELLED)
    assert not domain.releases_seats(BookingStatus.WAITLISTED, BookingStatus.CANCELLED)


def test_schools_see_only_their_own_bookings():
    assert domain.may_see("school", "corlaer", "corlaer")
    assert not domain.may_see("school", "lodenstein", "corlaer")
    assert domain.may_see("backoffice", "backoffice", "corlaer")


def test_session_length_in_minutes():
    assert session().minutes == 120


def test_a_seated_group_waits_only_for_equipment_its_sessions_do_not_hold_yet():
    assert domain.seated(needs_equipment=True, equipped=False) is BookingStatus.REQUESTED
    assert domain.seated(needs_equipment=True, equipped=True) is BookingStatus.CONFIRMED
    assert domain.seated(needs_equipment=False, equipped=False) is BookingStatus.CONFIRMED


@given(
    st.lists(st.sampled_from(list(BookingStatus)), min_size=1), st.lists(st.booleans(), min_size=1)
)
def test_a_group_is_equipped_when_it_all_waits_and_each_session_holds_the_equipment(statuses, held):
    expected = all(s is BookingStatus.REQUESTED for s in statuses) and all(held)
    assert domain.equipped(statuses, held) == expected


def test_closed_days_are_the_weekends_and_the_holidays():
    autumn = SimpleNamespace(
        starts_on=date(2026, 10, 19), ends_on=date(2026, 10, 23), name="herfstvakantie"
    )
    assert domain.closed_days(date(2026, 10, 16), date(2026, 10, 26), [autumn]) == [
        date(2026, 10, d) for d in (17, 18, 19, 20, 21, 22, 23, 24, 25)
    ]


def test_only_a_requested_booking_takes_loans_answer():
    assert domain.awaits_equipment(BookingStatus.REQUESTED)
    for status in set(BookingStatus) - {BookingStatus.REQUESTED}:
        assert not domain.awaits_equipment(status)


def test_cancelling_a_requested_booking_releases_the_seats_it_holds():
    assert domain.releases_seats(BookingStatus.REQUESTED, BookingStatus.CANCELLED)


minutes = st.integers(0, 24 * 60)


@given(a=minutes, a_len=st.integers(1, 240), b=minutes, b_len=st.integers(1, 240))
def test_sessions_overlap_exactly_when_they_share_a_minute(a, a_len, b, b_len):
    at = [NOW + timedelta(minutes=m) for m in (a, a + a_len, b, b + b_len)]
    shared_minutes = set(range(a, a + a_len)) & set(range(b, b + b_len))
    assert domain.overlaps(*at) == bool(shared_minutes)


def test_a_clash_names_the_room_first_then_the_instructor():
    planned = domain.Slot("Lab 1", "Instructeur 1", NOW, NOW + timedelta(hours=2))
    later = NOW + timedelta(hours=1)
    same_room = domain.Slot("Lab 1", "Instructeur 2", later, later + timedelta(hours=2))
    same_instructor = domain.Slot("Lab 2", "Instructeur 1", later, later + timedelta(hours=2))
    back_to_back = domain.Slot(
        "Lab 1", "Instructeur 1", NOW + timedelta(hours=2), NOW + timedelta(hours=4)
    )
    assert domain.clash(planned, same_room) == "room"
    assert domain.clash(planned, same_instructor) == "instructor"
    assert domain.clash(planned, back_to_back) is None


days = st.dates(date(2025, 8, 1), date(2029, 7, 31))


def test_weekends_holidays_and_public_holidays_are_closed():
    assert domain.closed_reason(date(2027, 1, 9), CLOSED_PERIODS) == "weekend"
    assert domain.closed_reason(date(2027, 2, 22), CLOSED_PERIODS) == "voorjaarsvakantie 2026/27"
    assert domain.closed_reason(date(2028, 5, 25), CLOSED_PERIODS) == "Hemelvaartsdag"
    assert domain.closed_reason(date(2027, 1, 4), CLOSED_PERIODS) is None


@given(day=days, school_open=st.booleans())
def test_a_school_exception_wins_over_the_calendar(day, school_open):
    reason = domain.closed_reason(day, CLOSED_PERIODS, school_open)
    assert (reason is None) == school_open


@given(day=days)
def test_the_first_open_day_is_a_weekday_outside_every_closed_period(day):
    found = domain.first_open_day(day, CLOSED_PERIODS)
    assert found >= day and found.weekday() < 5
    assert not any(c.starts_on <= found <= c.ends_on for c in CLOSED_PERIODS)
    skipped = [day + timedelta(days=i) for i in range((found - day).days)]
    assert all(domain.closed_reason(d, CLOSED_PERIODS) for d in skipped)


def test_a_day_closed_for_everyone_is_planned_only_when_a_school_is_open_on_it():
    good_friday = date(2027, 3, 26)
    with pytest.raises(BookingRefused, match="Goede Vrijdag") as refused:
        domain.check_plannable(good_friday, CLOSED_PERIODS, opened_for_a_school=False)
    assert refused.value.status == 422
    domain.check_plannable(good_friday, CLOSED_PERIODS, opened_for_a_school=True)


@given(day=days)
def test_a_day_belongs_to_the_school_year_from_august_to_july(day):
    first, following = domain.school_year_bounds(domain.school_year_of(day))
    assert first <= day < following and first.month == 8


@given(booked=st.integers(0, 50), wanted=st.integers(1, 4), quota=st.none() | st.integers(0, 50))
def test_a_quota_refuses_exactly_the_sessions_past_it(booked, wanted, quota):
    try:
        domain.check_quota(booked, wanted, quota, 2026)
        accepted = True
    except BookingRefused as refused:
        assert refused.status == 409 and "2026/27" in refused.reason
        accepted = False
    assert accepted == (quota is None or booked + wanted <= quota)


@given(hours_before=st.integers(0, 30 * 24), by_school=st.booleans())
def test_only_a_school_cancelling_inside_the_free_window_is_late(hours_before, by_school):
    late = domain.is_late_cancellation(
        NOW + timedelta(hours=hours_before), NOW, by_school, free_days=7
    )
    assert late == (by_school and hours_before < 7 * 24)


@given(free=st.integers(0, 60), waiting=waitlists, elsewhere=st.integers(0, 60))
def test_a_waiting_series_is_promoted_only_with_room_on_all_its_sessions(free, waiting, elsewhere):
    """Every group waits for a series whose other session has `elsewhere` seats left."""
    needs = {i: ["other"] for i, _ in waiting}
    chosen = domain.promotions(free, waiting, needs, {"other": elsewhere})
    sizes = dict(waiting)
    assert sum(sizes[i] for i in chosen) <= min(free, elsewhere)
    assert chosen == domain.promotions(min(free, elsewhere), waiting)


def offer(**fields) -> SimpleNamespace:
    base = dict(
        kind="inspiration_lesson",
        session_minutes=120,
        sessions_per_booking=1,
        elective_code=None,
        host_company=None,
        assignment=None,
        profile=None,
        internship_year=None,
        period_starts_on=None,
        period_ends_on=None,
        equipment=[],
    )
    return SimpleNamespace(**(base | fields))


@pytest.mark.parametrize(
    "fields, refusal",
    [
        (dict(kind="lecture"), "onbekende soort aanbod"),
        (dict(session_minutes=90), "120 minuten"),
        (dict(kind="masterclass"), "geboekt als 4"),
        (dict(kind="elective", elective_code="1313"), "KV-code"),
        (dict(kind="company_visit", host_company="voorbeeld-bouw"), "praktijkopdracht"),
        (dict(kind="internship", profile="BWI", internship_year=3), "een periode"),
        (dict(kind="assignment"), "beschrijft de opdracht"),
        # The host's answer decides a visit's booking; loans' answer must not confirm it first.
        (
            dict(
                kind="company_visit",
                host_company="voorbeeld-bouw",
                assignment="Meet uit",
                equipment=["drone"],
            ),
            "geen materiaal",
        ),
    ],
)
def test_an_offer_has_what_its_kind_needs(fields, refusal):
    with pytest.raises(BookingRefused, match=refusal):
        domain.check_offering(offer(**fields))


def test_well_formed_offers_of_each_kind_pass():
    for fields in (
        dict(),
        dict(kind="masterclass", sessions_per_booking=4),
        dict(kind="elective", elective_code="KV 1313", session_minutes=180),
        dict(kind="po_series", sessions_per_booking=4, session_minutes=90),
        dict(
            kind="company_visit", host_company="voorbeeld-bouw", assignment="Zet een fundering uit"
        ),
        dict(
            kind="internship",
            profile="BWI",
            internship_year=3,
            period_starts_on=date(2027, 3, 1),
            period_ends_on=date(2027, 3, 12),
            session_minutes=480,
        ),
        dict(
            kind="assignment",
            host_company="voorbeeld-bouw",
            assignment="Ontwerp een slimme bouwplaats",
        ),
    ):
        domain.check_offering(offer(**fields))


def test_only_a_confirmed_booking_becomes_a_no_show():
    assert domain.no_show(BookingStatus.CONFIRMED) is BookingStatus.NO_SHOW
    for status in set(BookingStatus) - {BookingStatus.CONFIRMED}:
        with pytest.raises(BookingRefused):
            domain.no_show(status)


@given(
    students=st.integers(1, 200),
    reached=st.none() | st.integers(0, 250),
    instructor=st.none() | st.integers(0, 600),
)
def test_reach_defaults_to_the_whole_group_and_never_exceeds_it(students, reached, instructor):
    try:
        got_reached, got_minutes = domain.reach(students, 120, reached, instructor)
    except BookingRefused:
        assert reached is not None and reached > students
        return
    assert got_reached == (students if reached is None else reached) <= students
    assert got_minutes == (120 if instructor is None else instructor)
