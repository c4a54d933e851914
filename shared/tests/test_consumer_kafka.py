"""A consumer on the real broker never moves past a message it did not finish: a failing
message is read again (seek back, backoff) until it is applied, or, on its last attempt,
dead-lettered on its own with the reason; only then is its offset committed."""

import logging
from collections import Counter
from contextlib import asynccontextmanager
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker

from shared.contracts.bookings import BookingConfirmedV1
from shared.contracts.topics import dead_letter_topic
from shared.messaging.inbox import EventConsumer
from shared.observability.metrics import Metrics
from shared.tests.kafka import (
    applied,
    committed,
    confirmed,
    eventually,
    messaging_store,
    new_topic,
    produce,
    read_topic,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(tmp_path):
    db, tables = await messaging_store(f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}")
    yield db, tables
    await db.dispose()


@asynccontextmanager
async def consuming(bootstrap: str, store, topic: str, handler, max_attempts: int):
    """An EventConsumer of its own group on `topic`, subscribed through FastStream as the
    services are."""
    db, tables = store
    dlt: list[AIOKafkaProducer] = []

    async def dlt_producer() -> AIOKafkaProducer:
        if not dlt:
            dlt.append(AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all"))
            await dlt[0].start()
        return dlt[0]

    consumer = EventConsumer(
        name=f"test-{uuid4().hex[:8]}", topics=[topic], handlers={BookingConfirmedV1: handler},
        db=db, inbox=tables.inbox, metrics=Metrics(), dlt_producer=dlt_producer,
        max_attempts=max_attempts, backoff_seconds=0.01)
    broker = KafkaBroker(bootstrap, log_level=logging.DEBUG)
    consumer.subscribe(broker, batch_size=100)
    await broker.start()
    try:
        yield consumer
    finally:
        await broker.stop()
        for producer in dlt:
            await producer.stop()


def failing_on(event_id: str, times: int | None):
    """A handler that raises on one event its first `times` tries (always if None)."""
    tries: Counter[str] = Counter()

    async def handle(_session, _event, envelope) -> None:
        tries[envelope.id] += 1
        if envelope.id == event_id and (times is None or tries[envelope.id] <= times):
            raise RuntimeError(f"lesrooster niet bereikbaar voor {envelope.id}")

    return handle


async def test_a_message_failing_in_a_batch_is_read_again_until_applied_not_skipped(
        kafka, store):
    topic = await new_topic(kafka.bootstrap)
    events = [confirmed(f"{i}A") for i in range(6)]
    ids = [envelope.id for _, envelope in events]
    handler = failing_on(ids[2], times=2)
    await produce(kafka.bootstrap, topic, events)

    async with consuming(kafka.bootstrap, store, topic, handler, max_attempts=5) as consumer:
        async def all_applied():
            return sorted(await applied(*store, consumer.name)) == sorted(ids)

        await eventually(all_applied)
        await eventually(lambda: _equals(committed(kafka.bootstrap, consumer.name, topic), 6))

    assert await read_topic(kafka.bootstrap, dead_letter_topic(topic)) == []


async def test_a_message_failing_on_every_attempt_is_dead_lettered_alone_then_committed(
        kafka, store):
    topic = await new_topic(kafka.bootstrap)
    events = [confirmed(f"{i}B") for i in range(6)]
    ids = [envelope.id for _, envelope in events]
    handler = failing_on(ids[2], times=None)
    await produce(kafka.bootstrap, topic, events)

    async with consuming(kafka.bootstrap, store, topic, handler, max_attempts=3) as consumer:
        async def the_rest_applied():
            return sorted(await applied(*store, consumer.name)) == sorted(ids[:2] + ids[3:])

        await eventually(the_rest_applied)
        await eventually(lambda: _equals(committed(kafka.bootstrap, consumer.name, topic), 6))

    [dead] = await read_topic(kafka.bootstrap, dead_letter_topic(topic))
    headers = {k: v.decode() for k, v in dead.headers}
    assert headers["ce_id"] == ids[2]
    assert headers["dlt_reason"] == f"lesrooster niet bereikbaar voor {ids[2]}"
    assert (headers["dlt_attempts"], headers["dlt_original_offset"]) == ("3", "2")
    assert headers["dlt_original_topic"] == topic


async def _equals(value, expected) -> bool:
    return await value == expected
