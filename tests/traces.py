"""An OTLP/HTTP trace collector for the end-to-end tests: the services export their spans to
it as they would to a real one, and it keeps them in memory, by trace."""

import gzip
import threading
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span as SpanMessage


@dataclass(frozen=True)
class CollectedSpan:
    service: str
    name: str
    kind: str  # SERVER, PRODUCER, CONSUMER, ...
    span_id: str
    parent_id: str
    attributes: dict[str, Any]

    @property
    def event_type(self) -> str | None:
        return self.attributes.get("cloudevents.event_type")


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


def _attributes(pairs: "list[KeyValue] | Any") -> dict[str, Any]:
    return {pair.key: _value(pair.value) for pair in pairs}


class TraceCollector:
    """Listens on a free loopback port; `endpoint` is what OTEL_EXPORTER_OTLP_ENDPOINT says."""

    def __init__(self) -> None:
        self._traces: dict[str, list[CollectedSpan]] = defaultdict(list)
        self._lock = threading.Lock()
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                collector.receive(ExportTraceServiceRequest.FromString(body))
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_args: Any) -> None:
                pass  # one line per export is noise in the test output

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def receive(self, request: ExportTraceServiceRequest) -> None:
        for resource in request.resource_spans:
            service = _attributes(resource.resource.attributes).get("service.name", "")
            for scope in resource.scope_spans:
                for span in scope.spans:
                    collected = CollectedSpan(
                        service=service,
                        name=span.name,
                        kind=SpanMessage.SpanKind.Name(span.kind).removeprefix("SPAN_KIND_"),
                        span_id=span.span_id.hex(),
                        parent_id=span.parent_span_id.hex(),
                        attributes=_attributes(span.attributes),
                    )
                    with self._lock:
                        self._traces[span.trace_id.hex()].append(collected)

    def trace(self, trace_id: str) -> list[CollectedSpan]:
        with self._lock:
            return list(self._traces.get(trace_id, ()))
