"""Raw aiokafka produce/consume against the full outbox -> relay -> Kafka -> inbox pipeline.

The pipeline runs as deployed: `python -m bench.messaging staging|consuming URL COUNT` is
one side of it, in a process of its own, started and timed by `pipeline`."""

import asyncio
import os
import sys
import time
from asyncio.subprocess import PIPE
from pathlib import Path
from typing import ClassVar

import uvloop
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy import MetaData

from bench import profile
from shared.contracts.base import IntegrationEvent
from shared.contracts.topics import event_source, owner
from shared.messaging.connection import KafkaConnection
from shared.messaging.inbox import EventConsumer
from shared.messaging.outbox import Outbox, OutboxRelay, idempotent_producer
from shared.messaging.tables import add_messaging_tables
from shared.observability.logging import configure_logging
from shared.observability.metrics import Metrics
from shared.store.db import Database, create_engine

PAYLOAD = os.urandom(384).hex()  # with the JSON around it, about 1 KiB a message


class BenchPingedV1(IntegrationEvent):
    event_type: ClassVar[str] = "nl.tisfortech.bench.ping.pinged.v1"
    topic: ClassVar[str] = "tft.bench.ping"
    key_field: ClassVar[str] = "n"
    n: int
    data: str


async def raw(kafka: KafkaConnection, count: int) -> dict[str, float]:
    """Messages per second for `count` 1 KiB messages produced and consumed concurrently,
    and the CPU per message of this process (both clients) and of the broker."""
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

    with profile.profiled("raw") as used:
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(produce(), consume())
        elapsed, used["clients"] = time.perf_counter() - started, time.process_time() - cpu
    await producer.stop()
    await consumer.stop()
    return {"raw_msgs_per_s": round(count / elapsed, 1)} | {
        f"raw_cpu_ms_{name}": round(1000 * used[name] / count, 3) for name in ("clients", "kafka")
    }


async def pipeline(
    kafka: KafkaConnection, database_url: str, count: int, folder: Path | None = None
) -> dict[str, float]:
    """Messages per second from staging in the outbox to applied by an inbox consumer, with
    the staging service (its writes and its relay) and the consuming service in processes
    of their own, as they are deployed; and the CPU each spends per message."""
    metadata = MetaData()
    add_messaging_tables(metadata)
    db = Database(create_engine(database_url))
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
    await db.dispose()
    env = os.environ | {
        "TFT_BENCH_BOOTSTRAP": kafka.bootstrap,
        "TFT_BENCH_KAFKA_USER": kafka.username,
        "TFT_BENCH_KAFKA_PASSWORD": kafka.password,
    }
    sides = {
        side: await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.messaging", side, database_url, str(count),
            env=env, stdin=PIPE, stdout=PIPE,
        )
        for side in (CONSUMING, STAGING)
    }  # fmt: skip
    try:
        for process in sides.values():
            await _said(process, READY)
        profile.configure({side: process.pid for side, process in sides.items()}, folder)
        with profile.profiled("pipeline") as used:
            started = time.perf_counter()
            _say(sides[STAGING], GO)
            await _said(sides[CONSUMING], APPLIED)
            elapsed = time.perf_counter() - started
    finally:
        for process in sides.values():
            if process.returncode is None:
                process.terminate()
            await process.wait()
    return {"pipeline_msgs_per_s": round(count / elapsed, 1)} | {
        f"pipeline_cpu_ms_{side}": round(1000 * seconds / count, 3)
        for side, seconds in used.items()
    }


STAGING, CONSUMING = "staging", "consuming"
READY, GO, APPLIED = b"ready", b"go", b"applied"


def _say(process: asyncio.subprocess.Process, word: bytes) -> None:
    assert process.stdin is not None
    process.stdin.write(word + b"\n")


async def _said(process: asyncio.subprocess.Process, word: bytes) -> None:
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout=600)
    if line.strip() != word:
        raise RuntimeError(f"bench pipeline process said {line!r}, not {word!r}")


async def _heard(word: bytes) -> None:
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.buffer.readline)
    if line.strip() != word:
        raise RuntimeError(f"heard {line!r}, not {word!r}")


# The coordinator hears a side on its stdout; the side's own output goes to stderr.
_told = os.dup(1) if __name__ == "__main__" else 1


def _tell(word: bytes) -> None:
    os.write(_told, word + b"\n")


def _connection() -> KafkaConnection:
    return KafkaConnection(
        os.environ["TFT_BENCH_BOOTSTRAP"],
        os.environ["TFT_BENCH_KAFKA_USER"],
        os.environ["TFT_BENCH_KAFKA_PASSWORD"],
    )


async def staging(database_url: str, count: int) -> None:
    """The service that writes: stages `count` pings, 1,000 per transaction, and relays them."""
    kafka, tables = _connection(), add_messaging_tables(MetaData())
    db = Database(create_engine(database_url))
    relay = OutboxRelay(
        db,
        tables.outbox,
        lambda: idempotent_producer(kafka, "bench-relay"),
        Metrics(),
        batch_size=2000,
        poll_seconds=0.05,
    )
    db.on_commit(relay.wake)
    _tell(READY)
    await _heard(GO)
    relaying = asyncio.create_task(relay.run())
    outbox = Outbox(tables.outbox, source=event_source(owner("tft.bench.ping")))
    for first in range(0, count, 1000):
        async with db.transaction() as session:
            await outbox.stage(
                session,
                *(BenchPingedV1(n=n, data=PAYLOAD) for n in range(first, min(first + 1000, count))),
            )
    await relaying  # until the coordinator ends this process


async def consuming(database_url: str, count: int) -> None:
    """The service that applies them through its inbox, and says so when all are in."""
    kafka, tables = _connection(), add_messaging_tables(MetaData())
    db = Database(create_engine(database_url))
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
        Metrics(),
        dlt_producer=no_dead_letters,
    ).subscribe(broker, batch_size=2000)
    await broker.start()
    await asyncio.sleep(3)  # let the group settle before the clock starts
    _tell(READY)
    await done.wait()
    _tell(APPLIED)
    await broker.stop()


if __name__ == "__main__":
    os.dup2(2, 1)
    configure_logging("bench", "WARNING")
    side, url, messages = sys.argv[1:]
    uvloop.run({STAGING: staging, CONSUMING: consuming}[side](url, int(messages)))
