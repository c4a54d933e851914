"""The rules behind the backoffice's changes to sessions, free of I/O."""

from datetime import UTC, datetime, timedelta

import pytest

from services.bookings import domain
from services.bookings.domain import BookingRefused
from shared.contracts.common import Group

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)


def group(name: str) -> Group:
    return Group(name=name, level="vmbo-kb", year=3, students=10)


def test_each_school_is_told_once_with_each_of_its_groups_once():
    told = domain.schools_told(
        [
            ("corlaer", "series-1", group("3A")),
            ("nxt", "booking-2", group("2C")),
            ("corlaer", "series-1", group("3A")),  # the next lesson of the same series booking
            ("corlaer", "booking-3", group("3B")),
        ]
    )
    assert told == {"corlaer": [group("3A"), group("3B")], "nxt": [group("2C")]}


def test_a_session_that_has_begun_is_neither_moved_nor_cancelled():
    domain.check_not_begun(NOW + timedelta(minutes=1), NOW, "verplaatst")
    with pytest.raises(BookingRefused) as refused:
        domain.check_not_begun(NOW, NOW, "geannuleerd")
    assert refused.value.reason == "de sessie is al begonnen en kan niet meer worden geannuleerd"


def test_a_session_holding_equipment_is_not_moved():
    domain.check_movable_equipment(False)
    with pytest.raises(BookingRefused) as refused:
        domain.check_movable_equipment(True)
    assert refused.value.status == 409 and refused.value.extra["rule"] == "equipment_reserved"


@pytest.mark.parametrize(
    ("check", "rule"),
    [
        (domain.check_takes_place, "session_cancelled"),
        (domain.check_offer_open, "offering_withdrawn"),
    ],
)
def test_a_cancelled_session_or_withdrawn_offer_takes_no_booking(check, rule):
    check(False)
    with pytest.raises(BookingRefused) as refused:
        check(True)
    assert refused.value.extra["rule"] == rule


def test_a_moved_session_still_ends_after_it_begins():
    with pytest.raises(BookingRefused) as refused:
        domain.check_times(NOW, NOW)
    assert refused.value.status == 422 and refused.value.extra["field"] == "ends_at"
