"""Overlapping relay rounds on the real broker and both stores: round N+1 is handed to the
producer while round N waits for its acknowledgements, yet no row overtakes an earlier row
of its key, even when that row's send fails after round N+1 was sent."""

import asyncio

import pytest
from aiokafka.errors import KafkaTimeoutError

from shared.messaging.outbox import OutboxRelay, idempotent_producer
from shared.observability.metrics import Metrics
from shared.tests.kafka import messaging_store, new_topic
from shared.tests.test_relay_parking import on_topic, stage

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
