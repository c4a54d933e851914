"""CloudEvents 1.0 in Kafka binary mode: the envelope lives in headers, the value is JSON."""

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from shared.clock import SYSTEM_CLOCK, Clock

SPEC_VERSION = "1.0"
CORRELATION_HEADER = "correlation_id"
REQUEST_HEADER = "request_id"
TRACEPARENT_HEADER = "traceparent"
CONTENT_TYPE = "application/json"


class EnvelopeError(ValueError):
    """A message without a valid CloudEvents envelope: it can never be processed."""


@dataclass(frozen=True)
class Envelope:
    id: str
    type: str
    source: str
    subject: str
    time: datetime
    correlation_id: str
    request_id: str | None = None
    # The W3C trace context the event was written in (shared/observability/tracing.py);
    # None while tracing is off.
    traceparent: str | None = None

    @classmethod
    def new(
        cls,
        type: str,
        source: str,
        subject: str,
        correlation_id: str | None = None,
        request_id: str | None = None,
        clock: Clock = SYSTEM_CLOCK,
        traceparent: str | None = None,
    ) -> "Envelope":
        event_id = str(uuid4())
        return cls(
            id=event_id,
            type=type,
            source=source,
            subject=subject,
            time=clock.now(),
            correlation_id=correlation_id or event_id,
            request_id=request_id,
            traceparent=traceparent,
        )

    def to_headers(self) -> list[tuple[str, bytes]]:
        headers = {
            "ce_specversion": SPEC_VERSION,
            "ce_id": self.id,
            "ce_source": self.source,
            "ce_type": self.type,
            "ce_time": self.time.isoformat(),
            "ce_subject": self.subject,
            "content-type": CONTENT_TYPE,
            CORRELATION_HEADER: self.correlation_id,
        }
        if self.request_id:
            headers[REQUEST_HEADER] = self.request_id
        if self.traceparent:
            headers[TRACEPARENT_HEADER] = self.traceparent
        return [(k, v.encode()) for k, v in headers.items()]

    @classmethod
    def from_headers(cls, headers: "list[tuple[str, bytes]] | tuple") -> "Envelope":
        values = {k: v.decode(errors="replace") for k, v in headers or ()}
        missing = [h for h in ("ce_id", "ce_type", "ce_source") if not values.get(h)]
        if missing:
            raise EnvelopeError(f"missing CloudEvents headers: {', '.join(missing)}")
        if values.get("ce_specversion") != SPEC_VERSION:
            raise EnvelopeError(f"unsupported ce_specversion {values.get('ce_specversion')!r}")
        try:
            time = datetime.fromisoformat(values.get("ce_time", ""))
        except ValueError as exc:
            raise EnvelopeError(f"invalid ce_time: {exc}") from exc
        return cls(
            id=values["ce_id"],
            type=values["ce_type"],
            source=values["ce_source"],
            subject=values.get("ce_subject", ""),
            time=time,
            correlation_id=values.get(CORRELATION_HEADER) or values["ce_id"],
            request_id=values.get(REQUEST_HEADER),
            traceparent=values.get(TRACEPARENT_HEADER),
        )
