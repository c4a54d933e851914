"""Token buckets per caller, in the gateway's store so that every replica draws on the same
bucket: `rate` requests a second on average, bursts up to `burst`.

A bucket is kept as GCRA's "theoretical arrival time" (tat): each token moves it on by
1/rate, and a take is refused when that would put it more than burst/rate ahead of now.
That is a token bucket of `burst` tokens, taken in one conditional upsert per bucket.

A replica may take a lease: several tokens in that one upsert, which it spends on the
following requests of the same key without asking the store, until they are spent or
`lease_seconds` have passed. The store sees one write per lease instead of one per request
and stays the truth: every request that goes ahead spent a token taken from it. A lease is
as many tokens as the key spent at this replica in the last `lease_seconds` (a new key
takes one), at most `rate x lease_seconds` and a quarter of the burst, so a slow caller's
leases are not left unspent to drain its bucket; and it is taken only while the bucket
keeps half its burst after it: below that every request takes its own token as without
leases, so no replica's lease leaves a caller near its limit short at another.
"""

import asyncio
import math
from dataclasses import dataclass, field

from sqlalchemy import and_, case, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.gateway.store import RATE_BUCKETS
from shared.clock import SYSTEM_CLOCK, Clock
from shared.http import Problem
from shared.store.db import Database, insert_for, rows_changed

# Epoch seconds in a double are exact to about 2.4e-7 s, and a busy bucket's tat adds up
# that error with every take: a request exactly at the edge of its burst must not be
# refused by the rounding of `tat - now` (100 µs early is no harm).
ROUNDING = 1e-4
MAX_LEASE = 64
# Leases a replica remembers at most; past that the expired ones go, then the oldest (a
# forgotten lease only wastes its tokens).
MAX_LEASED_KEYS = 10_000

Bucket = tuple[str, str]  # (limit name, key)


@dataclass(frozen=True)
class Limit:
    name: str
    rate: float
    burst: float

    @property
    def interval(self) -> float:
        return 1 / self.rate

    def lease(self, seconds: float) -> int:
        """Tokens in a lease that lives `seconds`: no more than the bucket refills in that
        time, nor a quarter of its burst."""
        return max(1, min(MAX_LEASE, math.floor(self.rate * seconds), math.floor(self.burst / 4)))


@dataclass
class Lease:
    size: int
    since: float  # epoch seconds
    until: float
    tokens: int  # left to spend

    def size_after(self, now: float, seconds: float, most: int) -> int:
        """The next lease's size: what this one's key spent at this replica in `seconds`,
        so that a slow caller's leases are not left unspent (a new key takes one token)."""
        spent, lasted = self.size - self.tokens, now - self.since
        return most if lasted <= 0 else max(1, min(most, math.ceil(spent * seconds / lasted)))


