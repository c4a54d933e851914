"""The trace helpers on their own: off without a collector; on, a consumer continues the trace
its message carries into the events it writes. The whole path over Kafka is proven end to
end in tests/test_tracing.py."""

import os
from types import SimpleNamespace

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from shared.messaging.envelope import Envelope
from shared.observability import logging as logs
from shared.observability.tracing import ENDPOINT_ENV, Tracing

TRACE, CALLER = os.urandom(16).hex(), os.urandom(8).hex()
TRACEPARENT = f"00-{TRACE}-{CALLER}-01"
SCOPE = {"method": "POST", "path": "/bookings", "headers": [(b"traceparent", TRACEPARENT.encode())]}


def test_without_a_collector_tracing_is_off_and_writes_no_traceparent(monkeypatch):
    monkeypatch.delenv(ENDPOINT_ENV, raising=False)
    tracing = Tracing.from_env("bookings")
    with tracing.serving(SCOPE) as span:
        assert not span.is_recording()
        assert tracing.created("tft.bookings.booking", "1", "booked") is None


async def test_a_consumer_continues_the_trace_of_its_message_into_what_it_writes():
    exporter = InMemorySpanExporter()
    tracing = Tracing("loans", exporter)
    envelope = Envelope.new(
        type="requested", source="/tft/bookings", subject="1", traceparent=TRACEPARENT
    )
    message = SimpleNamespace(topic="tft.bookings.booking", partition=2, offset=7)
    with tracing.processing("loans", message, envelope):
        written = tracing.created("tft.loans.reservation", "1", "reserved")
    await tracing.shutdown()

    create, process = exporter.get_finished_spans()
    assert process.kind is SpanKind.CONSUMER and process.name == "process tft.bookings.booking"
    assert (f"{process.context.trace_id:032x}", f"{process.parent.span_id:016x}") == (TRACE, CALLER)
    assert create.kind is SpanKind.PRODUCER and create.parent.span_id == process.context.span_id
    assert written == f"00-{TRACE}-{create.context.span_id:016x}-01"


def test_a_line_logged_in_a_span_names_its_trace_and_span_and_others_do_not():
    tracing = Tracing("bookings", InMemorySpanExporter())
    with tracing.serving(SCOPE) as span:
        inside = logs.add_trace_ids(None, "info", {"event": "booked"})
    outside = logs.add_trace_ids(None, "info", {"event": "idle"})

    assert (inside["trace_id"], inside["span_id"]) == (
        TRACE,
        f"{span.get_span_context().span_id:016x}",
    )
    assert "trace_id" not in outside and "span_id" not in outside
    assert logs.add_trace_ids in logs._SHARED  # every line, ours and the libraries'
