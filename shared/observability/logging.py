"""Structured JSON logs: every line, ours or a library's, carries the service and context ids
(and the trace's, when tracing is on)."""

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from opentelemetry import trace
from structlog.contextvars import bind_contextvars, get_contextvars, merge_contextvars
from structlog.typing import EventDict, Processor

REQUEST_ID = "request_id"
CORRELATION_ID = "correlation_id"
# A logger binds its processors once, on first use: fast, but a test that captures logs
# (structlog.testing.capture_logs) after a service logged would capture nothing. The test
# suite turns it off before anything logs (conftest.py).
CACHE_LOGGERS = True


def add_trace_ids(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> EventDict:
    """The trace and span a line was written in, when tracing is on: an operator goes from a
    log line to its trace, and from a trace to its lines."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event.setdefault("trace_id", f"{context.trace_id:032x}")
        event.setdefault("span_id", f"{context.span_id:016x}")
    return event


_SHARED: list[Processor] = [
    merge_contextvars,
    add_trace_ids,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*_SHARED, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=CACHE_LOGGERS,
    )
    bind_contextvars(service=service)


def current_correlation_id() -> str | None:
    return get_contextvars().get(CORRELATION_ID)


def current_request_id() -> str | None:
    return get_contextvars().get(REQUEST_ID)


log = structlog.get_logger()
