"""Internal HTTP API of notify: the in-app inbox of the caller's organisation, marking read,
preferences, and the failed notifications for the backoffice."""

from datetime import UTC, datetime, time
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from services.notify import commands
from services.notify import preferences as rules
from services.notify.store import DeliveryState, Notification
from shared.contracts.common import Limit, Offset
from shared.contracts.requests.notify import PreferencesIn, QuietHoursIn
from shared.domain import BACKOFFICE
from shared.http import Caller, Problem, current_caller
from shared.service import Runtime


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    organisation_id: str
    message_type: str
    category: str
    critical: bool
    subject: str
    body: str
    about: str
    source_event_id: str
    created_at: datetime
    read_at: datetime | None
    # Delivery: pending (waiting for its moment or a retry), delivered, failed or opted_out.
    state: str
    channel: str
    digest: bool
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str | None


class PreferencesOut(PreferencesIn):
    organisation_id: str


def _out(recipient: str, chosen: rules.Preferences) -> PreferencesOut:
    quiet = chosen.quiet_hours
    return PreferencesOut(
        organisation_id=recipient, channels=dict(chosen.channels),  # type: ignore[arg-type]
        opted_out=sorted(chosen.opted_out), digest=chosen.digest,  # type: ignore[arg-type]
        quiet_hours=QuietHoursIn(start=quiet.start, end=quiet.end) if quiet else None)


def _rules(body: PreferencesIn) -> rules.Preferences:
    quiet = body.quiet_hours
    return rules.Preferences(
        channels=dict(body.channels), opted_out=frozenset(body.opted_out), digest=body.digest,
        quiet_hours=rules.QuietHours(_minute(quiet.start), _minute(quiet.end)) if quiet else None)


def _minute(moment: time) -> time:
    return moment.replace(second=0, microsecond=0, tzinfo=None)


def routes(rt: Runtime) -> APIRouter:
    router = APIRouter()
    assert rt.db is not None
    db = rt.db

    @router.get("/notifications", response_model=list[NotificationOut])
    async def notifications(limit: Limit = 50, offset: Offset = 0,
                            who: Caller = Depends(current_caller)):
        async with db.sessions() as tx:
            rows = await tx.scalars(
                select(Notification)
                .where(Notification.organisation_id == who.organisation)
                .order_by(Notification.created_at.desc(), Notification.id)
                .limit(limit).offset(offset)
            )
            return list(rows)

    @router.get("/notifications/failed", response_model=list[NotificationOut])
    async def failed(limit: Limit = 50, offset: Offset = 0,
                     who: Caller = Depends(current_caller)):
        who.require(BACKOFFICE)
        async with db.sessions() as tx:
            rows = await tx.scalars(
                select(Notification).where(Notification.state == DeliveryState.FAILED)
                .order_by(Notification.created_at.desc(), Notification.id)
                .limit(limit).offset(offset))
            return list(rows)

    @router.get("/notifications/preferences", response_model=PreferencesOut)
    async def my_preferences(who: Caller = Depends(current_caller)):
        async with db.sessions() as tx:
            return _out(who.organisation, await commands.preferences_of(tx, who.organisation))

    @router.put("/notifications/preferences", response_model=PreferencesOut)
    async def set_preferences(body: PreferencesIn, who: Caller = Depends(current_caller)):
        chosen = _rules(body)
        async with db.transaction() as tx:
            await commands.save_preferences(tx, who.organisation, chosen, datetime.now(UTC))
        return _out(who.organisation, chosen)

    @router.post("/notifications/{notification_id}/read", response_model=NotificationOut)
    async def mark_read(notification_id: UUID, who: Caller = Depends(current_caller)):
        async with db.transaction() as tx:
            message = await tx.get(Notification, notification_id, with_for_update=True)
            if message is None or message.organisation_id != who.organisation:
                raise Problem(404, "Not Found", "dit bericht staat niet in je inbox")
            message.read_at = message.read_at or datetime.now(UTC)
            return message

    return router
