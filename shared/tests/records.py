"""Kafka records as a consumer receives them, for tests that feed a consumer directly."""

from aiokafka import ConsumerRecord

from shared.messaging.envelope import Envelope


def consumer_record(
    topic: str, key: str, value: bytes, envelope: Envelope, offset: int = 0
) -> ConsumerRecord:
    return ConsumerRecord(
        topic=topic,
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=key.encode(),
        value=value,
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=0,
        headers=envelope.to_headers(),
    )
