"""A clock for tests: time stands still until the test moves it."""

import asyncio
from datetime import UTC, datetime, timedelta

# A Monday morning in term time, in UTC.
MONDAY_MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class ManualClock:
    """A `shared.clock.Clock` that moves only by `advance` (or `set`); its `sleep` records
    each wait, moves the clock by it and returns at once, and after `sleeps_allowed` waits
    blocks until cancelled, so a loop under test stops where the test looks."""

    def __init__(self, now: datetime = MONDAY_MORNING, sleeps_allowed: int | None = None):
        self._now, self._monotonic = now, 0.0
        self.slept: list[float] = []
        self.sleeps_allowed = sleeps_allowed
        self.parked = False  # a sleep past the allowed ones is waiting

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        step = timedelta(seconds=seconds, **delta)
        self._now += step
        self._monotonic += step.total_seconds()

    def set(self, now: datetime) -> None:
        self.advance((now - self._now).total_seconds())

    async def sleep(self, seconds: float) -> None:
        if self.sleeps_allowed is not None and len(self.slept) >= self.sleeps_allowed:
            self.parked = True
            await asyncio.Event().wait()  # until cancelled
        self.slept.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)
