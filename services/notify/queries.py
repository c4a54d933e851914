"""Reads of notify: the caller's inbox, the failed messages, the caller's preferences and
the announcements sent, with how their messages fared."""

from dataclasses import dataclass, field
from datetime import time

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from services.notify import preferences as rules
from services.notify.audience import may_send
from services.notify.store import (
    ORGANISATION_INBOX,
    Announcement,
    DeliveryState,
    Notification,
    Preference,
)
from shared.domain import BACKOFFICE
from shared.http import Caller
from shared.store.db import Database, read_once
from shared.store.versions import tag_defaults

PREFERENCES = "preferences"  # person -> preferences, as this unit of work read them


@dataclass
class Sent:
    announcement: Announcement
    deliveries: dict[str, int] = field(default_factory=dict)  # delivery state -> messages
    read: int = 0


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


async def _latest(db: Database, condition, limit: int, offset: int) -> list[Notification]:
    async with db.sessions() as tx:
        rows = await tx.scalars(
            select(Notification)
            .where(condition)
            .order_by(Notification.created_at.desc(), Notification.id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows)


async def inbox(db: Database, who: Caller, limit: int, offset: int) -> list[Notification]:
    """The caller's inbox, the latest first."""
    return await _latest(db, inbox_of(who), limit, offset)


async def failed(db: Database, who: Caller, limit: int, offset: int) -> list[Notification]:
    """The messages no channel could deliver, for the backoffice, the latest first."""
    who.require(BACKOFFICE)
    return await _latest(db, Notification.state == DeliveryState.FAILED, limit, offset)


def to_rules(row: Preference | None) -> rules.Preferences:
    if row is None:
        return rules.Preferences()
    quiet = None
    if row.quiet_start and row.quiet_end:
        quiet = rules.QuietHours(
            time.fromisoformat(row.quiet_start), time.fromisoformat(row.quiet_end)
        )
    return rules.Preferences(
        channels=dict(row.channels),
        opted_out=frozenset(row.opted_out),
        digest=row.digest,
        quiet_hours=quiet,
    )


async def preferences_of(tx: AsyncSession, person_id: str) -> rules.Preferences:
    """A person's preferences, read once per unit of work (one that saves them clears it)."""
    known = read_once(tx, PREFERENCES)
    if person_id not in known:
        known[person_id] = to_rules(await tx.get(Preference, person_id))
    return known[person_id]


async def preferences(db: Database, who: Caller) -> rules.Preferences:
    """The caller's own preferences (the defaults while they chose none)."""
    async with db.sessions() as tx:
        row = await tx.get(Preference, who.actor)
    tag_defaults(row)
    return to_rules(row)


async def announcements(db: Database, who: Caller, limit: int, offset: int) -> list[Sent]:
    """The latest announcements first, each with its messages counted by delivery state."""
    may_send(who.role)
    async with db.sessions() as tx:
        rows = await tx.scalars(
            select(Announcement)
            .order_by(Announcement.sent_at.desc(), Announcement.id)
            .limit(limit)
            .offset(offset)
        )
        return await counted(tx, list(rows))


async def counted(tx: AsyncSession, rows: list[Announcement]) -> list[Sent]:
    """Each announcement with its messages counted by delivery state, and those read."""
    sent = {str(a.id): Sent(a) for a in rows}
    counts = await tx.execute(
        select(
            Notification.about, Notification.state, func.count(), func.count(Notification.read_at)
        )
        .where(Notification.message_type == "announcement", Notification.about.in_(sent))
        .group_by(Notification.about, Notification.state)
    )
    for about, state, messages, read in counts:
        sent[about].deliveries[state] = messages
        sent[about].read += read
    return list(sent.values())
