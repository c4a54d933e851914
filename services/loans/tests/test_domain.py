from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from services.loans.domain import (
    HOLDING,
    Claim,
    ItemStatus,
    LoanRefused,
    Period,
    Policy,
    Stock,
    Unavailable,
    days_overdue,
    extended,
    free_stock,
    item_for_lesson,
    lesson_period,
    nearest,
    next_free_start,
    no_kit_reason,
    require_back_in_time,
    require_backoffice,
    require_cancellable,
    require_changeable,
    require_collectable,
    require_extension_allowed,
    require_free,
    require_in_repair,
    require_out,
    require_own,
    require_retirable,
    reservation_period,
    shown_status,
    units_free,
    visible_school,
)


def days(first: int, last: int) -> Period:
    return Period(date(2027, 3, first), date(2027, 3, last))


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (days(1, 3), days(3, 5), True),  # sharing one day is an overlap: both ends inclusive
        (days(1, 3), days(4, 5), False),
        (days(1, 10), days(4, 5), True),  # one inside the other
        (days(4, 4), days(4, 4), True),
    ],
)
def test_overlap_is_symmetric_and_inclusive(a, b, overlap):
    assert a.overlaps(b) is overlap
    assert b.overlaps(a) is overlap


def test_a_period_may_not_end_before_it_starts():
    with pytest.raises(LoanRefused):
        days(5, 4)


def test_all_units_are_free_without_claims():
    assert units_free(12, [], days(1, 2)) == 12


def test_claims_outside_the_period_take_nothing():
    assert units_free(12, [Claim(days(5, 6), 12)], days(1, 4)) == 12


def test_overlapping_claims_add_up():
    claims = [Claim(days(1, 3), 4), Claim(days(2, 2), 5)]
    assert units_free(12, claims, days(1, 3)) == 3


def test_claims_on_different_days_share_units():
    # 6 units on day 1 and 6 on day 3 never meet: 6 stay free on every day.
    claims = [Claim(days(1, 1), 6), Claim(days(3, 3), 6)]
    assert units_free(12, claims, days(1, 3)) == 6


def test_a_claim_starting_before_the_period_counts_on_its_first_day():
    claims = [Claim(days(1, 2), 5), Claim(days(3, 3), 1)]
    assert units_free(8, claims, days(2, 3)) == 3


def test_free_units_never_go_negative():
    assert units_free(1, [Claim(days(1, 1), 1), Claim(days(1, 1), 1)], days(1, 1)) == 0


def test_a_lesson_takes_the_first_whole_kit():
    stock = [Stock("a", 12, 6), Stock("b", 12, 12), Stock("c", 12, 12)]
    assert item_for_lesson(stock) == Stock("b", 12, 12)
    assert item_for_lesson([Stock("a", 12, 11)]) is None


def test_a_lesson_period_is_its_amsterdam_day():
    # 23:30 UTC on 1 March is already 2 March in Amsterdam (CET, UTC+1).
    starts_at = datetime(2027, 3, 1, 23, 30, tzinfo=UTC)
    ends_at = datetime(2027, 3, 2, 1, 30, tzinfo=UTC)
    assert lesson_period(starts_at, ends_at) == Period(date(2027, 3, 2), date(2027, 3, 2))


def test_a_lesson_ending_at_local_midnight_stays_on_its_day():
    starts_at = datetime(2027, 6, 1, 20, 0, tzinfo=UTC)  # 22:00 CEST
    ends_at = datetime(2027, 6, 1, 22, 0, tzinfo=UTC)  # 00:00 CEST
    assert lesson_period(starts_at, ends_at) == Period(date(2027, 6, 1), date(2027, 6, 1))


def test_schools_see_their_own_reservations_and_the_backoffice_all():
    assert visible_school("school", "corlaer") == "corlaer"
    assert visible_school("backoffice", "") is None
    with pytest.raises(LoanRefused):
        visible_school("finance", "lodenstein")


DAY_ONE = date(2027, 3, 1)
periods = st.builds(
    lambda start, length: Period(DAY_ONE + timedelta(start), DAY_ONE + timedelta(start + length)),
    st.integers(0, 40),
    st.integers(0, 10),
)
claims = st.lists(st.builds(Claim, periods, st.integers(1, 4)), max_size=8)


