"""Events of the notify service (topic `tft.notify.notification`)."""

from uuid import UUID

from shared.contracts.base import IntegrationEvent
from shared.contracts.topics import NOTIFICATION


class NotificationRecordedV1(IntegrationEvent):
    event_type = "nl.tisfortech.notify.notification.recorded.v1"
    topic = NOTIFICATION
    key_field = "notification_id"

    notification_id: UUID
    organisation_id: str
    message_type: str
    source_event_id: str
