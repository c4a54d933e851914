"""CloudEvents 1.0 in Kafka binary mode: the envelope lives in headers, the value is JSON."""

import os
from dataclasses import dataclass
from datetime import datetime

from shared.clock import SYSTEM_CLOCK, Clock

SPEC_VERSION = "1.0"
CORRELATION_HEADER = "correlation_id"
REQUEST_HEADER = "request_id"
TRACEPARENT_HEADER = "traceparent"
CONTENT_TYPE = "application/json"


def new_ids(count: int) -> list[str]:
    """`count` random (version 4) UUIDs as text, from one read of the system's randomness:
    a tenth of the cost of `str(uuid4())` each, for the events of a unit of work."""
    raw = bytearray(os.urandom(16 * count))
    ids = []
    for i in range(0, 16 * count, 16):
        raw[i + 6] = raw[i + 6] & 0x0F | 0x40  # version 4
        raw[i + 8] = raw[i + 8] & 0x3F | 0x80  # the RFC 4122 variant
        h = raw[i : i + 16].hex()
        ids.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return ids


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
        event_id: str | None = None,
        time: datetime | None = None,
    ) -> "Envelope":
        """A new event's envelope; `event_id` and `time` when the caller made them for
        several events at once."""
        event_id = event_id or new_ids(1)[0]
        return cls(
            id=event_id,
            type=type,
            source=source,
            subject=subject,
            time=time or clock.now(),
            correlation_id=correlation_id or event_id,
            request_id=request_id,
            traceparent=traceparent,
        )

    def to_headers(self) -> list[tuple[str, bytes]]:
        return [(k, v.encode()) for k, v in self.header_values()]

    def header_values(self) -> list[tuple[str, str]]:
        """The headers as text, as the outbox keeps them."""
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
        return list(headers.items())

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
