"""The periodic dispatcher: sends what is pending and due, one message (or one digest) per
transaction, retrying with backoff, falling back to the next channel, and telling the
messages that cannot be delivered as NotificationFailedV1. The state is in the database, so
a restart only delays a delivery. A crash after a mail left but before its commit sends it
again with the same Message-ID (at-least-once to the SMTP server)."""

import asyncio
from datetime import datetime
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notify.channels import Channel, Email, InApp, Outgoing, Webhook
from services.notify.commands import Notify, notify_of
from services.notify.domain import render
from services.notify.preferences import (
    EMAIL,
    FALLBACK,
    IN_APP,
    WEBHOOK,
    FallBack,
    Retry,
    after_failure,
)
from services.notify.settings import NotifySettings
from services.notify.store import DeliveryState, Notification
from shared.contracts.notify import NotificationFailedV1
from shared.observability.logging import log
from shared.service import Runtime

_ORIGINAL = {fallback: channel for channel, fallback in FALLBACK.items()}


def channels_from(settings: NotifySettings) -> dict[str, Channel]:
    return {
        EMAIL: Email(settings.notify_smtp_host, settings.notify_smtp_port,
                     settings.notify_smtp_timeout_seconds),
        WEBHOOK: Webhook(settings.notify_webhook_url, settings.notify_webhook_secret,
                         settings.notify_smtp_timeout_seconds),
        IN_APP: InApp(),
    }


class Dispatcher:
    def __init__(self, notify: Notify, channels: dict[str, Channel]) -> None:
        self.notify = notify
        self.channels = channels

    async def run_forever(self) -> None:
        poll = self.notify.settings.notify_dispatch_poll_seconds
        try:
            while True:
                try:
                    await self.dispatch_due()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # store down: the next round tries again
                    log.warning("dispatching notifications failed", error=repr(exc))
                await asyncio.sleep(poll)
        finally:
            for channel in self.channels.values():
                await channel.close()

    async def dispatch_due(self) -> int:
        """Deliver everything due now; returns how many sends were made."""
        sends = 0
        while await self.deliver_next():
            sends += 1
        return sends

    async def deliver_next(self) -> bool:
        db, now = self.notify.db, self.notify.clock()
        async with db.sessions() as session, session.begin():
            first = await session.scalar(self._due(db.is_postgres, now).limit(1))
            if first is None:
                return False
            group = [first]
            if first.digest:  # everything else due for the same digest goes with it
                group += (await session.scalars(self._due(db.is_postgres, now).where(
                    Notification.digest.is_(True),
                    Notification.organisation_id == first.organisation_id,
                    Notification.channel == first.channel, Notification.id != first.id,
                ))).all()
            await self._send(session, group, now)
        return True

    @staticmethod
    def _due(locking: bool, now: datetime):
        query = (select(Notification)
                 .where(Notification.state == DeliveryState.PENDING,
                        Notification.next_attempt_at <= now)
                 .order_by(Notification.next_attempt_at, Notification.id))
        # Several replicas may dispatch one store: each takes rows the others do not hold.
        return query.with_for_update(skip_locked=True) if locking else query

    async def _send(self, session: AsyncSession, group: list[Notification],
                    now: datetime) -> None:
        channel = group[0].channel
        try:
            await self.channels[channel].send(outgoing(group))
        except Exception as exc:
            log.warning("delivery failed", channel=channel, error=repr(exc),
                        notifications=[str(m.id) for m in group])
            for message in group:
                await self._failed(session, message, repr(exc)[:500], now)
            return
        for message in group:
            message.state, message.delivered_at = DeliveryState.DELIVERED, now
            message.attempts += 1
        self.notify.metrics.sent.labels(channel).inc(len(group))

    async def _failed(self, session: AsyncSession, message: Notification, error: str,
                      now: datetime) -> None:
        settings, metrics = self.notify.settings, self.notify.metrics
        message.attempts += 1
        message.last_error = error
        step = after_failure(message.channel, message.attempts, settings.notify_max_attempts,
                             settings.notify_backoff_seconds, now, message.on_fallback)
        if isinstance(step, Retry):
            message.next_attempt_at = step.at
            metrics.retried.labels(message.channel).inc()
            return
        metrics.failed.labels(message.channel).inc()
        if isinstance(step, FallBack):
            message.channel, message.on_fallback = step.channel, True
            message.attempts, message.next_attempt_at = 0, now
            return
        message.state = DeliveryState.FAILED
        tried = [_ORIGINAL[message.channel], message.channel] if message.on_fallback \
            else [message.channel]
        await self.notify.outbox.stage(session, NotificationFailedV1(
            notification_id=message.id, organisation_id=message.organisation_id,
            message_type=message.message_type, source_event_id=message.source_event_id,
            channels_tried=tried, attempts=message.attempts, last_error=error))
        log.error("notification failed on every channel", notification=str(message.id),
                  channels=tried)


def outgoing(group: list[Notification]) -> Outgoing:
    """One message, or the digest of several (with an id stable across retries)."""
    first = group[0]
    if len(group) == 1 and not first.digest:
        return Outgoing(first.id, first.organisation_id, first.message_type, first.subject,
                        first.body, first.critical)
    ordered = sorted(group, key=lambda m: (m.created_at, str(m.id)))
    subject, body = render("digest", messages=ordered)
    digest_id = uuid5(NAMESPACE_URL, "digest:" + ",".join(str(m.id) for m in ordered))
    return Outgoing(digest_id, first.organisation_id, "digest", subject, body)


async def dispatch_forever(rt: Runtime) -> None:
    notify = notify_of(rt)
    await Dispatcher(notify, channels_from(notify.settings)).run_forever()
