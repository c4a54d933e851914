"""The edge's state in the gateway's store, on both stores: idempotency keys expire, token
buckets refill."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from services.gateway.idempotency import IdempotencyStore, Outcome, StoredAnswer
from services.gateway.ratelimit import Limit, RateLimits, retry_after
from services.gateway.store import metadata
from shared.store.db import Database, create_engine
from shared.tests.clock import ManualClock
from shared.tests.racing import until_waiting_on_locks

pytestmark = pytest.mark.integration

ANSWER = StoredAnswer(201, [(b"content-type", b"application/json")], b'{"id":1}')


def at_start() -> ManualClock:
    return ManualClock(datetime.fromtimestamp(1_800_000_000, UTC))


@pytest.fixture
async def db(each_store):
    database = Database(create_engine(each_store("tft_gateway_stores")))
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database
    await database.dispose()


async def test_a_key_is_kept_for_its_ttl_then_runs_again(db):
    clock = at_start()
    store = IdempotencyStore(db, ttl_seconds=24 * 3600, clock=clock)
    assert (await store.begin("corlaer", "k", "body")).outcome is Outcome.NEW
    assert (await store.begin("corlaer", "k", "body")).outcome is Outcome.RUNNING
    assert (await store.begin("element", "k", "body")).outcome is Outcome.NEW  # per caller
    await store.finish("corlaer", "k", ANSWER)
    replay = await store.begin("corlaer", "k", "body")
    assert (replay.outcome, replay.answer) == (Outcome.REPLAY, ANSWER)
    assert (await store.begin("corlaer", "k", "other")).outcome is Outcome.MISMATCH
    clock.advance(24 * 3600)
    assert await store.forget_expired() == 2
    assert (await store.begin("corlaer", "k", "other")).outcome is Outcome.NEW


async def test_a_claim_left_by_a_killed_gateway_runs_again_after_its_lease(db):
    clock = at_start()
    store = IdempotencyStore(db, clock=clock, lease_seconds=30)
    assert (await store.begin("corlaer", "k", "body")).outcome is Outcome.NEW  # then killed
    clock.advance(29)
    assert (await store.begin("corlaer", "k", "body")).outcome is Outcome.RUNNING
    clock.advance(1)
    assert (await store.begin("corlaer", "k", "body")).outcome is Outcome.NEW
    await store.finish("corlaer", "k", ANSWER)
    clock.advance(3600)  # an answer is kept for the ttl, not the lease
    assert (await store.begin("corlaer", "k", "body")).outcome is Outcome.REPLAY


async def test_an_abandoned_key_runs_again(db):
    store = IdempotencyStore(db)
    await store.begin("corlaer", "k", "body")
    await store.abandon("corlaer", "k")
    assert (await store.begin("corlaer", "k", "body")).outcome is Outcome.NEW


async def test_a_bucket_allows_its_burst_then_its_rate(db):
    clock = at_start()
    limits, limit = RateLimits(db, clock=clock), Limit("test", rate=2, burst=3)
    assert [await limits.take((limit, "a")) for _ in range(3)] == [0, 0, 0]
    assert await limits.take((limit, "a")) == pytest.approx(0.5)
    assert await limits.waiting(limit, "a") == pytest.approx(0.5)
    assert await limits.take((limit, "b")) == 0
    clock.advance(0.5)
    assert await limits.take((limit, "a")) == 0
    assert await limits.take((limit, "a")) == pytest.approx(0.5)
    clock.advance(1)
    assert await limits.forget_full() == 1  # "b" is full again, "a" not yet
    assert retry_after(0.01) == "1" and retry_after(1.2) == "2"


async def test_a_refused_bucket_stops_the_rest_of_the_take(db):
    clock = at_start()
    limits = RateLimits(db, clock=clock)
    address, subject = Limit("address", rate=1, burst=1), Limit("subject", rate=1, burst=5)
    assert await limits.take((address, "10.0.0.1"), (subject, "corlaer")) == 0
    assert await limits.take((address, "10.0.0.1"), (subject, "corlaer")) == pytest.approx(1)
    clock.advance(1)
    # Full again with 5 tokens: the refused take took none of the subject's.
    assert [await limits.take((subject, "corlaer")) for _ in range(6)][4:] == [0, 1]


@pytest.fixture
async def postgres_db(fresh_database):
    """PostgreSQL only: the race below needs its row locks and its view of who waits."""
    database = Database(create_engine(fresh_database("tft_gateway_bucket_race")))
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database
    await database.dispose()


async def test_a_take_that_waited_for_the_bucket_is_judged_by_its_time_after_the_wait(
    postgres_db,
):
    # One request holds the bucket's row while another waits for it; meanwhile the clock
    # moves on 5 s and the holder's take (at that later time) commits. The waiter read the
    # clock before its wait: judged by that stale time it looks 5 s early, though by the
    # time it gets the row it is well within its limit (rate 1/s, burst 2).
    db, limit = postgres_db, Limit("test", rate=1, burst=2)
    waiter_clock = at_start()
    holder_clock = ManualClock(waiter_clock.now())
    holder_clock.advance(5)
    waiter = RateLimits(db, clock=waiter_clock)
    async with db.writing() as tx:
        assert await RateLimits(db, clock=holder_clock)._take(tx, limit, "a") == (1, 1_800_000_005)
        waiting = asyncio.create_task(waiter.take((limit, "a")))
        await until_waiting_on_locks(db, 1)
        waiter_clock.advance(5)  # the time the wait took
    assert await waiting == 0
    # It took its token: the bucket's burst of 2 is spent until a second has passed.
    assert await waiter.take((limit, "a")) == pytest.approx(1)


# Leases: a replica takes several tokens in one upsert and spends them on the key's next
# requests. Rate 40/s, burst 40, leases of 0.25 s: 10 tokens at most (rate x lifetime).
LEASED = Limit("leased", rate=40, burst=40)


def replicas(db, clock: ManualClock, count: int = 2) -> list[RateLimits]:
    return [RateLimits(db, clock=clock, lease_seconds=0.25) for _ in range(count)]


async def test_two_replicas_with_leases_never_let_more_than_the_limit_through_together(db):
    clock = at_start()
    first, second = replicas(db, clock)
    went_ahead = 0
    for _ in range(150):  # three times the rate for 2.5 s, both replicas at each tick
        waits = await asyncio.gather(first.take((LEASED, "a")), second.take((LEASED, "a")))
        went_ahead += waits.count(0)
        clock.advance(1 / 60)
    allowed = LEASED.burst + LEASED.rate * 149 / 60  # the burst, then the rate
    assert allowed - 2 * LEASED.lease(0.25) <= went_ahead <= allowed


async def test_a_caller_just_below_its_rate_is_never_refused_by_leasing_replicas(db):
    # Its whole burst, then 95 % of its rate, a request at both replicas at once: in the
    # bottom half of the bucket no replica holds a lease that leaves the other short.
    clock = at_start()
    limit = Limit("leased", rate=40, burst=200)  # leases of 10 tokens at most
    leasing = replicas(db, clock)
    assert [await leasing[i % 2].take((limit, "a")) for i in range(200)] == [0] * 200
    for i in range(300):
        clock.advance(2 / (0.95 * limit.rate))
        waits = await asyncio.gather(*(replica.take((limit, "a")) for replica in leasing))
        assert waits == [0, 0], f"refused at {i}"


async def test_a_slow_caller_keeps_its_whole_burst_beside_leasing_replicas(db):
    # Half its rate at two replicas for 10 s: leases sized by what the key spent leave
    # next to nothing unspent, so the bucket refills, and its burst is whole but for the
    # tokens the other replica still holds.
    clock = at_start()
    limit = Limit("leased", rate=40, burst=200)
    first, second = replicas(db, clock)
    for i in range(200):
        clock.advance(1 / (0.5 * limit.rate))
        assert await (first, second)[i % 2].take((limit, "a")) == 0
    burst = [await first.take((limit, "a")) for _ in range(200)]
    assert burst.count(0) >= limit.burst - limit.lease(0.25)


async def test_the_store_is_asked_once_per_lease_and_again_when_it_expires(db):
    clock = at_start()
    (limits,) = replicas(db, clock, count=1)
    address, subject = Limit("address", rate=400, burst=400), Limit("subject", rate=40, burst=100)
    asked: list[str] = []
    with buckets_asked(db, asked):
        # 25 requests at once: the first takes one token of each bucket (a key new to the
        # replica), the others wait; the second asks for leases of 64 and 10 tokens, the
        # 12th and the 22nd for the subject's next.
        waits = await asyncio.gather(
            *(limits.take((address, "x"), (subject, "s")) for _ in range(25))
        )
        assert waits == [0] * 25
        assert asked == ["address", "subject", "address", "subject", "subject", "subject"]
        clock.advance(0.25)  # both leases expired with tokens unspent
        assert await limits.take((address, "x"), (subject, "s")) == 0
    assert asked[6:] == ["address", "subject"]


@contextmanager
def buckets_asked(db: Database, asked: list[str]) -> Iterator[None]:
    """Appends to `asked` the limit of each statement that writes a bucket."""

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO RATE_BUCKETS"):
            asked.append(next(p for p in parameters if p in ("address", "subject")))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
