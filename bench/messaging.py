"""Raw aiokafka produce/consume against the full outbox -> relay -> Kafka -> inbox pipeline."""

import asyncio
import os
import time
from typing import ClassVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy import MetaData

from shared.contracts.base import IntegrationEvent
from shared.contracts.topics import event_source, owner
from shared.messaging.connection import KafkaConnection
from shared.messaging.inbox import EventConsumer
from shared.messaging.outbox import Outbox, OutboxRelay, idempotent_producer
from shared.messaging.tables import add_messaging_tables
from shared.observability.metrics import Metrics
from shared.store.db import Database, create_engine

PAYLOAD = os.urandom(384).hex()  # with the JSON around it, about 1 KiB a message


class BenchPingedV1(IntegrationEvent):
    event_type: ClassVar[str] = "nl.tisfortech.bench.ping.pinged.v1"
    topic: ClassVar[str] = "tft.bench.ping"
    key_field: ClassVar[str] = "n"
    n: int
    data: str


async def raw(kafka: KafkaConnection, count: int) -> float:
    """Messages per second for `count` 1 KiB messages produced and consumed concurrently."""
    value = BenchPingedV1(n=0, data=PAYLOAD).model_dump_json().encode()
    consumer = AIOKafkaConsumer(
        "bench.raw",
        **kafka.options(),
        auto_offset_reset="latest",
        group_id="bench-raw",
        max_poll_records=2000,
    )
    await consumer.start()
    await consumer.seek_to_end()
    producer = idempotent_producer(kafka, "bench-raw")
    await producer.start()
    started = time.perf_counter()

    async def produce():
        deliveries = [
            await producer.send("bench.raw", value=value, key=str(i % 97).encode())
            for i in range(count)
        ]
        await asyncio.gather(*deliveries)

    async def consume():
        seen = 0
        while seen < count:
            batches = await consumer.getmany(timeout_ms=1000, max_records=2000)
            seen += sum(len(records) for records in batches.values())

    await asyncio.gather(produce(), consume())
    elapsed = time.perf_counter() - started
    await producer.stop()
    await consumer.stop()
    return count / elapsed


async def pipeline(kafka: KafkaConnection, database_url: str, count: int) -> float:
    """Messages per second from staging in the outbox to applied by an inbox consumer."""
    metadata = MetaData()
    tables = add_messaging_tables(metadata)
    db = Database(create_engine(database_url))
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
    metrics = Metrics()
    relay = OutboxRelay(
        db,
        tables.outbox,
        lambda: idempotent_producer(kafka, "bench-relay"),
        metrics,
        batch_size=2000,
        poll_seconds=0.05,
    )
    db.on_commit(relay.wake)
    applied = 0
    done = asyncio.Event()

    async def count_it(_session, _event, _envelope):
        nonlocal applied
        applied += 1
        if applied >= count:
            done.set()

    async def no_dead_letters() -> AIOKafkaProducer:
        raise RuntimeError("a ping failed: the bench measures the pipeline, not its faults")

    broker = KafkaBroker(kafka.bootstrap, security=kafka.security(), log_level=10)
    EventConsumer(
        "bench-pipeline",
        ["tft.bench.ping"],
        {BenchPingedV1: count_it},
        db,
        tables.inbox,
        metrics,
        dlt_producer=no_dead_letters,
    ).subscribe(broker, batch_size=2000)
    await broker.start()
    await asyncio.sleep(3)  # let the group settle before the clock starts
    outbox = Outbox(tables.outbox, source=event_source(owner("tft.bench.ping")))
    started = time.perf_counter()
    relaying = asyncio.create_task(relay.run())
    for first in range(0, count, 1000):
        async with db.transaction() as session:
            await outbox.stage(
                session,
                *(BenchPingedV1(n=n, data=PAYLOAD) for n in range(first, min(first + 1000, count))),
            )
    await asyncio.wait_for(done.wait(), timeout=600)
    elapsed = time.perf_counter() - started
    relaying.cancel()
    await broker.stop()
    await relay.close()
    await db.dispose()
    return count / elapsed