@dataclass
class RateLimits:
    db: Database
    clock: Clock = SYSTEM_CLOCK
    lease_seconds: float = 0.0  # 0: no leases, every request asks the store
    _leases: dict[Bucket, Lease] = field(default_factory=dict, init=False)
    # Buckets this replica is asking the store for: others of the key wait for that lease.
    _asking: dict[Bucket, asyncio.Event] = field(default_factory=dict, init=False)

    async def take(self, *wanted: tuple[Limit, str]) -> float:
        """Takes one token from each (limit, key) in turn, in one unit of work, stopping at
        the first that must wait: 0 when all went ahead, else seconds until it may."""
        asked: list[Bucket] = []
        try:
            granted: list[tuple[Bucket, int, float]] = []
            wait = await self._take_each(wanted, asked, granted)
            for bucket, tokens, now in granted:  # committed: now the tokens may be spent
                self._keep(bucket, Lease(tokens, now, now + self.lease_seconds, tokens - 1))
            return wait
        finally:
            for bucket in asked:
                self._asking.pop(bucket).set()

    async def _take_each(
        self,
        wanted: tuple[tuple[Limit, str], ...],
        asked: list[Bucket],
        granted: list[tuple[Bucket, int, float]],
    ) -> float:
        # Leases first, waiting for those being asked for before any transaction begins: a
        # transaction held while waiting could hold the lock (SQLite's one write lock) that
        # the asking request needs.
        spent = [await self._leased(limit, key, asked) for limit, key in wanted]
        if all(spent):
            return 0.0
        async with self.db.writing() as tx:
            for i, (limit, key) in enumerate(wanted):
                if spent[i]:
                    continue
                tokens, now = await self._take(tx, limit, key)
                if not tokens:
                    for later in spent[i + 1 :]:  # a refused request spends nothing after
                        if later:
                            later.tokens += 1
                    return self._wait(limit, now, await self._tat(tx, limit, key))
                if limit.lease(self.lease_seconds) > 1:
                    granted.append(((limit.name, key), tokens, now))
        return 0.0

    async def _leased(self, limit: Limit, key: str, asked: list[Bucket]) -> Lease | None:
        """Spends a token of this replica's lease of the bucket if it holds one (waiting for
        a lease being asked for): that lease; None: this request asks the store."""
        bucket = (limit.name, key)
        while True:
            lease = self._leases.get(bucket)
            if lease and lease.tokens > 0 and self.clock.now().timestamp() < lease.until:
                lease.tokens -= 1
                return lease
            if limit.lease(self.lease_seconds) == 1:
                return None
            asking = self._asking.get(bucket)
            if asking is None:
                self._asking[bucket] = asyncio.Event()
                asked.append(bucket)
                return None
            await asking.wait()

    def _keep(self, bucket: Bucket, lease: Lease) -> None:
        self._leases.pop(bucket, None)
        self._leases[bucket] = lease
        if len(self._leases) > MAX_LEASED_KEYS:
            now = self.clock.now().timestamp()
            for old in [b for b, held in self._leases.items() if held.until <= now]:
                del self._leases[old]
            while len(self._leases) > MAX_LEASED_KEYS:
                del self._leases[next(iter(self._leases))]

    async def _take(self, tx: AsyncSession, limit: Limit, key: str) -> tuple[int, float]:
        """Tokens taken (0: refused) and the time they were judged by."""
        now = self.clock.now().timestamp()
        size, last = limit.lease(self.lease_seconds), self._leases.get((limit.name, key))
        size = 1 if last is None else last.size_after(now, self.lease_seconds, size)
        if tokens := await self._took(tx, limit, key, now, size):
            return tokens, now
        # The upsert may have waited for the bucket's row lock while other requests moved
        # it on from their later clocks: judged by the time read before that wait, a request
        # within its limit looks early. Refused, the row stays locked: ask again at its time.
        now = self.clock.now().timestamp()
        return await self._took(tx, limit, key, now, size), now

    @staticmethod
    async def _took(tx: AsyncSession, limit: Limit, key: str, now: float, size: int) -> int:
        """Takes a lease of `size` tokens while the bucket keeps half its burst after it,
        else one token if it has one, in one conditional upsert: how many (0: none)."""
        t, interval = RATE_BUCKETS, limit.interval
        start = case((t.c.tat > now, t.c.tat), else_=now)
        leasing = start + size * interval - now <= limit.burst / 2 * interval + ROUNDING
        # A new bucket is full: a lease (at most a quarter of the burst) leaves it half.
        insert = insert_for(tx)(t).values(
            limit_name=limit.name, key=key, tat=now + size * interval, granted=size
        )
        taken = await tx.execute(
            insert.on_conflict_do_update(
                index_elements=[t.c.limit_name, t.c.key],
                set_={
                    "tat": start + case((leasing, size), else_=1) * interval,
                    "granted": case((leasing, size), else_=1),
                },
                where=start + interval - now <= limit.burst * interval + ROUNDING,
            ).returning(t.c.granted)
        )
        return taken.scalar() or 0

    async def waiting(self, limit: Limit, key: str) -> float:
        """Seconds until `key` may go ahead (0: now), taking nothing."""
        async with self.db.sessions() as tx:
            tat = await self._tat(tx, limit, key)
        return 0.0 if tat is None else self._wait(limit, self.clock.now().timestamp(), tat)

    @staticmethod
    async def _tat(tx: AsyncSession, limit: Limit, key: str) -> float | None:
        return await tx.scalar(select(RATE_BUCKETS.c.tat).where(_is(limit, key)))

    @staticmethod
    def _wait(limit: Limit, now: float, tat: float | None) -> float:
        assert tat is not None, "a refused take found its bucket, which stays until the commit"
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
