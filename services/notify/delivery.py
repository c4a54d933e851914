"""The dispatcher: claims what is pending and due in batches, sends each message (or
digest) and records the outcomes, a few per transaction while the next sends go out; retries
with backoff, falls back to the next channel, and tells the messages that cannot be delivered
as NotificationFailedV1. It runs when a commit makes messages due (in this process) and every
poll interval (for other replicas' messages, retries, quiet hours and digests). The state is
in the database, so a restart only delays a delivery (by the claim's lease). A crash after a
mail left but before its outcome was recorded sends it again, with the same Message-ID:
at-least-once to the SMTP server, and at most the last TFT_NOTIFY_UNRECORDED_SENDS sends
(16 by default: those under way and those whose outcome was not yet committed)."""

import asyncio
from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from services.notify import directory
from services.notify.channels import Channel, Email, InApp, Outgoing, Unreachable, Webhook
from services.notify.commands import Notify, notify_of
from services.notify.outcomes import Outcomes
from services.notify.preferences import (
    EMAIL,
    FALLBACK,
    IN_APP,
    WEBHOOK,
    FallBack,
    Retry,
    after_failure,
)
from services.notify.rendering import render
from services.notify.settings import NotifySettings
from services.notify.store import NOTIFICATIONS, DeliveryState, Notification
from shared.contracts.notify import NotificationFailedV1
from shared.observability.logging import log
from shared.periodic import Periodic
from shared.service import Runtime
from shared.store.db import one_of

_ORIGINAL = {fallback: channel for channel, fallback in FALLBACK.items()}


def channels_from(settings: NotifySettings) -> dict[str, Channel]:
    return {
        EMAIL: Email(
            settings.notify_smtp_host,
            settings.notify_smtp_port,
            settings.notify_channel_timeout_seconds,
            settings.notify_smtp_connections,
        ),
        WEBHOOK: Webhook(
            settings.notify_webhook_url,
            settings.notify_webhook_secret,
            settings.notify_channel_timeout_seconds,
        ),
        IN_APP: InApp(),
    }


Outcome = tuple[list[Notification], str | None]  # a message (or digest) sent, and its error


