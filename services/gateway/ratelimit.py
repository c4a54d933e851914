"""Token buckets per caller: `rate` requests a second on average, bursts up to `burst`."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from shared.http import Problem


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

    def waiting(self, key: str) -> float:
        """Seconds until `key` may go ahead (0: now), taking nothing."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return 0.0
        tokens = min(self.burst, bucket.tokens + (self.clock() - bucket.updated) * self.rate)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def _sweep(self, now: float) -> None:
        """Forgets buckets that have filled up again: they behave like new ones."""
        if now < self._next_sweep:
            return
        refill = self.burst / self.rate
        self._next_sweep = now + max(refill, 60)
        for key in [k for k, b in self._buckets.items() if now - b.updated >= refill]:
            del self._buckets[key]


@dataclass
class LoginThrottle:
    """Password guessing costs the guesser, not everyone: a user name that failed `burst`
    times waits for its bucket to refill, and an address gets only so many attempts, before
    the directory spends any argon2 work on them."""

    failures_per_username: TokenBuckets
    attempts_per_address: TokenBuckets

    def admit(self, username: str, address: str) -> None:
        wait = self.failures_per_username.waiting(username.casefold())
        if not wait:
            wait = self.attempts_per_address.take(address)
        if wait:
            raise Problem(429, "Too many requests",
                          "te veel aanmeldpogingen; probeer het na de pauze opnieuw",
                          retry_after=int(retry_after(wait)))

    def failed(self, username: str) -> None:
        self.failures_per_username.take(username.casefold())


def retry_after(seconds: float) -> str:
    """Retry-After takes whole seconds (RFC 9110, 10.2.3); round up, never 0."""
    return str(max(1, math.ceil(seconds)))
