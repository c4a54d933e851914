"""Two gateway replicas on one store, on both stores: a retry with one Idempotency-Key on
the other replica gets the first answer, a rate limit holds across both, and a gateway
started again on the store forgets no key, limit or failed sign-in."""

import tempfile
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from services.gateway.keys import SigningKey
from services.gateway.store import metadata
from services.gateway.tests.conftest import login, running
from services.gateway.tests.test_edge import NEW_BOOKING, creating
from shared.store.db import create_engine

pytestmark = pytest.mark.integration

# Replicas sign with one key, or a token of one would not verify at the other.
KEY_FILE = Path(tempfile.mkdtemp(prefix="tft-replicas-")) / "key.pem"
KEY_FILE.write_bytes(SigningKey.generate().pem())
SLOW = {"rate_per_subject": 0.01, "burst_per_subject": 3}


@pytest.fixture
async def store(each_store) -> str:
    url = each_store("tft_gateway_replicas")
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await engine.dispose()
    return url


async def gateways(stack: AsyncExitStack, upstream, store: str, count: int, **overrides):
    return [
        await stack.enter_async_context(
            running(upstream, database_url=store, jwt_key_file=KEY_FILE, **overrides)
        )
        for _ in range(count)
    ]


async def test_a_retry_on_the_other_replica_gets_the_first_answer(calls, store):
    async with AsyncExitStack() as stack:
        first, second = await gateways(stack, creating(calls), store, 2)
        auth = await login(first, "corlaer") | {"Idempotency-Key": "replica-retry-1"}
        answer = await first.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING)
        retry = await second.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING)
    assert len(calls) == 1
    assert answer.status_code == retry.status_code == 201
    assert retry.json() == answer.json() == {"id": "booking-1"}
    assert retry.headers["idempotent-replayed"] == "true"


async def test_a_rate_limit_holds_across_replicas(echo, store):
    async with AsyncExitStack() as stack:
        first, second = await gateways(stack, echo, store, 2, **SLOW)
        auth = await login(first, "nxt")
        answers = [
            await (first, second)[i % 2].get("/api/v1/offerings", headers=auth) for i in range(4)
        ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]


async def test_a_gateway_started_again_forgets_no_key_limit_or_failed_sign_in(calls, store):
    upstream = creating(calls)
    async with AsyncExitStack() as stack:
        [before] = await gateways(stack, upstream, store, 1, **SLOW)
        auth = await login(before, "corlaer") | {"Idempotency-Key": "restart-1"}
        answer = await before.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING)
        limited = await login(before, "nxt")
        for _ in range(3):
            await before.get("/api/v1/offerings", headers=limited)
        for _ in range(5):
            await before.post(
                "/api/v1/auth/token", json={"username": "element", "password": "geraden"}
            )
    async with AsyncExitStack() as stack:
        [after] = await gateways(stack, upstream, store, 1, **SLOW)
        retry = await after.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING)
        over = await after.get("/api/v1/offerings", headers=limited)
        guessed = await after.post(
            "/api/v1/auth/token", json={"username": "element", "password": "demo"}
        )
    assert [c.method for c in calls].count("POST") == 1 and retry.json() == answer.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert over.status_code == 429
    assert guessed.status_code == 429
