"""A circuit breaker per upstream service.

After `failures` consecutive failures (unreachable, timed out) the breaker opens: calls to
that service are refused at once for `open_seconds`, so clients get a quick 503 instead of
waiting for a timeout each, and the service gets room to come back. Then one call goes
through as a probe (half-open): its success closes the breaker, its failure opens it again.
"""

from dataclasses import dataclass

from shared.clock import SYSTEM_CLOCK, Clock


@dataclass
class Breaker:
    failures: int
    open_seconds: float
    clock: Clock = SYSTEM_CLOCK
    _consecutive: int = 0
    _opened_at: float | None = None
    _probing: bool = False

    def wait(self) -> float:
        """0 if a call may go now (perhaps as the probe), else seconds until the next probe."""
        if self._opened_at is None:
            return 0.0
        remaining = self._opened_at + self.open_seconds - self.clock.monotonic()
        if remaining > 0:
            return remaining
        if self._probing:  # one probe at a time; the others wait for its outcome
            return self.open_seconds
        self._probing = True
        return 0.0

    def succeeded(self) -> None:
        self._consecutive, self._opened_at, self._probing = 0, None, False

    def failed(self) -> None:
        self._consecutive += 1
        if self._probing or self._consecutive >= self.failures:
            self._opened_at, self._probing = self.clock.monotonic(), False

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None
