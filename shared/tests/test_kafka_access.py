"""Who may do what on the real broker: it authenticates every client (SASL/SCRAM) and allows
only what the ACLs derived from the topics' owners and `SUBSCRIPTIONS` grant."""

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    TopicAuthorizationFailedError,
)

from shared.contracts.topics import BOOKING, DECLARATION, SUBSCRIPTIONS, dead_letter_topic
from shared.messaging.connection import KafkaConnection

pytestmark = pytest.mark.integration

QUICK = {"request_timeout_ms": 5000}


async def send(kafka: KafkaConnection, topic: str) -> None:
    producer = AIOKafkaProducer(**kafka.options(), **QUICK)
    try:
        await producer.start()
        await producer.send_and_wait(topic, b"{}", key=b"probe")
    finally:
        await producer.stop()


async def fetch(kafka: KafkaConnection, topic: str, group: str | None = None) -> list[bytes]:
    """The topic's values from its start, read in `group` or (when None) by assignment, which
    touches no group. Assigned, aiokafka keeps retrying a topic the broker refuses: that is
    read as nothing within a few seconds, and refused when the broker said so."""
    consumer = AIOKafkaConsumer(
        *([topic] if group else []),
        **kafka.options(),
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        **QUICK,
    )
    try:
        await consumer.start()
        if group is None:
            consumer.assign([TopicPartition(topic, p) for p in range(3)])
        batches = await consumer.getmany(timeout_ms=3000)
        if topic in consumer._client.cluster.unauthorized_topics:
            raise TopicAuthorizationFailedError(topic)
        return [r.value for records in batches.values() for r in records]
    finally:
        await consumer.stop()


async def test_an_anonymous_client_can_list_read_and_write_nothing(kafka):
    anonymous = kafka.admin.anonymous()
    admin = AIOKafkaAdminClient(**anonymous.options(), **QUICK)
    with pytest.raises(KafkaConnectionError):
        try:
            await admin.start()
            await admin.list_topics()
        finally:
            await admin.close()
    with pytest.raises(KafkaConnectionError):
        await send(anonymous, BOOKING)
    with pytest.raises(KafkaConnectionError):
        await fetch(anonymous, BOOKING)


async def test_a_wrong_password_is_refused(kafka):
    impostor = KafkaConnection(kafka.bootstrap, "bookings", "not-the-password")
    with pytest.raises(KafkaConnectionError):
        await send(impostor, BOOKING)


async def test_finance_cannot_publish_on_a_bookings_topic_but_on_its_own(kafka):
    finance = kafka.connection("finance")
    with pytest.raises(TopicAuthorizationFailedError):
        await send(finance, BOOKING)
    await send(finance, DECLARATION)


async def test_a_service_reads_only_the_topics_it_consumes(kafka):
    await send(kafka.connection("finance"), DECLARATION)
    assert DECLARATION not in SUBSCRIPTIONS["loans"]
    with pytest.raises(TopicAuthorizationFailedError):
        await fetch(kafka.connection("loans"), DECLARATION)
    assert DECLARATION in SUBSCRIPTIONS["notify"]
    assert b"{}" in await fetch(kafka.connection("notify"), DECLARATION)


async def test_a_service_cannot_consume_in_another_services_group(kafka):
    with pytest.raises(GroupAuthorizationFailedError):
        await fetch(kafka.connection("notify"), DECLARATION, group="finance")


async def test_a_consumer_dead_letters_on_the_topics_it_reads_and_no_others(kafka):
    loans = kafka.connection("loans")
    await send(loans, dead_letter_topic(BOOKING))
    with pytest.raises(TopicAuthorizationFailedError):
        await send(loans, dead_letter_topic(DECLARATION))
