"""Rules for managing the inventory and reading the loans desk (services/loans/domain.py)."""

from datetime import date

import pytest

from services.loans import domain
from services.loans.domain import Claim, DeskStatus, LoanRefused, Period

TODAY = date(2028, 1, 11)


def claim(first: int, last: int, units: int) -> Claim:
    return Claim(Period(date(2028, 1, first), date(2028, 1, last)), units)


def test_units_held_is_the_busiest_day_not_the_sum():
    claims = [claim(11, 12, 5), claim(13, 14, 6), claim(12, 13, 2)]
    assert domain.units_held(claims, Period(TODAY, date.max)) == 8  # the 13th: 6 + 2
    assert domain.units_held([], Period(TODAY, date.max)) == 0


def test_a_kit_keeps_the_units_reserved_ahead_and_those_not_back_yet():
    domain.require_units_kept(quantity=8, held_ahead=8, out=3)
    for held, out in ((9, 0), (0, 9)):
        with pytest.raises(LoanRefused) as refused:
            domain.require_units_kept(quantity=8, held_ahead=held, out=out)
        assert refused.value.status == 409
        assert refused.value.reason.startswith("Er zijn 9 eenheden uitgeleend of gereserveerd")


def test_an_item_reserved_by_schools_stays_lendable_and_a_retired_one_unchanged():
    domain.require_lendable_kept(loanable=False, loans_ahead=0)
    domain.require_lendable_kept(loanable=True, loans_ahead=2)
    with pytest.raises(LoanRefused):
        domain.require_lendable_kept(loanable=False, loans_ahead=1)
    with pytest.raises(LoanRefused) as retired:
        domain.require_changeable_item("retired")
    assert "afgeschreven" in retired.value.reason


@pytest.mark.parametrize(
    "status,ends_on,shown",
    [
        ("reserved", date(2028, 1, 1), DeskStatus.RESERVED),
        ("checked_out", TODAY, DeskStatus.OUT),  # its last day: not late yet
        ("checked_out", date(2028, 1, 10), DeskStatus.OVERDUE),
        ("returned", date(2028, 1, 1), DeskStatus.RETURNED),
        ("released", date(2028, 1, 1), DeskStatus.RELEASED),
    ],
)
def test_the_desk_splits_loans_out_into_on_time_and_overdue(status, ends_on, shown):
    assert domain.desk_status(status, ends_on, TODAY) is shown
