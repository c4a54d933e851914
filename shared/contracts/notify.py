"""Events of the notify service (topic `tft.notify.notification`)."""

from uuid import UUID

from shared.contracts.base import IntegrationEvent
from shared.contracts.topics import NOTIFICATION


class NotificationFailedV1(IntegrationEvent):
    """A message could not be delivered on any channel it was allowed: never dropped
    silently, the backoffice sees it (also in `GET /api/v1/notifications/failed`)."""

    event_type = "nl.tisfortech.notify.notification.failed.v1"
    topic = NOTIFICATION
    key_field = "notification_id"

    notification_id: UUID
    organisation_id: str
    message_type: str
    source_event_id: str
    channels_tried: list[str]
    person_id: str | None = None  # the person it was for (None: before messages had one)
    attempts: int
    last_error: str
