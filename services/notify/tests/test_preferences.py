"""Preferences and timing rules, with properties over all moments (DST included)."""

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.notify.preferences import (
    FallBack,
    GiveUp,
    Plan,
    Preferences,
    QuietHours,
    Retry,
    after_failure,
    after_quiet_hours,
    next_digest,
    plan,
    validate,
)
from shared.domain import AMSTERDAM, Refused

moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
# Around the DST switches of 2027 (28 March, 31 October), at minute resolution.
dst_moments = st.sampled_from(
    [datetime(2027, 3, 28, tzinfo=UTC), datetime(2027, 10, 31, tzinfo=UTC)]
).flatmap(lambda day: st.integers(-6 * 60, 6 * 60).map(lambda m: day + timedelta(minutes=m)))
wall_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
quiet_hours = (
    st.tuples(wall_times, wall_times).filter(lambda t: t[0] != t[1]).map(lambda t: QuietHours(*t))
)

NIGHT = QuietHours(time(22, 0), time(7, 0))


@given(st.one_of(moments, dst_moments), quiet_hours)
def test_a_delayed_message_is_never_scheduled_inside_quiet_hours(moment, quiet):
    at = after_quiet_hours(moment, quiet)
    assert at >= moment
    assert not quiet.contain(at)
    if not quiet.contain(moment):
        assert at == moment


@given(st.one_of(moments, dst_moments), quiet_hours)
def test_the_wait_ends_when_quiet_hours_end_not_later(moment, quiet):
    at = after_quiet_hours(moment, quiet)
    # A day at most; two when the day's only free minutes fall in the hour the clocks skip.
    assert at - moment <= timedelta(hours=48)
    if at > moment:
        assert (
            quiet.contain(at - timedelta(minutes=1)) or at.astimezone(AMSTERDAM).time() == quiet.end
        )


@given(
    st.one_of(moments, dst_moments),
    quiet_hours,
    st.sampled_from(["bookings", "announcements", "reminders"]),
)
def test_a_critical_message_goes_now_whatever_the_preferences(now, quiet, category):
    prefs = Preferences(
        opted_out=frozenset({"announcements", "reminders"}), digest=True, quiet_hours=quiet
    )
    assert plan(prefs, category, critical=True, now=now) == Plan("email", now)


@given(st.one_of(moments, dst_moments), st.one_of(st.none(), quiet_hours))
def test_the_digest_goes_out_once_a_day_outside_quiet_hours(now, quiet):
    at = next_digest(now, quiet)
    assert now < at <= now + timedelta(days=2)
    assert quiet is None or not quiet.contain(at)


def test_quiet_hours_in_the_night_delay_a_message_to_seven_in_the_morning():
    late = datetime(2027, 1, 14, 22, 30, tzinfo=UTC)  # 23:30 in Amsterdam
    assert after_quiet_hours(late, NIGHT) == datetime(2027, 1, 15, 6, tzinfo=UTC)
    summer_morning = datetime(2027, 7, 1, 3, tzinfo=UTC)  # 05:00 CEST
    assert after_quiet_hours(summer_morning, NIGHT) == datetime(2027, 7, 1, 5, tzinfo=UTC)


def test_the_end_of_quiet_hours_on_the_night_the_clocks_go_back_is_the_later_one():
    # 31 October 2027, 02:00-02:30 exists twice; 02:10 CET (the second time) is 01:10 UTC.
    quiet = QuietHours(time(2, 0), time(2, 30))
    second_pass = datetime(2027, 10, 31, 1, 10, tzinfo=UTC)
    assert after_quiet_hours(second_pass, quiet) == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)


def test_a_free_window_inside_the_skipped_hour_does_not_exist_so_the_next_day_is_used():
    quiet = QuietHours(time(2, 15), time(2, 0))  # free only 02:00-02:15
    spring_night = datetime(2027, 3, 27, 23, tzinfo=UTC)  # 00:00 CET, clocks jump at 02:00
    assert after_quiet_hours(spring_night, quiet) == datetime(2027, 3, 29, 0, tzinfo=UTC)


def test_opted_out_non_critical_messages_are_not_planned_and_others_follow_the_channel():
    now = datetime(2027, 1, 14, 12, tzinfo=UTC)
    prefs = Preferences(channels={"bookings": "webhook"}, opted_out=frozenset({"announcements"}))
    assert plan(prefs, "announcements", critical=False, now=now) is None
    assert plan(prefs, "bookings", critical=False, now=now) == Plan("webhook", now)
    assert plan(prefs, "loans", critical=False, now=now) == Plan("email", now)


def test_essential_categories_cannot_be_opted_out_of_and_names_are_checked():
    with pytest.raises(Refused) as refused:
        validate(Preferences(opted_out=frozenset({"bookings"})))
    assert refused.value.status == 422
    with pytest.raises(Refused):
        validate(Preferences(channels={"bookings": "pigeon"}))
    with pytest.raises(Refused):
        validate(Preferences(quiet_hours=QuietHours(time(7), time(7))))
    validate(Preferences(opted_out=frozenset({"announcements", "reminders"})))


def test_failures_back_off_exponentially_then_fall_back_once_then_give_up():
    now = datetime(2027, 1, 14, 12, tzinfo=UTC)
    assert after_failure("email", 1, 3, 10, now, False) == Retry(now + timedelta(seconds=10))
    assert after_failure("email", 2, 3, 10, now, False) == Retry(now + timedelta(seconds=20))
    assert after_failure("email", 3, 3, 10, now, False) == FallBack("in_app")
    assert after_failure("webhook", 3, 3, 10, now, False) == FallBack("email")
    assert after_failure("email", 3, 3, 10, now, True) == GiveUp()
