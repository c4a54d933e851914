"""The edge's in-process state: idempotency keys expire, token buckets refill."""

from services.gateway.idempotency import MemoryIdempotencyStore, Outcome, StoredAnswer
from services.gateway.ratelimit import TokenBuckets, retry_after

ANSWER = StoredAnswer(201, [(b"content-type", b"application/json")], b'{"id":1}')


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_key_is_kept_for_its_ttl_then_runs_again():
    clock = Clock()
    store = MemoryIdempotencyStore(ttl_seconds=24 * 3600, clock=clock)
    assert (await store.begin("k", "body")).outcome is Outcome.NEW
    assert (await store.begin("k", "body")).outcome is Outcome.RUNNING
    await store.finish("k", ANSWER)
    replay = await store.begin("k", "body")
    assert (replay.outcome, replay.answer) == (Outcome.REPLAY, ANSWER)
    assert (await store.begin("k", "other")).outcome is Outcome.MISMATCH
    clock.now += 24 * 3600
    assert (await store.begin("k", "other")).outcome is Outcome.NEW


async def test_an_abandoned_key_runs_again():
    store = MemoryIdempotencyStore()
    await store.begin("k", "body")
    await store.abandon("k")
    assert (await store.begin("k", "body")).outcome is Outcome.NEW


def test_a_bucket_allows_its_burst_then_its_rate():
    clock = Clock()
    buckets = TokenBuckets(rate=2, burst=3, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("a") == 0.5 and buckets.take("b") == 0
    clock.now += 0.5
    assert buckets.take("a") == 0
    assert retry_after(0.01) == "1" and retry_after(1.2) == "2"