def _day_by_day_free(quantity: int, held: list[Claim], period: Period) -> int:
    """The slow, obvious count: the busiest day of the period, checked day by day."""
    busiest = max(
        sum(c.quantity for c in held if c.period.contains(period.starts_on + timedelta(d)))
        for d in range((period.ends_on - period.starts_on).days + 1)
    )
    return max(0, quantity - busiest)


@given(periods, periods)
def test_periods_overlap_exactly_when_they_share_a_day(a, b):
    shared = {a.starts_on + timedelta(d) for d in range((a.ends_on - a.starts_on).days + 1)}
    assert a.overlaps(b) is any(b.contains(day) for day in shared)


@given(st.integers(1, 12), claims, periods)
def test_free_units_are_those_of_the_busiest_day(quantity, held, period):
    assert units_free(quantity, held, period) == _day_by_day_free(quantity, held, period)


@given(st.integers(1, 12), claims, periods, st.integers(1, 12))
def test_the_next_free_start_is_free_and_the_first_one(quantity, held, period, wanted):
    assume(units_free(quantity, held, period) < wanted)  # asked only when the period is taken
    start = next_free_start(quantity, held, period, wanted)
    if start is None:
        # Claims end, so only asking more units than the item has finds no start.
        assert wanted > quantity
        return
    assert start > period.starts_on
    assert _day_by_day_free(quantity, held, period.moved_to(start)) >= wanted
    assert all(
        _day_by_day_free(quantity, held, period.moved_to(day)) < wanted
        for day in (
            period.starts_on + timedelta(d) for d in range(1, (start - period.starts_on).days)
        )
    )


def test_the_next_free_start_keeps_the_length():
    held = [Claim(days(3, 6), 1)]
    assert next_free_start(1, held, days(2, 4), 1) == date(2027, 3, 7)
    assert days(2, 4).moved_to(date(2027, 3, 7)) == days(7, 9)
    assert next_free_start(1, held, days(2, 4), 2) is None


def test_asking_more_units_than_free_is_unavailable():
    require_free(3, 3)
    with pytest.raises(Unavailable) as refused:
        require_free(2, 3)
    assert refused.value.status == 409


def test_another_item_is_offered_when_it_has_the_units():
    stock = [Stock("a", 12, 2), Stock("b", 12, 5)]
    assert free_stock(stock, 4) == Stock("b", 12, 5)
    assert free_stock(stock, 6) is None


def test_a_school_cannot_touch_another_schools_reservation():
    require_own("school", "corlaer", "corlaer")
    require_own("backoffice", "", "corlaer")
    with pytest.raises(LoanRefused) as refused:
        require_own("school", "nxt", "corlaer")
    assert refused.value.status == 404


def test_released_or_booked_reservations_cannot_change_here():
    require_changeable("reserved", None)
    for status, booking in (("released", None), ("reserved", "a-booking")):
        with pytest.raises(LoanRefused):
            require_changeable(status, booking)


def test_an_extension_must_end_later():
    assert extended(days(1, 3), date(2027, 3, 5)) == days(1, 5)
    with pytest.raises(LoanRefused):
        extended(days(1, 3), date(2027, 3, 3))


def test_the_reason_for_a_missing_kit_names_the_equipment_and_the_days_in_dutch():
    one_day = Period(date(2027, 3, 9), date(2027, 3, 9))
    assert no_kit_reason("hydrogen-car", one_day) == (
        "Er is op dinsdag 9 maart 2027 geen waterstofauto vrij voor deze les."
    )
    assert "van dinsdag 9 maart 2027 tot en met woensdag 10 maart 2027 geen robotset" in (
        no_kit_reason("robot", Period(date(2027, 3, 9), date(2027, 3, 10)))
    )


def test_the_nearest_alternative_is_the_earliest_later_start():
    assert nearest([(None, "a"), (date(2027, 3, 12), "b"), (date(2027, 3, 10), "c")]) == (
        date(2027, 3, 10),
        "c",
    )
    assert nearest([(None, "a")]) is None


def _busiest_day(held: list[Claim]) -> int:
    every_day = {
        c.period.starts_on + timedelta(d)
        for c in held
        for d in range((c.period.ends_on - c.period.starts_on).days + 1)
    }
    return max(
        (sum(c.quantity for c in held if c.period.contains(day)) for day in every_day), default=0
    )


def _granted(quantity: int, wishes: list[Claim]) -> list[Claim]:
    """The wishes granted one after the other, each only if its units are free."""
    granted: list[Claim] = []
    for wish in wishes:
        try:
            require_free(units_free(quantity, granted, wish.period), wish.quantity)
        except Unavailable:
            continue
        granted.append(wish)
    return granted


