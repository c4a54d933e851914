"""Overlapping relay rounds on the real broker and both stores: round N+1 is handed to the
producer while round N waits for its acknowledgements, yet no row overtakes an earlier row
of its key, even when that row's send fails after round N+1 was sent; and a relay killed
between rounds loses nothing, its resent round applied once by the inbox."""

import asyncio
import json
import os
import sys

import pytest
from aiokafka.errors import KafkaTimeoutError

from ops.kafka import read_topic
from shared.contracts.bookings import BookingConfirmedV1
from shared.contracts.topics import event_source, owner
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import EventConsumer, handle
from shared.messaging.outbox import OutboxRelay, idempotent_producer
from shared.observability.metrics import Metrics
from shared.tests.kafka import confirmed, messaging_store, new_topic
from shared.tests.killed_relay import IN_FLIGHT
from shared.tests.test_relay_parking import on_topic, outbox, stage

pytestmark = pytest.mark.integration


class FailsOnce:
    """Real sends, but the first send of `held` is not sent: its acknowledgement fails when
    the test says, as a produce batch that timed out. `watched` is set once `watch` was sent."""

    def __init__(self, held: str, watch: str) -> None:
        self.held, self.watch = held.encode(), watch.encode()
        self.acknowledgement: asyncio.Future = asyncio.get_running_loop().create_future()
        self.watched = asyncio.Event()
        self.sent: list[bytes] = []
        self._held_back = False

    def producer(self, real):
        outer = self

        class Producer:
            async def send(self, topic, value, **kwargs):
                outer.sent.append(value)
                if value == outer.held and not outer._held_back:
                    outer._held_back = True
                    return outer.acknowledgement
                sending = await real.send(topic, value, **kwargs)
                if value == outer.watch:
                    outer.watched.set()
                return sending

            def __getattr__(self, name):
                return getattr(real, name)

        return Producer()


@pytest.fixture
async def store(each_store):
    db, tables = await messaging_store(each_store("tft_relay_overlap"))
    yield db, tables
    await db.dispose()


async def test_a_row_whose_send_fails_after_the_next_round_was_sent_is_not_overtaken(kafka, store):
    topic = await new_topic(kafka.admin)  # one partition: the topic's order is the order sent
    a1, b1, c1, a2 = await stage(store, topic, ("a", 10), ("b", 10), ("c", 10), ("a", 10))
    fails = FailsOnce(held=a1, watch=c1)
    relay = OutboxRelay(
        store[0],
        store[1].outbox,
        lambda: fails.producer(idempotent_producer(kafka.admin, "overlap-test")),
        Metrics(),
        batch_size=2,  # round N: a1 b1; round N+1: c1 (a2 waits for a1)
    )
    try:
        passing = asyncio.create_task(relay.publish_all())
        await asyncio.wait_for(fails.watched.wait(), 60)  # round N+1 was handed over
        fails.acknowledgement.set_exception(KafkaTimeoutError())  # round N's a1 failed
        assert await passing == 4
    finally:
        await relay.close()
    published = await on_topic(kafka.admin, topic)
    assert sorted(published) == sorted([a1, b1, c1, a2])  # each once
    assert [p for p in published if p in (a1, a2)] == [a1, a2]
    assert fails.sent.index(a2.encode()) > fails.sent.index(c1.encode())


async def test_a_relay_killed_between_rounds_loses_nothing_and_each_event_applies_once(
    kafka, store
):
    db, tables = store
    topic = await new_topic(kafka.admin)
    staged = await stage_events(store, topic, "a", "b", "c", "a", "b", "a")
    url = db.engine.url.render_as_string(hide_password=False)
    relay = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "shared.tests.killed_relay", url,
        staged[2][1],  # round two: c (a waits for round one)
        env=os.environ | {"TFT_KILLED_RELAY_KAFKA": " ".join(
            (kafka.admin.bootstrap, kafka.admin.username, kafka.admin.password)
        )},
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        said = await asyncio.wait_for(relay.stdout.readline(), 60)
        assert said.strip() == IN_FLIGHT  # round one acknowledged, round two handed over
    finally:
        relay.kill()  # SIGKILL: nothing of it runs on
        await relay.wait()

    successor = OutboxRelay(
        db, tables.outbox, lambda: idempotent_producer(kafka.admin, "successor"), Metrics()
    )
    try:
        assert await successor.publish_all() == len(staged)
    finally:
        await successor.close()
    assert all(published_at for published_at, _, _ in (await outbox(store)).values())

    applied, metrics = [], Metrics()

    async def apply(_tx, _event, envelope):
        applied.append(envelope.id)

    consumer = EventConsumer(
        "overlap-test", [topic], handle(BookingConfirmedV1, apply), db, tables.inbox, metrics,
        dlt_producer=no_dead_letters,
    )  # fmt: skip
    await consumer.process(await read_topic(kafka.admin, topic))
    assert applied == [event_id for event_id, _ in staged]  # each once, in their order
    resent = metrics.registry.get_sample_value(
        "tft_duplicate_events_total", {"consumer": "overlap-test"}
    )
    assert resent == 2  # round one reached Kafka twice; the inbox applied it once


async def stage_events(store, topic: str, *keys: str) -> list[tuple[str, str]]:
    """Outbox rows of contract events on `topic` under `keys`: (event id, payload) each."""
    db, tables = store
    rows = []
    for key in keys:
        event, _ = confirmed()
        envelope = Envelope.new(
            type=event.event_type, source=event_source(owner(topic)), subject=key
        )
        rows.append(
            {
                "event_id": envelope.id,
                "topic": topic,
                "key": key,
                "event_type": event.event_type,
                "payload": event.model_dump_json(),
                "headers": json.dumps([(k, v.decode()) for k, v in envelope.to_headers()]),
                "created_at": envelope.time,
            }
        )
    async with db.writing() as tx:
        await tx.execute(tables.outbox.insert(), rows)
    return [(row["event_id"], row["payload"]) for row in rows]


async def no_dead_letters():
    raise AssertionError("no event of this test is a dead letter")
