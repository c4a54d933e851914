"""The one backoff policy: how long to wait after the n-th failure in a row.

Pure (no I/O, no clock), so a domain may use it to schedule a retry as data, and every loop
that waits out a failure (`shared/periodic.py`) waits by it.
"""

import math
from dataclasses import dataclass

# 2**64 times any first delay is past every cap: the exponent stops growing there.
_MAX_DOUBLINGS = 64


@dataclass(frozen=True)
class Backoff:
    """Exponential: `first` after the first failure, twice as long after each further one,
    never longer than `cap`."""

    first: float
    cap: float = math.inf

    def __post_init__(self) -> None:
        if self.first < 0 or self.cap < self.first:
            raise ValueError(f"a backoff needs 0 <= first <= cap, not {self}")

    @classmethod
    def constant(cls, seconds: float) -> "Backoff":
        """The same wait after every failure."""
        return cls(seconds, seconds)

    def delay(self, failures: int) -> float:
        """Seconds to wait after the `failures`-th failure in a row (1 for the first)."""
        if failures < 1:
            raise ValueError("a delay follows a failure: failures >= 1")
        return min(self.cap, self.first * 2 ** min(failures - 1, _MAX_DOUBLINGS))
