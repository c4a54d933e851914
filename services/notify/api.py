"""Internal HTTP API of notify: the caller's in-app inbox (their own messages and their
organisation's), marking read, their preferences, the failed notifications for the
backoffice, and announcements."""

from datetime import datetime, time
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, field_validator
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from services.notify import commands, queries
from services.notify import preferences as rules
from services.notify.audience import Audience, may_send
from services.notify.commands import notify_of
from services.notify.store import ORGANISATION_INBOX, DeliveryState, Notification, Preference
from shared.contracts.common import Limit, Offset
from shared.contracts.requests.notify import AnnouncementIn, PreferencesIn, QuietHoursIn
from shared.domain import BACKOFFICE, Refused
from shared.http import Caller, current_caller
from shared.service import Runtime
from shared.store.versions import tag_defaults


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    organisation_id: str
    # The person it is to; null for a message in the organisation's inbox.
    person_id: str | None = None
    message_type: str
    category: str
    critical: bool
    subject: str
    body: str
    about: str
    source_event_id: str
    created_at: datetime
    read_at: datetime | None
    # Delivery: pending (waiting for its moment or a retry), delivered, failed, opted_out or
    # dropped (its person was deactivated first).
    state: str
    channel: str
    digest: bool
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str | None

    @field_validator("person_id", mode="before")
    @classmethod
    def _organisation_inbox(cls, value: str | None) -> str | None:
        return value or None


class AnnouncementOut(BaseModel):
    id: UUID
    title: str
    body: str
    organisations: list[str]
    kinds: list[str]
    roles: list[str]
    sent_by: str
    sent_at: datetime
    recipients: int
    # Its messages by delivery state (delivered, pending, opted_out, ...), and how many read.
    deliveries: dict[str, int]
    read: int


def _announcement(sent: queries.Sent) -> AnnouncementOut:
    a = sent.announcement
    return AnnouncementOut(
        id=a.id,
        title=a.title,
        body=a.body,
        organisations=a.organisations,
        kinds=a.kinds,
        roles=a.roles,
        sent_by=a.sent_by,
        sent_at=a.sent_at,
        recipients=a.recipients,
        deliveries=sent.deliveries,
        read=sent.read,
    )


class PreferencesOut(PreferencesIn):
    organisation_id: str
    person_id: str  # preferences are the person's own


def _out(who: Caller, chosen: rules.Preferences) -> PreferencesOut:
    quiet = chosen.quiet_hours
    return PreferencesOut(
        organisation_id=who.organisation,
        person_id=who.actor,
        channels=dict(chosen.channels),  # type: ignore[arg-type]
        opted_out=sorted(chosen.opted_out),  # type: ignore[arg-type]
        digest=chosen.digest,  # type: ignore[arg-type]
        quiet_hours=QuietHoursIn(start=quiet.start, end=quiet.end) if quiet else None,
    )


def _rules(body: PreferencesIn) -> rules.Preferences:
    quiet = body.quiet_hours
    return rules.Preferences(
        channels={str(k): str(v) for k, v in body.channels.items()},
        opted_out=frozenset(body.opted_out),
        digest=body.digest,
        quiet_hours=rules.QuietHours(_minute(quiet.start), _minute(quiet.end)) if quiet else None,
    )


def _minute(moment: time) -> time:
    return moment.replace(second=0, microsecond=0, tzinfo=None)


def inbox_of(who: Caller):
    """The caller's messages and their organisation's, each once: a message both to the
    organisation and to the caller is shown as the caller's own."""
    own = aliased(Notification)
    also_own = exists().where(
        own.person_id == who.actor,
        own.source_event_id == Notification.source_event_id,
        own.message_type == Notification.message_type,
    )
    return or_(
        Notification.person_id == who.actor,
        and_(
            Notification.organisation_id == who.organisation,
            Notification.person_id == ORGANISATION_INBOX,
            ~also_own,
        ),
    )


def readable_by(message: Notification, who: Caller) -> bool:
    if message.person_id == ORGANISATION_INBOX:
        return message.organisation_id == who.organisation
    return message.person_id == who.actor


def routes(rt: Runtime) -> APIRouter:
    router = APIRouter()
    assert rt.db is not None
    db = rt.db

    @router.get("/notifications", response_model=list[NotificationOut])
    async def notifications(
        limit: Limit = 50, offset: Offset = 0, who: Caller = Depends(current_caller)
    ):
        async with db.sessions() as tx:
            rows = await tx.scalars(
                select(Notification)
                .where(inbox_of(who))
                .order_by(Notification.created_at.desc(), Notification.id)
                .limit(limit)
                .offset(offset)
            )
            return list(rows)

    @router.get("/notifications/failed", response_model=list[NotificationOut])
    async def failed(limit: Limit = 50, offset: Offset = 0, who: Caller = Depends(current_caller)):
        who.require(BACKOFFICE)
        async with db.sessions() as tx:
            rows = await tx.scalars(
                select(Notification)
                .where(Notification.state == DeliveryState.FAILED)
                .order_by(Notification.created_at.desc(), Notification.id)
                .limit(limit)
                .offset(offset)
            )
            return list(rows)

    @router.get("/notifications/preferences", response_model=PreferencesOut)
    async def my_preferences(who: Caller = Depends(current_caller)):
        async with db.sessions() as tx:
            row = await tx.get(Preference, who.actor)
        tag_defaults(row)
        return _out(who, commands.to_rules(row))

    @router.put("/notifications/preferences", response_model=PreferencesOut)
    async def set_preferences(body: PreferencesIn, who: Caller = Depends(current_caller)):
        chosen = _rules(body)
        async with db.transaction() as tx:
            await commands.save_preferences(tx, who.actor, chosen, rt.clock.now())
        return _out(who, chosen)

    @router.post("/notifications/{notification_id}/read", response_model=NotificationOut)
    async def mark_read(notification_id: UUID, who: Caller = Depends(current_caller)):
        async with db.transaction() as tx:
            message = await tx.get(Notification, notification_id, with_for_update=True)
            if message is None or not readable_by(message, who):
                raise Refused("dit bericht staat niet in je inbox", 404)
            message.read_at = message.read_at or rt.clock.now()
            return message

    @router.post("/announcements", response_model=AnnouncementOut, status_code=201)
    async def announce(body: AnnouncementIn, who: Caller = Depends(current_caller)):
        may_send(who.role)
        audience = Audience(
            frozenset(body.organisations), frozenset(body.kinds), frozenset(body.roles)
        )
        async with db.transaction() as tx:
            sent = await commands.send_announcement(
                notify_of(rt), tx, who.actor, audience, body.title, body.body, rt.clock.now()
            )
            await tx.flush()
            [counted] = await queries.counted(tx, [sent])
        return _announcement(counted)

    @router.get("/announcements", response_model=list[AnnouncementOut])
    async def announcements(
        limit: Limit = 50, offset: Offset = 0, who: Caller = Depends(current_caller)
    ):
        may_send(who.role)
        async with db.sessions() as tx:
            return [_announcement(s) for s in await queries.announcements(tx, limit, offset)]

    return router
