"""Events of the events service (topic `tft.events.event`)."""

from datetime import datetime

from shared.contracts.base import IntegrationEvent
from shared.contracts.topics import EVENT


class EventScheduledV1(IntegrationEvent):
    event_type = "nl.tisfortech.events.event.scheduled.v1"
    topic = EVENT
    key_field = "event_id"

    event_id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    audience: list[str]
    capacity: int
    location: str = ""
