import re
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.finance import domain
from services.finance.domain import AMSTERDAM, QUARTER_PATTERN, amount_cents, quarter_of

aware_times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@pytest.mark.parametrize(
    ("moment", "quarter"),
    [
        (datetime(2026, 10, 1, 8, 30, tzinfo=UTC), "2026-Q4"),
        (datetime(2026, 3, 31, 21, 59, tzinfo=UTC), "2026-Q1"),  # 23:59 local, winter time
        (datetime(2026, 3, 31, 22, 0, tzinfo=UTC), "2026-Q2"),  # 00:00 local on 1 April (CEST)
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "2027-Q1"),  # 00:30 on New Year's Day
        (datetime(2026, 9, 30, 22, 30, tzinfo=UTC), "2026-Q4"),
    ],
)
def test_quarter_follows_the_local_date_in_amsterdam(moment, quarter):
    assert quarter_of(moment) == quarter


def test_quarter_needs_an_aware_time():
    with pytest.raises(ValueError):
        quarter_of(datetime(2026, 10, 1, 9, 0))


@given(aware_times)
def test_quarter_is_that_of_the_amsterdam_month(moment):
    local = moment.astimezone(AMSTERDAM)
    quarter = quarter_of(moment)
    assert re.fullmatch(QUARTER_PATTERN, quarter)
    assert quarter == f"{local.year}-Q{(local.month + 2) // 3}"


@given(aware_times, st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_quarter_does_not_depend_on_the_zone_the_time_is_given_in(moment, offset_minutes):
    shifted = moment.astimezone(timezone(timedelta(minutes=offset_minutes)))
    assert quarter_of(shifted) == quarter_of(moment)


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "26-Q1", "2026Q1", "2026-q1", ""])
def test_quarter_pattern_refuses_malformed_quarters(text):
    assert not re.fullmatch(QUARTER_PATTERN, text)


@pytest.mark.parametrize(
    ("minutes", "rate", "cents"),
    [
        (120, 7500, 15000),  # an inspiration lesson of two hours
        (1, 7500, 125),
        (1, 30, 1),  # exactly half a cent rounds up
        (1, 29, 0),  # just under half a cent rounds down
        (1, 90, 2),  # 1.5 cents rounds up
        (7, 1, 0),  # 0.1166... cents
        (0, 7500, 0),
    ],
)
def test_amount_rounds_half_up_to_whole_cents(minutes, rate, cents):
    assert amount_cents(minutes, rate) == cents


@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=0, max_value=1_000_000))
def test_amount_is_exact_value_rounded_half_up(minutes, rate):
    exact = Fraction(minutes * rate, 60)
    cents = amount_cents(minutes, rate)
    assert cents - Fraction(1, 2) <= exact < cents + Fraction(1, 2)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=100_000))
def test_whole_hours_cost_exactly_the_rate(hours, rate):
    assert amount_cents(hours * 60, rate) == hours * rate


def test_amount_refuses_negative_input():
    with pytest.raises(ValueError):
        amount_cents(-1, 7500)
    with pytest.raises(ValueError):
        amount_cents(60, -1)


def test_description_is_dutch_and_names_offering_and_group():
    text = domain.hours_line_description("Robotica inspiratieles", "2B")
    assert text == "Technieklessen hotspot: Robotica inspiratieles (2B)"


@pytest.mark.parametrize(
    ("role", "organisation", "allowed"),
    [
        ("school", "corlaer", True),
        ("school", "element", False),
        ("finance", "", True),
        ("backoffice", "", True),
        ("company", "corlaer", False),
    ],
)
def test_who_may_read_a_schools_declaration(role, organisation, allowed):
    assert domain.may_read_declaration(role, organisation, "corlaer") is allowed


@given(
    st.integers(0, 10**11),
    st.lists(st.sampled_from(domain.quarters_of_year(2026)), min_size=1, max_size=4, unique=True),
)
def test_a_budget_spread_over_quarters_adds_up_and_is_even(amount, quarters):
    spread = domain.spread_over_quarters(amount, quarters)
    assert sorted(spread) == sorted(quarters)
    assert sum(spread.values()) == amount
    assert max(spread.values()) - min(spread.values()) <= 1
    assert list(spread.values()) == sorted(spread.values(), reverse=True)  # earliest first


@given(st.integers(0, 10**7), st.lists(st.integers(-(10**7), 10**7), max_size=20))
def test_no_sequence_of_corrections_nets_a_line_below_zero(original, attempts):
    accepted = []
    for amount in attempts:
        try:
            domain.check_correction("corlaer", "corlaer", False, original + sum(accepted), amount)
        except domain.Refused:
            assert amount == 0 or original + sum(accepted) + amount < 0
            continue
        accepted.append(amount)
    assert original + sum(accepted) >= 0
