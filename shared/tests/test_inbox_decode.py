"""How the consumer classifies what it receives, without Kafka or a database."""

from types import SimpleNamespace

import pytest

from shared.contracts.bookings import BookingConfirmedV1, OfferingPublishedV1
from shared.errors import is_transient
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import EventConsumer, PoisonMessage
from shared.observability.metrics import Metrics
from shared.tests.test_envelope_and_contracts import confirmed

TOPIC = "tft.bookings.booking"
SOURCE = "/tft/bookings"  # the topic's owner


async def _no_handler(*_):
    return None


def consumer() -> EventConsumer:
    return EventConsumer(
        name="test",
        topics=[TOPIC],
        handlers={BookingConfirmedV1: _no_handler},
        db=None,
        inbox=None,
        metrics=Metrics(),
        dlt_producer=None,
    )


def record(value: bytes, headers) -> SimpleNamespace:
    return SimpleNamespace(
        value=value, headers=headers, topic=TOPIC, partition=0, offset=1, key=b"k"
    )


def test_a_handled_event_is_decoded_with_its_envelope():
    event = confirmed()
    envelope = Envelope.new(type=event.event_type, source=SOURCE, subject=event.subject())
    delivery = consumer().decode(record(event.model_dump_json().encode(), envelope.to_headers()))
    assert delivery.event == event and delivery.envelope == envelope


def test_a_known_event_this_consumer_does_not_handle_is_skipped():
    envelope = Envelope.new(type=OfferingPublishedV1.event_type, source=SOURCE, subject="x")
    assert consumer().decode(record(b"{}", envelope.to_headers())) is None


@pytest.mark.parametrize(
    "value, headers, reason",
    [
        (b"{}", [], "missing CloudEvents headers"),
        (
            b"not json",
            Envelope.new(
                type=BookingConfirmedV1.event_type, source=SOURCE, subject="1"
            ).to_headers(),
            "invalid payload",
        ),
        (
            b"{}",
            Envelope.new(type="nl.tisfortech.x.y.z.v9", source=SOURCE, subject="1").to_headers(),
            "unknown event type",
        ),
    ],
)
def test_undecodable_messages_are_poison(value, headers, reason):
    with pytest.raises(PoisonMessage, match=reason):
        consumer().decode(record(value, headers))


@pytest.mark.parametrize("source", ["/tft/finance", "/tft/bookings/x", "bookings"])
def test_an_event_from_another_source_than_the_topics_owner_is_poison(source):
    event = confirmed()
    envelope = Envelope.new(type=event.event_type, source=source, subject="1")
    with pytest.raises(PoisonMessage, match="is not the owner of tft.bookings.booking"):
        consumer().decode(record(event.model_dump_json().encode(), envelope.to_headers()))


def test_an_unhandled_event_from_another_source_is_poison_too():
    envelope = Envelope.new(type=OfferingPublishedV1.event_type, source="/tft/loans", subject="x")
    with pytest.raises(PoisonMessage, match="'/tft/loans' is not the owner"):
        consumer().decode(record(b"{}", envelope.to_headers()))


def test_outages_are_transient_and_bugs_are_not():
    from sqlalchemy.exc import OperationalError

    assert is_transient(OperationalError("select 1", {}, ConnectionRefusedError()))
    assert is_transient(ConnectionRefusedError())
    assert not is_transient(ValueError("bad data"))
    assert not is_transient(KeyError("x"))
