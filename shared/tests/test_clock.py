"""The one clock: the machine's in UTC, one set ahead for a demo, a manual one for tests,
and the runtime handing the service the one it was given."""

from datetime import UTC, datetime, timedelta

from shared.clock import SYSTEM_CLOCK, ClockFrom
from shared.service import LeanRuntime
from shared.settings import ServiceSettings
from shared.tests.clock import ManualClock

LATER = datetime(2031, 6, 2, 9, 30, tzinfo=UTC)


def test_the_system_clock_tells_the_moment_in_utc() -> None:
    before = datetime.now(UTC)
    now = SYSTEM_CLOCK.now()
    assert now.utcoffset() == timedelta(0) and before <= now <= datetime.now(UTC)
    assert SYSTEM_CLOCK.monotonic() <= SYSTEM_CLOCK.monotonic()


def test_a_clock_set_ahead_starts_at_its_moment_and_runs_on() -> None:
    clock = ClockFrom(LATER)
    first, second = clock.now(), clock.now()
    assert LATER <= first <= second < LATER + timedelta(minutes=1)
    assert first.utcoffset() == timedelta(0)


def test_the_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(LATER)
    assert clock.now() == clock.now() == LATER
    clock.advance(minutes=90)
    assert clock.now() == LATER + timedelta(minutes=90) and clock.monotonic() == 5400.0
    clock.set(LATER)
    assert clock.now() == LATER


class PinnedSettings(ServiceSettings):
    def clock(self):
        return ClockFrom(LATER)


def test_a_runtime_runs_by_the_clock_its_settings_give_unless_handed_one() -> None:
    settings = PinnedSettings(service="test", database_url="sqlite+aiosqlite://")
    assert (
        LeanRuntime(ServiceSettings(service="test", database_url="sqlite+aiosqlite://")).clock
        is SYSTEM_CLOCK
    )
    assert LeanRuntime(settings).clock.now() >= LATER
    manual = ManualClock()
    assert LeanRuntime(settings, clock=manual).clock is manual
