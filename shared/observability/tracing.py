"""Traces (OpenTelemetry): one trace from a request at the gateway through the services it
calls, their outboxes, Kafka and every consumer's effect.

The W3C trace context (`traceparent`) travels in HTTP headers and in each Kafka message's
headers: an event written to the outbox stores the context it was written in (a `create`
span) with its row, the relay puts that on the message (and times its `send` under it),
and a consumer continues it in a `process` span, so what a consumer writes to its own
outbox carries the same trace on.

Spans go to a collector over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` names one; the
SDK's other `OTEL_*` settings apply (`OTEL_TRACES_SAMPLER`, `OTEL_BSP_SCHEDULE_DELAY`, ...).
Without it tracing is off: no span is made and no trace context is carried on.
"""

import asyncio
import os
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from aiokafka import ConsumerRecord
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.trace import INVALID_SPAN, Span, SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation import set_span_in_context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from shared.messaging.envelope import TRACEPARENT_HEADER, Envelope

ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT"
W3C = TraceContextTextMapPropagator()
# Probes and scrapes: polled all day, never part of what a person did.
UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
KAFKA = {"messaging.system": "kafka"}


def traceparent(span: Span) -> str | None:
    """The W3C header naming `span` as the parent of what follows it; None when off."""
    carrier: dict[str, str] = {}
    W3C.inject(carrier, set_span_in_context(span))
    return carrier.get(TRACEPARENT_HEADER)


def inject(headers: dict[str, str]) -> None:
    """Add the current trace context to an outgoing request's headers."""
    W3C.inject(headers)


def _parent(header: str | None) -> Context:
    """The context a `traceparent` names (an empty one, a new trace, without it)."""
    return W3C.extract({TRACEPARENT_HEADER: header} if header else {})


class Tracing:
    """A service's tracer and the spans every service makes the same way. Each service
    process (or test) has its own, so several services in one process keep their names."""

    def __init__(self, service: str, exporter: SpanExporter | None = None) -> None:
        """Spans of `service` go to `exporter`; without one tracing is off."""
        self._provider: TracerProvider | None = None
        if exporter is not None:
            # The SDK's sampler, from OTEL_TRACES_SAMPLER: by default parent-based (a
            # caller's `traceparent` decides by its sampled flag), else every new trace.
            self._provider = TracerProvider(
                resource=Resource.create({"service.name": service}), shutdown_on_exit=False
            )
            self._provider.add_span_processor(BatchSpanProcessor(exporter))
        self.tracer: Tracer | None = self._provider.get_tracer("tft") if self._provider else None

    @classmethod
    def from_env(cls, service: str) -> "Tracing":
        """OTLP/HTTP to the collector `OTEL_EXPORTER_OTLP_ENDPOINT` names; else off."""
        if not os.environ.get(ENDPOINT_ENV):
            return cls(service)
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return cls(service, OTLPSpanExporter())

    @contextmanager
    def serving(self, scope: Mapping[str, Any]) -> Iterator[Span]:
        """A SERVER span, current for the request, continuing the caller's trace."""
        if self.tracer is None or scope["path"] in UNTRACED_PATHS:
            yield INVALID_SPAN
            return
        header = dict(scope["headers"]).get(b"traceparent")
        with self.tracer.start_as_current_span(
            scope["method"],
            context=_parent(header.decode("latin-1") if header else None),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": scope["method"], "url.path": scope["path"]},
        ) as span:
            yield span

    def created(self, topic: str, key: str, event_type: str) -> str | None:
        """A PRODUCER span for an event written to the outbox in the current context: the
        `traceparent` its message will carry."""
        if self.tracer is None:
            return None
        span = self.tracer.start_span(
            f"create {topic}",
            kind=SpanKind.PRODUCER,
            attributes={
                **KAFKA,
                "messaging.operation.type": "create",
                "messaging.destination.name": topic,
                "messaging.kafka.message.key": key,
                "cloudevents.event_type": event_type,
            },
        )
        span.end()
        return traceparent(span)

    def sending(self, topic: str, headers: list[tuple[str, str]]) -> Span:
        """A PRODUCER span for the relay's send of an outbox row, under the context the
        row's event was written in."""
        if self.tracer is None:
            return INVALID_SPAN
        values = dict(headers)
        return self.tracer.start_span(
            f"send {topic}",
            context=_parent(values.get(TRACEPARENT_HEADER)),
            kind=SpanKind.PRODUCER,
            attributes={
                **KAFKA,
                "messaging.operation.type": "send",
                "messaging.destination.name": topic,
                "messaging.message.id": values.get("ce_id", ""),
            },
        )

    def processing(
        self, group: str, record: ConsumerRecord, envelope: Envelope, applied: bool = True
    ) -> AbstractContextManager[Span]:
        """A CONSUMER span, current while the consumer applies the message, continuing the
        trace the message carries."""
        if self.tracer is None:
            return nullcontext(INVALID_SPAN)
        return self.tracer.start_as_current_span(
            f"process {record.topic}",
            context=_parent(envelope.traceparent),
            kind=SpanKind.CONSUMER,
            attributes={
                **KAFKA,
                "messaging.operation.type": "process",
                "messaging.destination.name": record.topic,
                "messaging.destination.partition.id": str(record.partition),
                "messaging.kafka.offset": record.offset,
                "messaging.consumer.group.name": group,
                "messaging.message.id": envelope.id,
                "cloudevents.event_type": envelope.type,
                "tft.event.applied": applied,
            },
        )

    def skipped(self, group: str, record: ConsumerRecord, envelope: Envelope) -> None:
        """A CONSUMER span for a message the consumer reads and moves past (no handler for
        its type): the trace shows that it got there and had nothing to do."""
        with self.processing(group, record, envelope, applied=False):
            pass

    async def shutdown(self) -> None:
        """Export what is still buffered (off the event loop: it waits for the collector)."""
        if self._provider is not None:
            await asyncio.to_thread(self._provider.shutdown)


def answered(span: Span, method: str, route: str, status: int) -> None:
    """Name a SERVER span by its route once routing found it, with the answer's status."""
    if not span.is_recording():
        return
    span.update_name(f"{method} {route}")
    span.set_attribute("http.route", route)
    span.set_attribute("http.response.status_code", status)
    if status >= 500:
        span.set_status(Status(StatusCode.ERROR))
        span.set_attribute("error.type", str(status))


def end_span(span: Span, error: BaseException | None = None) -> None:
    """End a span, failed if `error`."""
    if error is not None:
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
    span.end()


def end_span_when_done(span: Span, future: "asyncio.Future[Any]") -> None:
    """End a span when `future` is done (a `send` when Kafka acknowledged the message)."""
    if span.is_recording():
        future.add_done_callback(
            lambda done: end_span(span, None if done.cancelled() else done.exception())
        )


NO_TRACING = Tracing("off")  # for a part built without a service's tracing (a unit test)
