"""The one way code reads the time: a `Clock`, handed to a service through its runtime.

Domain rules take the moment as an argument; the code around them asks the runtime's clock,
so a test that pins time gives the runtime a clock of its own (`shared/tests/clock.py`).
"""

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The moment, aware and in UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start that never go back: for measuring durations."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


SYSTEM_CLOCK: Clock = SystemClock()


class ClockFrom:
    """The machine's clock moved to `moment` and running on from there: a demo or an
    end-to-end test plays a later time (a lesson begun, a loan overdue) without waiting."""

    def __init__(self, moment: datetime) -> None:
        self._offset = moment - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def monotonic(self) -> float:
        return time.monotonic()
