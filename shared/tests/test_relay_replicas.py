"""Two relays on one store (two replicas of a service), on the real broker and both stores:
while one relay's round is still sending, the other publishes nothing of the store, so the
events of a key reach Kafka once each and in their order."""

import asyncio

import pytest

from shared.messaging.outbox import OutboxRelay, idempotent_producer
from shared.observability.metrics import Metrics
from shared.store.db import Database, create_engine
from shared.tests.kafka import messaging_store, new_topic
from shared.tests.test_relay_parking import on_topic, stage

pytestmark = pytest.mark.integration


class HeldSend:
    """A real producer whose sends wait until the test lets them go."""

    def __init__(self, producer, sending: asyncio.Event, go: asyncio.Event) -> None:
        self._producer, self._sending, self._go = producer, sending, go

    async def send(self, *args, **kwargs):
        self._sending.set()
        await self._go.wait()
        return await self._producer.send(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._producer, name)


@pytest.fixture
async def replicas(each_store):
    """The store seen by two replicas: each its own engine."""
    url = each_store("tft_relay_replicas")
    first, tables = await messaging_store(url)
    second = Database(create_engine(url))
    yield (first, second), tables
    await asyncio.gather(first.dispose(), second.dispose())


async def test_two_relays_publish_the_events_of_a_key_once_and_in_order(kafka, replicas):
    (db_a, db_b), tables = replicas
    topic = await new_topic(kafka.admin)
    first, second = await stage((db_a, tables), topic, ("booking-1", 10), ("booking-1", 10))
    sending, go = asyncio.Event(), asyncio.Event()
    relay_a = OutboxRelay(
        db_a,
        tables.outbox,
        lambda: HeldSend(idempotent_producer(kafka.admin, "relay-a"), sending, go),
        Metrics(),
        batch_size=1,
    )
    relay_b = OutboxRelay(
        db_b, tables.outbox, lambda: idempotent_producer(kafka.admin, "relay-b"), Metrics()
    )
    try:
        a_round = asyncio.create_task(relay_a.publish_pending())
        await asyncio.wait_for(sending.wait(), 60)  # A has read the first row, sends it
        await relay_b.publish_pending()  # B's round meanwhile
        go.set()
        await a_round
        while await relay_b.publish_pending() + await relay_a.publish_pending():
            pass  # the rest, until neither finds anything
    finally:
        go.set()
        await asyncio.gather(relay_a.close(), relay_b.close())
    assert await on_topic(kafka.admin, topic) == [first, second]
