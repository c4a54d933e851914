from datetime import UTC, datetime, timedelta
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.events import domain
from services.events.domain import (
    OFFER_TIME,
    AttendeeStatus,
    RegistrationRefused,
    RegistrationStatus,
    SessionFacts,
)
from shared import seed
from shared.contracts.common import Group
from shared.contracts.requests.events import Profile

NOW = datetime(2027, 1, 10, 9, tzinfo=UTC)
S = RegistrationStatus


def session(capacity=30, opens=-1, closes=1, audience=("vmbo-kb",)) -> SessionFacts:
    return SessionFacts(
        capacity, audience, NOW + timedelta(days=opens), NOW + timedelta(days=closes)
    )


def group(students: int, level="vmbo-kb") -> Group:
    return Group(name="3B", level=level, year=3, students=students)


@given(capacity=st.integers(1, 200), students=st.integers(1, 200))
def test_a_group_is_refused_only_when_larger_than_the_session(capacity, students):
    """A full session is no refusal: the store waitlists the group."""
    try:
        domain.check_registrable(session(capacity), group(students), NOW)
        accepted = True
    except RegistrationRefused as refused:
        assert refused.status == 422
        accepted = False
    assert accepted == (students <= capacity)


@pytest.mark.parametrize("opens, closes", [(1, 2), (-2, -1), (-1, 0)])
def test_registration_only_inside_the_window(opens, closes):
    with pytest.raises(RegistrationRefused, match="niet open"):
        domain.check_registrable(session(opens=opens, closes=closes), group(10), NOW)


def test_a_session_takes_only_the_levels_it_is_meant_for():
    with pytest.raises(RegistrationRefused, match="niet bedoeld voor niveau havo") as refused:
        domain.check_registrable(session(), group(10, level="havo"), NOW)
    assert refused.value.status == 422
    assert refused.value.extra == {"rule": "audience", "level": "havo", "audience": ["vmbo-kb"]}


waitlists = st.lists(st.integers(1, 40), max_size=30).map(lambda sizes: list(enumerate(sizes)))


@given(free=st.integers(0, 100), waiting=waitlists)
def test_offers_never_hold_more_than_the_free_seats(free, waiting):
    sizes = dict(waiting)
    assert sum(sizes[i] for i in domain.offers(free, waiting)) <= free


@given(free=st.integers(0, 100), waiting=waitlists)
def test_offers_keep_list_order_and_never_pass_over_a_group_that_fits(free, waiting):
    offered = domain.offers(free, waiting)
    assert offered == [i for i, _ in waiting if i in set(offered)]
    left = free
    for registration_id, students in waiting:
        assert (registration_id in offered) == (students <= left)
        if registration_id in offered:
            left -= students


@given(free=st.integers(0, 100), waiting=waitlists, leaving=st.integers(1, 40))
def test_seats_held_after_a_release_never_exceed_capacity(free, waiting, leaving):
    """A cancellation gives back `leaving` seats of a session with `free` left; whatever is
    offered then fits the capacity, however long the list."""
    capacity = free + leaving + 10
    taken = capacity - free - leaving
    sizes = dict(waiting)
    held = taken + sum(sizes[i] for i in domain.offers(capacity - taken, waiting))
    assert held <= capacity


def test_the_first_waiting_group_that_fits_is_offered_first():
    waiting = [("a", 12), ("b", 5), ("c", 4), ("d", 1)]
    assert domain.offers(10, waiting) == ["b", "c", "d"]
    assert domain.offers(12, waiting) == ["a"]
    assert domain.offers(0, waiting) == []


def test_an_offer_lasts_48_hours_but_never_past_the_event_start():
    assert domain.offer_deadline(NOW, NOW + timedelta(days=10)) == NOW + OFFER_TIME
    assert domain.offer_deadline(NOW, NOW + timedelta(hours=3)) == NOW + timedelta(hours=3)


def test_an_offer_is_accepted_before_its_deadline_only():
    deadline = NOW + timedelta(hours=1)
    assert domain.accept(S.OFFERED, deadline, NOW) is S.CONFIRMED
    with pytest.raises(RegistrationRefused, match="verlopen"):
        domain.accept(S.OFFERED, deadline, deadline)
    with pytest.raises(RegistrationRefused, match="geen aanbod"):
        domain.accept(S.WAITLISTED, None, NOW)


