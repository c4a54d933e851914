"""Idempotency keys with Stripe's semantics, per caller.

The first request with a key runs; its answer is kept (24 h by default) and a retry with
the same key and the same request gets that answer again without running anything. A
retry while the first still runs gets 409; the same key with another request gets 422.

`MemoryIdempotencyStore` keeps the keys in this process: enough for one gateway replica.
Several replicas need a shared store behind the same `IdempotencyStore` interface.
"""

import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

# The client's key while its request runs: the gateway passes it on to the service, which
# records it with the effect, so a retry after an answer lost on the way acts only once.
forwarded_key: ContextVar[str | None] = ContextVar("forwarded_key", default=None)


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class Outcome(Enum):
    NEW = "new"            # run it; then `finish` or `abandon`
    REPLAY = "replay"      # answer with the stored answer
    RUNNING = "running"    # the first request with this key has not finished: 409
    MISMATCH = "mismatch"  # the key was used for another request: 422


@dataclass(frozen=True)
class Begun:
    outcome: Outcome
    answer: StoredAnswer | None = None


class IdempotencyStore(Protocol):
    async def begin(self, key: str, fingerprint: str) -> Begun: ...

    async def finish(self, key: str, answer: StoredAnswer) -> None: ...

    async def abandon(self, key: str) -> None: ...


@dataclass
class _Entry:
    fingerprint: str
    expires_at: float
    answer: StoredAnswer | None = None


@dataclass
class MemoryIdempotencyStore:
    """In-process store. `begin` checks and claims in one step: the event loop runs it
    without switching tasks, so two concurrent requests can never both get NEW."""

    ttl_seconds: float = 24 * 3600
    clock: Callable[[], float] = time.monotonic
    _entries: dict[str, _Entry] = field(default_factory=dict)
    _next_sweep: float = 0.0

    async def begin(self, key: str, fingerprint: str) -> Begun:
        now = self.clock()
        self._sweep(now)
        entry = self._entries.get(key)
        if entry is None or entry.expires_at <= now:
            self._entries[key] = _Entry(fingerprint, now + self.ttl_seconds)
            return Begun(Outcome.NEW)
        if entry.fingerprint != fingerprint:
            return Begun(Outcome.MISMATCH)
        if entry.answer is None:
            return Begun(Outcome.RUNNING)
        return Begun(Outcome.REPLAY, entry.answer)

    async def finish(self, key: str, answer: StoredAnswer) -> None:
        if key in self._entries:
            self._entries[key].answer = answer

    async def abandon(self, key: str) -> None:
        self._entries.pop(key, None)

    def _sweep(self, now: float) -> None:
        """Drops expired keys, at most once a minute, so memory follows the live keys."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + 60
        for key in [k for k, e in self._entries.items() if e.expires_at <= now]:
            del self._entries[key]
