"""Kafka handlers: record the notifications an event causes, in the consumer's transaction."""

from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from services.notify.domain import HANDLED, drafts_for
from services.notify.store import Notification
from shared.contracts.base import IntegrationEvent
from shared.messaging.envelope import Envelope
from shared.service import Runtime


async def record_notifications(session: AsyncSession, event: IntegrationEvent,
                               envelope: Envelope) -> None:
    now = datetime.now(UTC)
    for draft in drafts_for(event):
        subject, body = draft.render()
        session.add(Notification(
            id=uuid4(), organisation_id=draft.organisation_id, message_type=draft.message_type,
            subject=subject, body=body, about=envelope.subject, source_event_id=envelope.id,
            source_event_type=envelope.type, created_at=now,
        ))
    await session.flush()


def handlers(_rt: Runtime):
    return {contract: record_notifications for contract in HANDLED}
