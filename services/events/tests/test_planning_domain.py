"""Rules for planning events and their sessions (services/events/domain.py), without I/O."""

from datetime import UTC, datetime, timedelta

import pytest

from services.events import domain
from services.events.domain import EventPlan, PlanningRefused, SessionPlan

START = datetime(2028, 4, 13, 7, tzinfo=UTC)  # 09:00 in Amersfoort
END = START + timedelta(hours=6)
EVENT = EventPlan(START, END, ("po", "vmbo-kb"), 120)


def plan(
    capacity=40, audience=("vmbo-kb",), closes=START - timedelta(days=7), starts=None, ends=None
) -> SessionPlan:
    return SessionPlan(capacity, audience, START - timedelta(days=120), closes, starts, ends)


def refusal(call, *args, **kwargs) -> PlanningRefused:
    with pytest.raises(PlanningRefused) as refused:
        call(*args, **kwargs)
    return refused.value


def test_a_session_within_its_event_for_part_of_its_audience_is_accepted():
    domain.check_session(plan(starts=START + timedelta(hours=1), ends=END), EVENT)
    domain.check_session(plan(), EVENT)  # without times of its own: the event's


@pytest.mark.parametrize(
    "starts,ends",
    [
        (START - timedelta(minutes=1), START + timedelta(hours=1)),  # begins before the event
        (START + timedelta(hours=5), END + timedelta(minutes=1)),  # ends after it
        (START + timedelta(hours=2), START + timedelta(hours=1)),  # ends before it begins
    ],
)
def test_a_session_outside_its_event_is_refused_in_dutch(starts, ends):
    refused = refusal(domain.check_session, plan(starts=starts, ends=ends), EVENT)
    assert refused.status == 422
    assert "De sessie" in refused.reason or "Een sessie" in refused.reason


def test_registration_closes_before_the_session_starts():
    late = refusal(domain.check_session, plan(closes=START + timedelta(minutes=5)), EVENT)
    assert (late.status, late.reason.startswith("De aanmelding")) == (422, True)


def test_a_session_is_for_levels_of_its_event_and_no_larger_than_it():
    other = refusal(domain.check_session, plan(audience=("havo",)), EVENT)
    larger = refusal(domain.check_session, plan(capacity=121), EVENT)
    assert other.reason == "Het evenement is niet bedoeld voor havo."
    assert larger.status == 422 and "groter" in larger.reason


def test_capacity_never_below_the_places_already_taken():
    domain.check_session(plan(capacity=30), EVENT, seats_taken=30)
    below = refusal(domain.check_session, plan(capacity=29), EVENT, seats_taken=30)
    assert below.status == 409
    assert below.reason == (
        "De capaciteit (29) kan niet lager zijn dan de plaatsen die al bezet zijn (30)."
    )


def test_a_level_with_groups_registered_stays_in_the_audience():
    refused = refusal(
        domain.check_session,
        plan(audience=("vmbo-kb",)),
        EVENT,
        levels_registered={"po", "vmbo-kb"},
    )
    assert refused.status == 409 and "po" in refused.reason


def test_an_event_for_partners_has_no_sessions_for_groups():
    meeting = EventPlan(START, END, ("partners",), 150)
    assert refusal(domain.check_session, plan(audience=()), meeting).status == 422


def test_an_event_ends_after_it_starts_and_keeps_room_for_the_persons_registered():
    assert refusal(domain.check_event, EventPlan(END, START, ("po",), 10)).status == 422
    fewer = refusal(domain.check_event, EventPlan(START, END, ("partners",), 9), 10)
    assert fewer.status == 409
    domain.check_event(EventPlan(START, END, ("partners",), 10), 10)


def test_an_event_id_is_its_title_and_local_day():
    late_evening = datetime(2028, 4, 12, 22, 30, tzinfo=UTC)  # already the 13th locally
    assert domain.event_id_for("Girls Day!", START) == "girls-day-2028-04-13"
    assert domain.event_id_for("Week van de Techniek", late_evening) == (
        "week-van-de-techniek-2028-04-13"
    )
    assert domain.event_id_for("???", START) == "evenement-2028-04-13"


def test_waitlist_positions_count_only_the_waiting_groups_in_order():
    groups = [("a", "confirmed"), ("b", "waitlisted"), ("c", "cancelled"), ("d", "waitlisted")]
    assert domain.waitlist_positions(groups) == {"b": 1, "d": 2}
