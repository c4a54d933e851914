from datetime import UTC, datetime, timedelta
from uuid import RFC_4122, UUID, uuid4

import pytest
from pydantic import ValidationError

from shared.contracts import UnknownEventType, parse_event
from shared.contracts.base import IntegrationEvent, parse_event_json, upcaster
from shared.contracts.bookings import BookingCompletedV2, BookingConfirmedV1
from shared.contracts.common import Group
from shared.messaging.envelope import Envelope, EnvelopeError, new_ids


def confirmed() -> BookingConfirmedV1:
    starts = datetime(2026, 12, 10, 9, tzinfo=UTC)
    return BookingConfirmedV1(
        booking_id=uuid4(),
        session_id=uuid4(),
        offering_id="robotica",
        offering_title="Robotica",
        school_id="corlaer",
        group={"name": "3B", "level": "vmbo-kb", "year": 3, "students": 20},
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        location="Hotspot",
    )


def test_envelope_round_trips_through_kafka_headers():
    envelope = Envelope.new(
        type="nl.tisfortech.x.y.happened.v1",
        source="/tft/x",
        subject="42",
        correlation_id="corr-1",
        request_id="req-1",
        traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    )
    back = Envelope.from_headers(envelope.to_headers())
    assert back == envelope


def test_envelope_headers_follow_cloudevents_binary_mode():
    headers = dict(Envelope.new(type="t", source="/s", subject="1").to_headers())
    assert headers["ce_specversion"] == b"1.0"
    assert {"ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", "correlation_id"} <= set(
        headers
    )


def test_correlation_defaults_to_the_event_id():
    envelope = Envelope.new(type="t", source="/s", subject="1")
    assert envelope.correlation_id == envelope.id


@pytest.mark.parametrize("drop", ["ce_id", "ce_type", "ce_source"])
def test_missing_required_header_is_an_envelope_error(drop):
    headers = [
        (k, v)
        for k, v in Envelope.new(type="t", source="/s", subject="1").to_headers()
        if k != drop
    ]
    with pytest.raises(EnvelopeError, match=drop):
        Envelope.from_headers(headers)


def test_parse_validates_and_keys_by_aggregate():
    event = confirmed()
    parsed = parse_event(event.event_type, event.model_dump(mode="json"))
    assert parsed == event
    assert parsed.key() == str(event.booking_id)


def test_a_json_payload_parses_as_its_dict_does():
    event = confirmed()
    assert parse_event_json(event.event_type, event.model_dump_json().encode()) == event
    with pytest.raises(ValidationError):
        parse_event_json(event.event_type, b"not json")


def test_event_ids_made_together_are_distinct_random_uuids():
    ids = new_ids(1000)
    assert len(set(ids)) == 1000
    for text in ids:
        parsed = UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4 and parsed.variant == RFC_4122


def test_parse_refuses_unknown_types_and_bad_payloads():
    with pytest.raises(UnknownEventType):
        parse_event("nl.tisfortech.nothing.here.v1", {})
    with pytest.raises(ValidationError):
        parse_event(BookingConfirmedV1.event_type, {"booking_id": "nope"})


def test_an_old_version_is_upcast_to_the_current_contract():
    class ThingNamedV2(IntegrationEvent):
        event_type = "nl.tisfortech.tests.thing.named.v2"
        topic = "tft.tests.thing"
        key_field = "thing_id"
        thing_id: str
        title: str

    @upcaster("nl.tisfortech.tests.thing.named.v1", ThingNamedV2.event_type)
    def rename(old: dict) -> dict:
        return {"thing_id": old["id"], "title": old["name"]}

    parsed = parse_event("nl.tisfortech.tests.thing.named.v1", {"id": "7", "name": "Robot"})
    assert parsed == ThingNamedV2(thing_id="7", title="Robot")
    raw = b'{"id": "7", "name": "Robot"}'  # as the inbox reads it: upcast from the bytes too
    assert parse_event_json("nl.tisfortech.tests.thing.named.v1", raw) == parsed


def test_a_version_1_completion_reads_as_version_2_with_the_core_task_it_meant():
    v2 = BookingCompletedV2(
        booking_id=uuid4(),
        session_id=uuid4(),
        offering_id="mk-robotica",
        offering_title="Masterklas Robotica",
        school_id="corlaer",
        group=Group(name="3B", level="vmbo-kb", year=3, students=20),
        starts_at=datetime(2026, 12, 3, 9, tzinfo=UTC),
        ends_at=datetime(2026, 12, 3, 11, tzinfo=UTC),
        location="Hotspot",
        delivered_minutes=120,
        instructor_minutes=120,
        students_reached=20,
        core_task="B",
    )
    v1 = "nl.tisfortech.bookings.booking.completed.v1"
    without = v2.model_dump(mode="json", exclude={"core_task"})

    assert parse_event(v1, without) == v2.model_copy(update={"core_task": "A"})
    assert parse_event(v1, v2.model_dump(mode="json")) == v2
    with pytest.raises(ValidationError):  # a new one must say it
        parse_event(BookingCompletedV2.event_type, without)