wishes = st.lists(st.builds(Claim, periods, st.integers(1, 6)), max_size=15)


@given(st.integers(1, 12), wishes)
def test_granting_only_free_units_never_lends_more_units_than_the_kit_has(quantity, asked):
    assert _busiest_day(_granted(quantity, asked)) <= quantity


@given(st.integers(1, 12), wishes, st.integers(1, 10))
def test_an_extension_granted_on_free_units_keeps_the_kit_within_its_units(
    quantity,
    asked,
    extra_days,
):
    granted = _granted(quantity, asked)
    assume(granted)
    loan, others = granted[0], granted[1:]
    longer = Claim(
        extended(loan.period, loan.period.ends_on + timedelta(extra_days)), loan.quantity
    )
    try:
        require_free(units_free(quantity, others, longer.period), longer.quantity)
    except Unavailable:
        return
    assert _busiest_day([*others, longer]) <= quantity


@given(periods, st.integers(-5, 30))
def test_a_loan_is_late_by_the_days_after_its_last_day(period, offset):
    today = period.ends_on + timedelta(offset)
    assert days_overdue(period.ends_on, today) == max(0, offset)


def test_an_item_in_service_with_units_out_shows_as_checked_out():
    assert shown_status("available", 0) == ItemStatus.AVAILABLE
    assert shown_status("available", 3) == ItemStatus.CHECKED_OUT
    assert shown_status("in_repair", 1) == ItemStatus.IN_REPAIR
    assert shown_status("retired", 0) == ItemStatus.RETIRED


def test_a_checked_out_loan_holds_its_units():
    assert HOLDING == {"reserved", "checked_out"}


def test_a_reservation_is_collected_on_a_day_of_its_period_with_its_item_in_service():
    require_collectable("reserved", "available", days(1, 3), date(2027, 3, 1))
    require_collectable("reserved", "available", days(1, 3), date(2027, 3, 3))
    for status, item_status, day in (
        ("checked_out", "available", 2),
        ("released", "available", 2),
        ("reserved", "in_repair", 2),
        ("reserved", "retired", 2),
        ("reserved", "available", 4),
    ):
        with pytest.raises(LoanRefused) as refused:
            require_collectable(status, item_status, days(1, 3), date(2027, 3, day))
        assert refused.value.status == 409
    with pytest.raises(LoanRefused):
        require_collectable("reserved", "available", days(2, 3), date(2027, 3, 1))


def test_only_a_checked_out_loan_comes_back_and_only_an_item_in_repair_is_repaired():
    require_out("checked_out")
    require_in_repair("in_repair")
    for status in ("reserved", "returned", "released"):
        with pytest.raises(LoanRefused):
            require_out(status)
    for status in ("available", "retired"):
        with pytest.raises(LoanRefused):
            require_in_repair(status)


def test_a_checked_out_loan_is_extended_but_not_cancelled():
    require_changeable("checked_out", None)
    require_cancellable("reserved", None)
    with pytest.raises(LoanRefused):
        require_cancellable("checked_out", None)


def test_lending_and_repairs_are_for_the_backoffice():
    require_backoffice("backoffice", "checks loans out")
    for role in ("school", "finance", "company"):
        with pytest.raises(LoanRefused) as refused:
            require_backoffice(role, "checks loans out")
        assert refused.value.status == 403


def test_an_item_is_retired_once_and_never_under_a_reservation_or_a_loan():
    require_retirable("available", 0, 0)
    require_retirable("in_repair", 0, 0)
    for status, ahead, out in (("retired", 0, 0), ("available", 1, 0), ("available", 0, 1)):
        with pytest.raises(LoanRefused):
            require_retirable(status, ahead, out)


def test_the_next_loan_waits_for_units_an_overdue_loan_still_holds():
    require_back_in_time(12, 4, 8)
    require_back_in_time(1, 0, 1)
    with pytest.raises(Unavailable):
        require_back_in_time(12, 5, 8)
    with pytest.raises(Unavailable):
        require_back_in_time(1, 1, 1)


TODAY = date(2027, 3, 1)
POLICY = Policy(horizon_days=30, max_days=7)


def _refused_field(rule, *args) -> tuple[int, str, str]:
    """A refused period: its status and the field and code it names."""
    with pytest.raises(LoanRefused) as refused:
        rule(*args)
    [error] = refused.value.extra["errors"]
    assert error["message"] == refused.value.reason
    return refused.value.status, error["field"], error["code"]


