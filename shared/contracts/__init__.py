"""Versioned integration events: the only types services exchange over Kafka."""

# Importing the modules registers their contracts.
from shared.contracts import bookings, directory, events, finance, loans, notify  # noqa: E402,F401
from shared.contracts.base import (
    IntegrationEvent,
    UnknownEventType,
    advertised_types,
    parse_event,
    registered_types,
)

__all__ = [
    "IntegrationEvent",
    "UnknownEventType",
    "advertised_types",
    "parse_event",
    "registered_types",
]
