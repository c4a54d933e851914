"""A consumer on the real broker never moves past a message it did not finish: a failing
message is read again (seek back, backoff) until it is applied, or, on its last attempt,
dead-lettered on its own with the reason; only then is its offset committed. An event whose
source is not the topic's owner is dead-lettered at once."""

from dataclasses import replace

import faststream.kafka.parser
import pytest

from ops.kafka import read_topic
from shared.contracts.topics import dead_letter_topic
from shared.tests.kafka import (
    applied,
    committed,
    confirmed,
    consuming,
    eventually,
    failing_on,
    messaging_store,
    new_topic,
    produce,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(tmp_path):
    db, tables = await messaging_store(f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}")
    yield db, tables
    await db.dispose()


async def test_a_message_failing_in_a_batch_is_read_again_until_applied_not_skipped(kafka, store):
    topic = await new_topic(kafka.admin)
    events = [confirmed(f"{i}A") for i in range(6)]
    ids = [envelope.id for _, envelope in events]
    handler = failing_on(ids[2], times=2)
    await produce(kafka.admin, topic, events)

    async with consuming(kafka.admin, store, topic, handler, max_attempts=5) as consumer:

        async def all_applied():
            return sorted(await applied(*store, consumer.name)) == sorted(ids)

        await eventually(all_applied)
        await eventually(lambda: _equals(committed(kafka.admin, consumer.name, topic), 6))

    assert await read_topic(kafka.admin, dead_letter_topic(topic)) == []


async def test_payloads_are_parsed_by_the_consumer_alone_not_by_faststream_too(
    kafka, store, monkeypatch
):
    topic = await new_topic(kafka.admin)
    events = [confirmed(f"{i}P") for i in range(4)]
    parsed_by_faststream = []

    def counting(message):
        parsed_by_faststream.append(message)
        return decode(message)

    decode = faststream.kafka.parser.decode_message
    monkeypatch.setattr(faststream.kafka.parser, "decode_message", counting)
    await produce(kafka.admin, topic, events)

    async with consuming(
        kafka.admin, store, topic, failing_on("none", times=0), max_attempts=3
    ) as consumer:

        async def all_applied():
            return len(await applied(*store, consumer.name)) == len(events)

        await eventually(all_applied)

    assert parsed_by_faststream == []


async def test_a_message_failing_on_every_attempt_is_dead_lettered_alone_then_committed(
    kafka, store
):
    topic = await new_topic(kafka.admin)
    events = [confirmed(f"{i}B") for i in range(6)]
    ids = [envelope.id for _, envelope in events]
    handler = failing_on(ids[2], times=None)
    await produce(kafka.admin, topic, events)

    async with consuming(kafka.admin, store, topic, handler, max_attempts=3) as consumer:

        async def the_rest_applied():
            return sorted(await applied(*store, consumer.name)) == sorted(ids[:2] + ids[3:])

        await eventually(the_rest_applied)
        await eventually(lambda: _equals(committed(kafka.admin, consumer.name, topic), 6))

    [dead] = await read_topic(kafka.admin, dead_letter_topic(topic))
    headers = {k: v.decode() for k, v in dead.headers}
    assert headers["ce_id"] == ids[2]
    assert headers["dlt_reason"] == f"lesrooster niet bereikbaar voor {ids[2]}"
    assert (headers["dlt_attempts"], headers["dlt_original_offset"]) == ("3", "2")
    assert headers["dlt_original_topic"] == topic


async def test_an_event_whose_source_is_not_the_topics_owner_is_dead_lettered_at_once(kafka, store):
    topic = await new_topic(kafka.admin)  # tft.test.…: owned by /tft/test
    events = [confirmed(f"{i}D") for i in range(3)]
    forged_event, genuine = events[1]
    forged = replace(genuine, source="/tft/finance")
    events[1] = (forged_event, forged)
    await produce(kafka.admin, topic, events)

    async def apply(*_) -> None:
        return None

    async with consuming(kafka.admin, store, topic, apply, max_attempts=3) as consumer:
        await eventually(lambda: _equals(committed(kafka.admin, consumer.name, topic), 3))
        assert sorted(await applied(*store, consumer.name)) == sorted(
            [events[0][1].id, events[2][1].id]
        )

    [dead] = await read_topic(kafka.admin, dead_letter_topic(topic))
    headers = {k: v.decode() for k, v in dead.headers}
    assert (headers["ce_id"], headers["dlt_attempts"]) == (forged.id, "1")
    assert headers["dlt_reason"] == (
        f"source '/tft/finance' is not the owner of {topic} ('/tft/test')"
    )


async def _equals(value, expected) -> bool:
    return await value == expected
