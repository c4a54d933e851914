"""Token buckets per caller: `rate` requests a second on average, bursts up to `burst`."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class TokenBuckets:
    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _next_sweep: float = 0.0

    def take(self, key: str) -> float:
        """0 when `key` may go ahead (and one token is taken), else seconds until it may."""
        now = self.clock()
        self._sweep(now)
        bucket = self._buckets.setdefault(key, _Bucket(self.burst, now))
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate

    def _sweep(self, now: float) -> None:
        """Forgets buckets that have filled up again: they behave like new ones."""
        if now < self._next_sweep:
            return
        refill = self.burst / self.rate
        self._next_sweep = now + max(refill, 60)
        for key in [k for k, b in self._buckets.items() if now - b.updated >= refill]:
            del self._buckets[key]


def retry_after(seconds: float) -> str:
    """Retry-After takes whole seconds (RFC 9110, 10.2.3); round up, never 0."""
    return str(max(1, math.ceil(seconds)))
