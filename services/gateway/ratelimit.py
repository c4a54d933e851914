"""Token buckets per caller, in the gateway's store so that every replica draws on the same
bucket: `rate` requests a second on average, bursts up to `burst`.

A bucket is kept as GCRA's "theoretical arrival time" (tat): each request moves it on by
1/rate, and a request is refused when that would put it more than burst/rate ahead of now.
That is a token bucket of `burst` tokens, taken in one conditional upsert per bucket.
"""

import math
from dataclasses import dataclass

from sqlalchemy import and_, case, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.gateway.store import RATE_BUCKETS
from shared.clock import SYSTEM_CLOCK, Clock
from shared.http import Problem
from shared.store.db import Database, insert_for, rows_changed

# Epoch seconds in a double are exact to about 2.4e-7 s: a request exactly at the edge of
# its burst must not be refused by the rounding of `tat - now`.
ROUNDING = 1e-6


@dataclass(frozen=True)
class Limit:
    name: str
    rate: float
    burst: float

    @property
    def interval(self) -> float:
        return 1 / self.rate


@dataclass
class RateLimits:
    db: Database
    clock: Clock = SYSTEM_CLOCK

    async def take(self, *wanted: tuple[Limit, str]) -> float:
        """Takes one token from each (limit, key) in turn, in one unit of work, stopping at
        the first that must wait: 0 when all went ahead, else seconds until it may."""
        async with self.db.writing() as tx:
            for limit, key in wanted:
                wait = await self._take(tx, limit, key)
                if wait:
                    return wait
        return 0.0

    async def _take(self, tx: AsyncSession, limit: Limit, key: str) -> float:
        if await self._took(tx, limit, key, self.clock.now().timestamp()):
            return 0.0
        # The upsert may have waited for the bucket's row lock while other requests moved
        # it on from their later clocks: judged by the time read before that wait, a request
        # within its limit looks early. Refused, the row stays locked: ask again at its time.
        now = self.clock.now().timestamp()
        if await self._took(tx, limit, key, now):
            return 0.0
        tat = await tx.scalar(select(RATE_BUCKETS.c.tat).where(_is(limit, key)))
        assert tat is not None, "the bucket the insert found stays until the commit"
        return self._wait(limit, tat, now)

    @staticmethod
    async def _took(tx: AsyncSession, limit: Limit, key: str, now: float) -> bool:
        """One token from the bucket in one conditional upsert, if it has one at `now`."""
        t = RATE_BUCKETS
        moved = case((t.c.tat > now, t.c.tat), else_=now) + limit.interval
        insert = insert_for(tx)(t).values(limit_name=limit.name, key=key, tat=now + limit.interval)
        taken = await tx.execute(
            insert.on_conflict_do_update(
                index_elements=[t.c.limit_name, t.c.key],
                set_={"tat": moved},
                where=moved - now <= limit.burst * limit.interval + ROUNDING,
            ).returning(t.c.tat)
        )
        return taken.first() is not None

    async def waiting(self, limit: Limit, key: str) -> float:
        """Seconds until `key` may go ahead (0: now), taking nothing."""
        async with self.db.sessions() as tx:
            tat = await tx.scalar(select(RATE_BUCKETS.c.tat).where(_is(limit, key)))
        return 0.0 if tat is None else self._wait(limit, tat, self.clock.now().timestamp())

    @staticmethod
    def _wait(limit: Limit, tat: float, now: float) -> float:
        ahead = max(tat, now) + limit.interval - now - limit.burst * limit.interval
        return ahead if ahead > ROUNDING else 0.0

    async def forget_full(self) -> int:
        """Deletes the buckets that have filled up again: they behave like new ones."""
        async with self.db.writing() as tx:
            return await rows_changed(
                tx,
                delete(RATE_BUCKETS).where(RATE_BUCKETS.c.tat <= self.clock.now().timestamp()),
            )


def _is(limit: Limit, key: str):
    return and_(RATE_BUCKETS.c.limit_name == limit.name, RATE_BUCKETS.c.key == key)


@dataclass
class LoginThrottle:
    """Password guessing costs the guesser, not everyone: a user name that failed `burst`
    times waits for its bucket to refill, and an address gets only so many attempts, before
    the directory spends any argon2 work on them."""

    limits: RateLimits
    failures_per_username: Limit
    attempts_per_address: Limit

    async def admit(self, username: str, address: str) -> None:
        wait = await self.limits.waiting(self.failures_per_username, username.casefold())
        if not wait:
            wait = await self.limits.take((self.attempts_per_address, address))
        if wait:
            raise Problem(
                429,
                "Too many requests",
                "te veel aanmeldpogingen; probeer het na de pauze opnieuw",
                retry_after=int(retry_after(wait)),
            )

    async def failed(self, username: str) -> None:
        await self.limits.take((self.failures_per_username, username.casefold()))


def retry_after(seconds: float) -> str:
    """Retry-After takes whole seconds (RFC 9110, 10.2.3); round up, never 0."""
    return str(max(1, math.ceil(seconds)))
