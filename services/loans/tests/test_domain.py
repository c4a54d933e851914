from datetime import UTC, date, datetime

import pytest

from services.loans.domain import (
    Claim,
    LoanRefused,
    Period,
    Stock,
    item_for_lesson,
    lesson_period,
    units_free,
    visible_school,
)


def days(first: int, last: int) -> Period:
    return Period(date(2027, 3, first), date(2027, 3, last))


@pytest.mark.parametrize(("a", "b", "overlap"), [
    (days(1, 3), days(3, 5), True),     # sharing one day is an overlap: both ends inclusive
    (days(1, 3), days(4, 5), False),
    (days(1, 10), days(4, 5), True),    # one inside the other
    (days(4, 4), days(4, 4), True),
])
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
