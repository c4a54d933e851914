"""Reads of notify that are more than one row: the announcements sent, with how their
messages fared."""

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notify.store import Announcement, Notification


@dataclass
class Sent:
    announcement: Announcement
    deliveries: dict[str, int] = field(default_factory=dict)  # delivery state -> messages
    read: int = 0


async def announcements(session: AsyncSession, limit: int, offset: int) -> list[Sent]:
    """The latest announcements first, each with its messages counted by delivery state."""
    rows = await session.scalars(
        select(Announcement)
        .order_by(Announcement.sent_at.desc(), Announcement.id)
        .limit(limit)
        .offset(offset)
    )
    return await counted(session, list(rows))


async def counted(session: AsyncSession, rows: list[Announcement]) -> list[Sent]:
    """Each announcement with its messages counted by delivery state, and those read."""
    sent = {str(a.id): Sent(a) for a in rows}
    counts = await session.execute(
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
