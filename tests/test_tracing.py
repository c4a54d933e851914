"""One booking is one trace: from the request at the gateway through bookings, its outbox,
Kafka and loans' answer back to bookings, to every consumer of the confirmation, exported
over OTLP to a collector, on PostgreSQL and a real Kafka broker."""

import os
from contextlib import suppress

import httpx
import pytest

from shared.contracts.bookings import BookingConfirmedV1, SessionEquipmentRequestedV1
from shared.contracts.loans import SessionEquipmentReservedV1
from tests.harness import Platform, eventually
from tests.test_saga import booking_in, equipped_session
from tests.traces import CollectedSpan, TraceCollector

pytestmark = pytest.mark.integration

# A saga day of this test's own (test_saga.py uses the first few), so its kit is free.
TRACED_DAY = 11
REQUESTED = SessionEquipmentRequestedV1.event_type
RESERVED = SessionEquipmentReservedV1.event_type
CONFIRMED = BookingConfirmedV1.event_type


def span(spans: list[CollectedSpan], service: str, name: str, event_type: str | None = None):
    """The one span of `service` by that name (and about that event type), if it came."""
    found = [
        s
        for s in spans
        if s.service == service
        and s.name == name
        and (event_type is None or s.event_type == event_type)
    ]
    assert len(found) <= 1, found
    return found[0] if found else None


# What the booking's trace holds, by service, span name and the event it is about: the
# request, bookings' equipment request, loans' answer, bookings' confirmation, and the
# confirmation read by notify and finance.
EXPECTED = [
    ("gateway", "POST /bookings", None),  # the route as the gateway names it in its metrics
    ("bookings", "POST /bookings", None),
    ("bookings", "create tft.bookings.booking", REQUESTED),
    ("loans", "process tft.bookings.booking", REQUESTED),
    ("loans", "create tft.loans.reservation", RESERVED),
    ("bookings", "process tft.loans.reservation", RESERVED),
    ("bookings", "create tft.bookings.booking", CONFIRMED),
    ("notify", "process tft.bookings.booking", CONFIRMED),
    ("finance", "process tft.bookings.booking", CONFIRMED),
]


def test_a_booking_is_one_trace_from_the_gateway_through_kafka_to_every_consumer(
    platform: Platform, traces: TraceCollector
):
    session = equipped_session(platform, ["robot"], nth_day=TRACED_DAY)
    # The test is the caller: its sampled `traceparent` asks the platform to record.
    trace_id, root = os.urandom(16).hex(), os.urandom(8).hex()
    created = httpx.post(
        f"{platform.gateway}/bookings",
        headers={**platform.token("corlaer"), "traceparent": f"00-{trace_id}-{root}-01"},
        json={
            "session_id": session["id"],
            "group": {"name": "3T", "level": "vmbo-kb", "year": 3, "students": 20},
        },
    )
    assert created.status_code == 201, created.text
    eventually(lambda: booking_in(platform, "corlaer", created.json()["id"], "confirmed"))

    with suppress(AssertionError):  # a span missing is named below
        eventually(lambda: not missing(traces.trace(trace_id)), timeout=60)
    spans = traces.trace(trace_id)
    assert not missing(spans), sorted((s.service, s.name, s.event_type or "") for s in spans)
    [gateway, served, requested, loans, reserved, answered, confirmed, notify, finance] = [
        span(spans, *expected) for expected in EXPECTED
    ]
    # The request: the test's span, the gateway's, the bookings service's.
    assert (gateway.kind, gateway.parent_id) == ("SERVER", root)
    assert (served.kind, served.parent_id) == ("SERVER", gateway.span_id)
    # Bookings writes the equipment request to its outbox; the relay sends it under that.
    assert (requested.kind, requested.parent_id) == ("PRODUCER", served.span_id)
    assert eventually(lambda: sent_under(traces.trace(trace_id), requested))
    # Loans continues the trace from the message's header, and answers within it...
    assert (loans.kind, loans.parent_id) == ("CONSUMER", requested.span_id)
    assert loans.attributes["messaging.consumer.group.name"] == "loans"
    assert reserved.parent_id == loans.span_id
    # ...which bookings reads, and confirms the booking in the same trace.
    assert (answered.kind, answered.parent_id) == ("CONSUMER", reserved.span_id)
    assert confirmed.parent_id == answered.span_id
    # Notify tells the school; finance reads the confirmation and has nothing to do with it.
    assert notify.parent_id == confirmed.span_id and notify.attributes["tft.event.applied"]
    assert finance.parent_id == confirmed.span_id
    assert finance.attributes["tft.event.applied"] is False
    # One tree: every span hangs from another of the trace, the gateway's from the test.
    ids = {s.span_id for s in spans} | {root}
    assert [s for s in spans if s.parent_id not in ids] == []


def missing(spans: list[CollectedSpan]) -> list[tuple[str, str, str | None]]:
    return [expected for expected in EXPECTED if not span(spans, *expected)]


def sent_under(spans: list[CollectedSpan], created: CollectedSpan) -> bool:
    """The relay's send of the event `created` wrote, under its span."""
    return any(s.parent_id == created.span_id and s.name.startswith("send ") for s in spans)
