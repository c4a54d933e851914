"""The relay on the real broker, on both stores: a row larger than its topic accepts, or for a
topic the service may not write, is parked with the reason, the other keys' rows keep
flowing, and the later rows of the parked row's key wait behind it until it is resolved."""

import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from sqlalchemy import delete, select
from structlog.testing import capture_logs

from ops.kafka import create_topics, read_topic
from shared.messaging.connection import KafkaConnection
from shared.messaging.outbox import OutboxRelay, idempotent_producer
from shared.observability.metrics import Metrics
from shared.tests.kafka import messaging_store, new_topic

pytestmark = pytest.mark.integration

LIMIT = 4096  # the topic's max.message.bytes


@pytest.fixture
async def store(each_store):
    db, tables = await messaging_store(each_store("tft_relay_parking"))
    yield db, tables
    await db.dispose()


async def stage(store, topic: str, *rows: tuple[str, int]) -> list[str]:
    """Outbox rows of (key, payload size) on `topic`; returns their payloads."""
    db, tables = store
    payloads = [json.dumps({"n": uuid4().hex, "pad": "x" * size}) for _, size in rows]
    async with db.writing() as tx:
        await tx.execute(
            tables.outbox.insert(),
            [
                {
                    "event_id": str(uuid4()),
                    "topic": topic,
                    "key": key,
                    "event_type": "test",
                    "payload": payload,
                    "headers": "[]",
                    "created_at": datetime.now(UTC),
                }
                for (key, _), payload in zip(rows, payloads, strict=True)
            ],
        )
    return payloads


async def on_topic(kafka: KafkaConnection, topic: str) -> list[str]:
    return [r.value.decode() for r in await read_topic(kafka, topic)]


async def outbox(store) -> dict[str, tuple]:
    db, tables = store
    c = tables.outbox.c
    async with db.sessions() as tx:
        rows = await tx.execute(select(c.payload, c.published_at, c.parked_at, c.park_reason))
        return {payload: tuple(rest) for payload, *rest in rows}


async def test_a_row_too_large_is_parked_and_the_rest_published_its_key_waits(kafka, store):
    topic = await new_topic(kafka.admin, configs={"max.message.bytes": str(LIMIT)})
    metrics = Metrics()
    relay = OutboxRelay(
        store[0], store[1].outbox, lambda: idempotent_producer(kafka.admin, "parking-test"), metrics
    )
    first, too_large, behind, other = await stage(
        store, topic, ("a", 10), ("a", 2 * LIMIT), ("a", 10), ("b", 10)
    )
    try:
        with capture_logs() as logs:
            assert await relay.publish_pending() == 4
        assert await on_topic(kafka.admin, topic) == [first, other]
        rows = await outbox(store)
        published_at, parked_at, reason = rows[too_large]
        assert published_at is None and parked_at is not None
        assert "MessageSizeTooLarge" in reason
        assert rows[behind][:2] == (None, None)  # held, not parked
        assert metrics.registry.get_sample_value("tft_outbox_parked_total", {"topic": topic}) == 1
        [line] = [e for e in logs if e["event"].startswith("outbox row parked")]
        assert line["log_level"] == "error" and line["key"] == "a"
        await relay.refresh_backlog()
        assert metrics.registry.get_sample_value("tft_outbox_parked_rows") == 1

        [later] = await stage(store, topic, ("b", 10))
        await relay.publish_pending()
        assert await on_topic(kafka.admin, topic) == [first, other, later]

        async with store[0].writing() as tx:  # an operator resolves the parked row
            await tx.execute(delete(store[1].outbox).where(store[1].outbox.c.payload == too_large))
        await relay.publish_pending()
        assert await on_topic(kafka.admin, topic) == [first, other, later, behind]
    finally:
        await relay.close()


async def test_a_row_for_a_topic_that_does_not_exist_is_parked_the_rest_flows(kafka, store):
    topic = await new_topic(kafka.admin)
    missing = f"{topic}.missing"
    metrics = Metrics()
    relay = OutboxRelay(
        store[0], store[1].outbox, lambda: idempotent_producer(kafka.admin, "parking-test"), metrics
    )
    await stage(store, missing, ("a", 10))
    [fine] = await stage(store, topic, ("a", 10))
    try:
        assert await relay.publish_pending() == 2
    finally:
        await relay.close()
    assert await on_topic(kafka.admin, topic) == [fine]
    [(published_at, parked_at, reason)] = [
        rest for payload, rest in (await outbox(store)).items() if payload != fine
    ]
    assert published_at is None and parked_at is not None
    assert "UnknownTopicOrPartition" in reason
    assert metrics.registry.get_sample_value("tft_outbox_parked_total", {"topic": missing}) == 1
    published = {"topic": topic, "type": "test"}  # by event type: bookings per hour
    assert metrics.registry.get_sample_value("tft_outbox_published_total", published) == 1


async def test_a_row_for_a_topic_the_service_may_not_write_is_parked_the_rest_flows(kafka, store):
    own, foreign = f"tft.finance.{uuid4().hex[:10]}", f"tft.bookings.{uuid4().hex[:10]}"
    await create_topics(kafka.admin, [own, foreign])
    relay = OutboxRelay(
        store[0],
        store[1].outbox,  # as finance: its ACLs allow tft.finance.*
        lambda: idempotent_producer(kafka.connection("finance"), "acl-test"),
        Metrics(),
    )
    await stage(store, foreign, ("a", 10))
    [fine] = await stage(store, own, ("a", 10))
    try:
        assert await relay.publish_pending() == 2
    finally:
        await relay.close()
    assert await on_topic(kafka.admin, own) == [fine]
    [(published_at, parked_at, reason)] = [
        rest for payload, rest in (await outbox(store)).items() if payload != fine
    ]
    assert published_at is None and parked_at is not None
    assert "TopicAuthorizationFailed" in reason