class Dispatcher:
    def __init__(self, notify: Notify, channels: dict[str, Channel]) -> None:
        self.notify = notify
        self.channels = channels
        self.outcomes = Outcomes(self._record, notify.settings.notify_unrecorded_sends)

    async def run_forever(self) -> None:
        poll = self.notify.settings.notify_dispatch_poll_seconds
        runner = Periodic(self.dispatch_due, poll, "dispatching notifications failed")
        self.notify.dispatchers.append(runner.wake)  # a commit of due messages wakes it
        try:  # store down: the next round tries again
            await runner.run()
        finally:
            self.notify.dispatchers.remove(runner.wake)
            for channel in self.channels.values():
                await channel.close()

    async def dispatch_due(self) -> int:
        """Deliver everything due now; returns how many sends were made. Sends on a channel
        overlap once one of this round has gone (up to the bound of unrecorded sends), and
        outcomes are recorded meanwhile: all of them before the next claim (a fallback due
        now goes out in this round) and before this returns. A channel found unreachable is
        not tried again in this round: its other messages fail alike, as they would have."""
        sends = 0
        unreachable: dict[str, str] = {}  # channel -> its error
        reached: set[str] = set()  # channels a send of this round went out on
        under_way: set[asyncio.Task[None]] = set()
        try:
            while True:
                await self.outcomes.recorded()
                claimed, addresses = await self._claim()
                if not claimed:
                    return sends
                for group in _groups(claimed):
                    address = addresses.get(group[0].person_id)
                    if address is None:
                        continue
                    await self.outcomes.room()
                    channel = group[0].channel
                    if channel in unreachable:
                        self.outcomes.add((group, unreachable[channel]))
                        continue
                    sending = self._send(group, address, unreachable, reached)
                    if channel in reached:
                        under_way.add(task := asyncio.create_task(sending))
                        task.add_done_callback(under_way.discard)
                    else:  # the round's first on its channel: is the server there at all?
                        await sending
                    sends += 1
                if under_way:
                    await asyncio.wait(under_way)
        finally:
            for task in under_way:
                task.cancel()
            if under_way:  # none outlives the round, to add an outcome after `abandon`
                await asyncio.wait(under_way)
            await self.outcomes.abandon()  # a crash: what is not recorded goes out again

    async def _claim(self) -> tuple[list[Notification], dict[str, str]]:
        """Take a batch of due messages (and the rest of any digest among them) by moving
        their next attempt a lease ahead: a crash leaves them due again when it runs out.
        With them, the address of each active person they are to; a deactivated person's
        messages are dropped instead."""
        db, now, settings = self.notify.db, self.notify.clock.now(), self.notify.settings
        lease = now + timedelta(seconds=settings.notify_dispatch_lease_seconds)
        async with db.writing() as tx:
            claimed = list(
                await tx.scalars(
                    self._due(db.is_postgres, now).limit(settings.notify_dispatch_batch_size)
                )
            )
            digests = {(m.person_id, m.channel) for m in claimed if m.digest}
            for person_id, channel in digests:  # a digest goes out whole
                claimed += (
                    await tx.scalars(
                        self._due(db.is_postgres, now).where(
                            Notification.digest.is_(True),
                            Notification.person_id == person_id,
                            Notification.channel == channel,
                            Notification.id.not_in([m.id for m in claimed]),
                        )
                    )
                ).all()
            addresses = await directory.addresses(tx, (m.person_id for m in claimed))
            leased = [m for m in claimed if m.person_id in addresses]
            dropped = [m.id for m in claimed if m.person_id not in addresses]
            await self._set(tx, [m.id for m in leased], next_attempt_at=lease)
            await self._set(tx, dropped, state=DeliveryState.DROPPED, next_attempt_at=None)
        for message in leased:  # as written: a failure's next attempt is compared with it
            set_committed_value(message, "next_attempt_at", lease)
        return claimed, addresses

    async def _set(self, tx: AsyncSession, ids: list[UUID], **values: object) -> None:
        """Change these messages in one statement, rather than one each by the unit of
        work."""
        if ids:
            await tx.execute(
                update(NOTIFICATIONS)
                .where(one_of(NOTIFICATIONS.c.id, ids, self.notify.db.is_postgres))
                .values(**values)
            )

    @staticmethod
    def _due(locking: bool, now: datetime):
        query = (
            select(Notification)
            .where(Notification.state == DeliveryState.PENDING, Notification.next_attempt_at <= now)
            .order_by(Notification.next_attempt_at, Notification.id)
        )
        # Several replicas may dispatch one store: each takes rows the others do not hold.
        return query.with_for_update(skip_locked=True) if locking else query

    async def _send(
        self,
        group: list[Notification],
        address: str,
        unreachable: dict[str, str],
        reached: set[str],
    ) -> None:
        """Send one message (or digest) and add its outcome: None when it went, else why
        not. The channel is noted in `reached`, or in `unreachable` if it could not be."""
        channel = group[0].channel
        try:
            await self.channels[channel].send(outgoing(group, address))
        except Exception as exc:
            log.warning(
                "delivery failed",
                channel=channel,
                error=repr(exc),
                notifications=[str(m.id) for m in group],
            )
            error = repr(exc)[:500]
            if isinstance(exc, Unreachable):
                unreachable[channel] = error
            self.outcomes.add((group, error))
        else:
            reached.add(channel)
            self.outcomes.add((group, None))

    async def _record(self, outcomes: list[Outcome]) -> None:
        """The outcomes of several sends in one transaction: the delivered in one UPDATE."""
        now = self.notify.clock.now()
        delivered = [m for group, error in outcomes if error is None for m in group]
        async with self.notify.db.writing() as tx:
            await self._set(
                tx,
                [m.id for m in delivered],
                state=DeliveryState.DELIVERED,
                delivered_at=now,
                attempts=NOTIFICATIONS.c.attempts + 1,
            )
            for group, error in outcomes:
                if error is not None:
                    tx.add_all(group)  # claimed and committed: only the changes are written
                    for message in group:
                        await self._failed(tx, message, error, now)
        for message in delivered:
            self.notify.metrics.sent.labels(message.channel).inc()

    async def _failed(
        self, tx: AsyncSession, message: Notification, error: str, now: datetime
    ) -> None:
        settings, metrics = self.notify.settings, self.notify.metrics
        message.attempts += 1
        message.last_error = error
        step = after_failure(
            message.channel,
            message.attempts,
            settings.notify_max_attempts,
            settings.notify_backoff_seconds,
            now,
            message.on_fallback,
        )
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
        tried = (
            [_ORIGINAL[message.channel], message.channel]
            if message.on_fallback
            else [message.channel]
        )
        await self.notify.outbox.stage(
            tx,
            NotificationFailedV1(
                notification_id=message.id,
                organisation_id=message.organisation_id,
                person_id=message.person_id,
                message_type=message.message_type,
                source_event_id=message.source_event_id,
                channels_tried=tried,
                attempts=message.attempts,
                last_error=error,
            ),
        )
        log.error(
            "notification failed on every channel", notification=str(message.id), channels=tried
        )


def _groups(claimed: list[Notification]) -> list[list[Notification]]:
    """Each message alone, except a person's digest messages on one channel together."""
    singles = [[m] for m in claimed if not m.digest]
    digests: dict[tuple[str, str], list[Notification]] = {}
    for message in claimed:
        if message.digest:
            digests.setdefault((message.person_id, message.channel), []).append(message)
    return singles + list(digests.values())


def outgoing(group: list[Notification], address: str) -> Outgoing:
    """One message, or the digest of several (with an id stable across retries), to the
    person at `address`."""
    first = group[0]
    if len(group) == 1 and not first.digest:
        return Outgoing(
            first.id,
            first.person_id,
            address,
            first.message_type,
            first.subject,
            first.body,
            first.created_at,
            first.critical,
        )
    ordered = sorted(group, key=lambda m: (m.created_at, str(m.id)))
    subject, body = render("digest", messages=ordered)
    digest_id = uuid5(NAMESPACE_URL, "digest:" + ",".join(str(m.id) for m in ordered))
    newest = ordered[-1].created_at
    return Outgoing(digest_id, first.person_id, address, "digest", subject, body, newest)


async def dispatch_forever(rt: Runtime) -> None:
    notify = notify_of(rt)
    await Dispatcher(notify, channels_from(notify.settings)).run_forever()