def test_only_offers_past_their_deadline_lapse():
    deadline = NOW + timedelta(hours=1)
    assert domain.has_lapsed(S.OFFERED, deadline, deadline)
    assert not domain.has_lapsed(S.OFFERED, deadline, NOW)
    assert not domain.has_lapsed(S.CONFIRMED, None, deadline)


def test_cancelling_frees_held_seats_and_is_refused_once_done_or_checked_in():
    for status in (S.CONFIRMED, S.OFFERED, S.WAITLISTED):
        assert domain.cancel(status, checked_in=False) is S.CANCELLED
    for status in (S.CANCELLED, S.LAPSED):
        with pytest.raises(RegistrationRefused):
            domain.cancel(status, checked_in=False)
    with pytest.raises(RegistrationRefused, match="ingecheckt"):
        domain.cancel(S.CONFIRMED, checked_in=True)
    assert domain.HOLDS_SEATS == {S.CONFIRMED, S.OFFERED}


def test_attendance_is_recorded_once_for_a_confirmed_group_and_not_above_its_size():
    domain.check_attendance(S.CONFIRMED, False, 20, 18)
    with pytest.raises(RegistrationRefused) as twice:
        domain.check_attendance(S.CONFIRMED, True, 20, 18)
    assert twice.value.status == 409
    with pytest.raises(RegistrationRefused) as too_many:
        domain.check_attendance(S.CONFIRMED, False, 20, 21)
    assert too_many.value.status == 422
    with pytest.raises(RegistrationRefused):
        domain.check_attendance(S.WAITLISTED, False, 20, 18)


def test_check_in_codes_carry_at_least_128_random_bits_and_differ():
    codes = {domain.new_check_in_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(code) * 6 >= 128 for code in codes)  # URL-safe base64: 6 bits a character


def test_persons_register_for_events_for_adults_only_and_until_the_start():
    domain.check_attendable(["partners"], NOW + timedelta(hours=1), NOW)
    with pytest.raises(RegistrationRefused, match="groepen"):
        domain.check_attendable(["vmbo-kb"], NOW + timedelta(hours=1), NOW)
    with pytest.raises(RegistrationRefused, match="gesloten"):
        domain.check_attendable(["partners"], NOW, NOW)


def test_a_cancelled_attendee_registers_again_a_registered_one_not():
    assert domain.register_again(AttendeeStatus.CANCELLED) is AttendeeStatus.REGISTERED
    with pytest.raises(RegistrationRefused, match=" al "):
        domain.register_again(AttendeeStatus.REGISTERED)


def test_an_attendee_cancels_once_and_before_the_start():
    later = NOW + timedelta(hours=1)
    assert domain.cancel_attendance(AttendeeStatus.REGISTERED, later, NOW) is (
        AttendeeStatus.CANCELLED
    )
    with pytest.raises(RegistrationRefused):
        domain.cancel_attendance(AttendeeStatus.CANCELLED, later, NOW)
    with pytest.raises(RegistrationRefused, match="begonnen"):
        domain.cancel_attendance(AttendeeStatus.REGISTERED, NOW, NOW)


def test_only_the_person_who_registered_or_the_backoffice_manage_a_registration():
    assert domain.may_manage_attendee("company", "anna", "anna")
    assert domain.may_manage_attendee("backoffice", "host", "anna")
    assert not domain.may_manage_attendee("company", "kees", "anna")


def test_a_registration_takes_the_profiles_the_seed_names():
    assert set(get_args(Profile)) == set(seed.PROFILES)


def test_hosted_minutes_are_the_hosts_or_the_events_length_and_only_once_begun():
    starts, ends = NOW, NOW + timedelta(hours=6)
    assert domain.hosted_minutes(starts, ends, NOW, 90) == 90
    assert domain.hosted_minutes(starts, ends, NOW, None) == 360
    with pytest.raises(RegistrationRefused, match="begonnen"):
        domain.hosted_minutes(starts, ends, NOW - timedelta(seconds=1), 90)
    with pytest.raises(RegistrationRefused, match="lengte"):
        domain.hosted_minutes(starts, starts + timedelta(days=2), NOW, None)
