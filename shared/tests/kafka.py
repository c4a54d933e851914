"""Helpers for the messaging tests on the real broker: a topic of a test's own, an inbox
store, producing contract events and reading a group's committed offsets."""

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from faststream.kafka import KafkaBroker
from sqlalchemy import MetaData, select

from ops.kafka import create_topics
from shared.contracts.bookings import BookingConfirmedV1
from shared.contracts.topics import dead_letter_topic
from shared.messaging.connection import KafkaConnection
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import EventConsumer
from shared.messaging.tables import MessagingTables, add_messaging_tables
from shared.observability.metrics import Metrics
from shared.store.db import Database, create_engine
from shared.store.requests import add_requests_table


async def new_topic(
    kafka: KafkaConnection, partitions: int = 1, configs: dict[str, str] | None = None
) -> str:
    """A topic (with its dead-letter topic) no other test writes to."""
    topic = f"tft.test.{uuid4().hex[:10]}"
    await create_topics(kafka, [topic, dead_letter_topic(topic)], partitions, 1, configs)
    return topic


async def messaging_store(url: str) -> tuple[Database, MessagingTables]:
    metadata = MetaData()
    tables = add_messaging_tables(metadata)
    add_requests_table(metadata)
    db = Database(create_engine(url))
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return db, tables


def confirmed(label: str = "1A") -> tuple[BookingConfirmedV1, Envelope]:
    starts = datetime.now(UTC) + timedelta(days=10)
    event = BookingConfirmedV1(
        booking_id=uuid4(),
        session_id=uuid4(),
        offering_id="test",
        offering_title="Testles",
        school_id="trivium",
        group={"name": label, "level": "vmbo-bb", "year": 1, "students": 12},
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        location="Hotspot",
    )
    return event, Envelope.new(type=event.event_type, source="/tft/test", subject=event.subject())


async def produce(kafka: KafkaConnection, topic: str, events, key: bytes = b"one-key") -> None:
    """Send (event, envelope) pairs under one key, so they land in one partition in order."""
    producer = AIOKafkaProducer(**kafka.options(), acks="all")
    await producer.start()
    try:
        for event, envelope in events:
            await producer.send_and_wait(
                topic,
                value=event.model_dump_json().encode(),
                key=key,
                headers=envelope.to_headers(),
            )
    finally:
        await producer.stop()


async def committed(kafka: KafkaConnection, group: str, topic: str) -> int:
    """The group's committed offsets on the topic, summed over its partitions."""
    admin = AIOKafkaAdminClient(**kafka.options())
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return sum(max(0, meta.offset) for tp, meta in offsets.items() if tp.topic == topic)


async def applied(db: Database, tables: MessagingTables, consumer: str) -> list[str]:
    async with db.sessions() as tx:
        c = tables.inbox.c
        return list(await tx.scalars(select(c.event_id).where(c.consumer == consumer)))


async def eventually(
    probe: Callable[[], Awaitable[Any]], within: float = 60.0, interval: float = 0.1
) -> Any:
    """Await `probe()` until it returns something truthy; report the last value if it never
    does within `within` seconds."""
    deadline = time.monotonic() + within
    value = None
    while time.monotonic() < deadline:
        value = await probe()
        if value:
            return value
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {within}s; last value: {value!r}")


@asynccontextmanager
async def consuming(kafka: KafkaConnection, store, topic: str, handler, max_attempts: int):
    """An EventConsumer of its own group on `topic`, subscribed through FastStream as the
    services are."""
    db, tables = store
    dlt: list[AIOKafkaProducer] = []

    async def dlt_producer() -> AIOKafkaProducer:
        if not dlt:
            dlt.append(AIOKafkaProducer(**kafka.options(), acks="all"))
            await dlt[0].start()
        return dlt[0]

    consumer = EventConsumer(
        name=f"test-{uuid4().hex[:8]}",
        topics=[topic],
        handlers={BookingConfirmedV1: handler},
        db=db,
        inbox=tables.inbox,
        metrics=Metrics(),
        dlt_producer=dlt_producer,
        max_attempts=max_attempts,
        backoff_seconds=0.01,
    )
    broker = KafkaBroker(kafka.bootstrap, security=kafka.security(), log_level=logging.DEBUG)
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