def after(n: int) -> date:
    return TODAY + timedelta(n)


def test_the_default_policy_lends_a_school_year_ahead_for_three_weeks_at_most():
    assert Policy() == Policy(horizon_days=365, max_days=21)
    assert Policy().last_day(TODAY) == date(2028, 2, 29)


def test_a_period_counts_both_its_days():
    assert Period(TODAY, TODAY).days == 1 and Period(TODAY, after(6)).days == 7


def test_a_reservation_starts_today_or_later_not_in_the_past():
    assert reservation_period(TODAY, TODAY, TODAY, POLICY) == Period(TODAY, TODAY)
    assert _refused_field(reservation_period, after(-1), TODAY, TODAY, POLICY) == (
        422,
        "starts_on",
        "in_past",
    )
    with pytest.raises(LoanRefused, match="begint vandaag \\(01-03-2027\\) of later"):
        reservation_period(after(-1), TODAY, TODAY, POLICY)


def test_a_reservation_does_not_end_before_it_starts():
    assert _refused_field(reservation_period, after(3), after(2), TODAY, POLICY) == (
        422,
        "ends_on",
        "before_start",
    )


def test_a_reservation_ends_by_the_last_day_of_the_horizon():
    assert reservation_period(after(30), after(30), TODAY, POLICY).ends_on == after(30)
    assert _refused_field(reservation_period, after(28), after(31), TODAY, POLICY) == (
        422,
        "ends_on",
        "beyond_horizon",
    )
    with pytest.raises(LoanRefused, match="30 dagen vooruit .* uiterlijk 31-03-2027"):
        reservation_period(after(31), after(31), TODAY, POLICY)


def test_a_reservation_lasts_at_most_the_maximum_number_of_days():
    assert reservation_period(after(1), after(7), TODAY, POLICY).days == 7
    assert _refused_field(reservation_period, after(1), after(8), TODAY, POLICY) == (
        422,
        "ends_on",
        "too_long",
    )
    with pytest.raises(LoanRefused, match="ten hoogste 7 dagen .* duurt 8 dagen"):
        reservation_period(after(1), after(8), TODAY, POLICY)


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [(date.min, date.min), (date.min, date.max), (date.max, date.max), (TODAY, date.max)],
)
def test_absurd_dates_are_refused(starts_on, ends_on):
    assert _refused_field(reservation_period, starts_on, ends_on, TODAY, Policy())[0] == 422


def test_an_extension_counts_the_days_already_lent_towards_the_maximum():
    started = Period(after(-3), after(1))
    require_extension_allowed(extended(started, after(3)), TODAY, POLICY)
    assert _refused_field(
        require_extension_allowed, extended(started, after(4)), TODAY, POLICY
    ) == (422, "ends_on", "too_long")


def test_an_extension_ends_by_the_last_day_of_the_horizon():
    near_the_end = Period(after(28), after(29))
    roomy = Policy(horizon_days=30, max_days=100)
    require_extension_allowed(extended(near_the_end, after(30)), TODAY, roomy)
    for ends_on in (after(31), date.max):
        assert _refused_field(
            require_extension_allowed, extended(near_the_end, ends_on), TODAY, roomy
        ) == (422, "ends_on", "beyond_horizon")


def test_an_extension_does_not_end_in_the_past():
    overdue = Period(after(-6), after(-4))
    require_extension_allowed(extended(overdue, TODAY), TODAY, POLICY)
    assert _refused_field(
        require_extension_allowed, extended(overdue, after(-1)), TODAY, POLICY
    ) == (422, "ends_on", "in_past")


def test_an_extension_that_is_no_later_names_the_field():
    assert _refused_field(extended, Period(TODAY, after(2)), after(2)) == (
        422,
        "ends_on",
        "not_later",
    )


@given(st.dates(), st.dates(), st.integers(1, 730), st.integers(1, 365))
def test_every_reservation_granted_lies_within_the_policy(starts_on, ends_on, horizon, longest):
    policy = Policy(horizon, longest)
    try:
        period = reservation_period(starts_on, ends_on, TODAY, policy)
    except LoanRefused as refused:
        assert refused.status == 422
        return
    assert TODAY <= period.starts_on <= period.ends_on <= policy.last_day(TODAY)
    assert period.days <= longest
