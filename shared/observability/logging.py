"""Structured JSON logs: every line carries the service and the ids bound in its context."""

import logging
import sys

import structlog
from structlog.contextvars import bind_contextvars, get_contextvars, merge_contextvars

REQUEST_ID = "request_id"
CORRELATION_ID = "correlation_id"


def configure_logging(service: str, level: str = "INFO") -> None:
    logging.basicConfig(format="%(message)s", stream=sys.stdout, level=level.upper())
    structlog.configure(
        processors=[
            merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )
    bind_contextvars(service=service)


def current_correlation_id() -> str | None:
    return get_contextvars().get(CORRELATION_ID)


def current_request_id() -> str | None:
    return get_contextvars().get(REQUEST_ID)


log = structlog.get_logger()
