from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.bookings import domain
from services.bookings.domain import BookingRefused, BookingStatus, SessionFacts
from shared.contracts.common import Group

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def session(capacity=30, taken=0, days=7) -> SessionFacts:
    starts = NOW + timedelta(days=days)
    return SessionFacts(starts, starts + timedelta(hours=2), capacity, taken)


def group(students: int) -> Group:
    return Group(name="3B", level="vmbo-kb", year=3, students=students)


@given(capacity=st.integers(1, 200), taken=st.integers(0, 200), students=st.integers(1, 200))
def test_a_group_is_accepted_exactly_when_it_fits(capacity, taken, students):
    taken = min(taken, capacity)
    fits = students <= capacity - taken
    try:
        domain.check_bookable(session(capacity, taken), group(students), NOW)
        accepted = True
    except BookingRefused:
        accepted = False
    assert accepted == fits


def test_booking_needs_a_day_of_lead_time():
    with pytest.raises(BookingRefused, match="one day ahead"):
        domain.check_bookable(session(days=0), group(10), NOW)


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
