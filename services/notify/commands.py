"""State changes of notify: record a message with its delivery plan, keep reminders, change
preferences. Each runs in the caller's transaction."""

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, time
from functools import cache
from uuid import UUID, uuid4

from prometheus_client import CollectorRegistry, Counter
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notify import directory, queries
from services.notify import preferences as rules
from services.notify.audience import Audience, check_reaches_someone, may_send
from services.notify.domain import (
    Draft,
    ReminderPlan,
    drafts_for,
    people_concerned,
    reminders_ended_by,
    reminders_for,
    reminders_moved_by,
)
from services.notify.rendering import render, render_draft
from services.notify.settings import NotifySettings
from services.notify.store import (
    NOTIFICATIONS,
    ORGANISATION_INBOX,
    REMINDERS,
    Announcement,
    DeliveryState,
    Notification,
    Preference,
    Reminder,
    ReminderState,
)
from shared.clock import Clock
from shared.contracts.base import IntegrationEvent, parse_event
from shared.domain import Refused
from shared.http import Caller
from shared.messaging.envelope import Envelope
from shared.messaging.outbox import Outbox
from shared.service import Runtime
from shared.store.db import Database, after_commit, insert_for, read_once
from shared.store.versions import claim


class NotifyMetrics:
    """Per channel: messages sent, channels given up on, retries, and messages delayed (quiet
    hours or digest)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        def counter(name: str, doc: str) -> Counter:
            return Counter(f"tft_notify_{name}", doc, ["channel"], registry=registry)

        self.sent = counter("sent", "Messages delivered")
        self.failed = counter("failed", "Messages a channel gave up on (fallback or failure)")
        self.retried = counter("retried", "Delivery attempts that failed and will be retried")
        self.delayed = counter("delayed", "Messages held back by quiet hours or the digest")


@cache
def metrics_for(registry: CollectorRegistry) -> NotifyMetrics:
    """One set of counters per registry (the handlers and the periodic tasks share it)."""
    return NotifyMetrics(registry)


@dataclass(frozen=True)
class Notify:
    """What notify's handlers and periodic tasks work with: the runtime's parts and clock,
    and the wake-ups of this process's dispatchers."""

    db: Database
    outbox: Outbox
    settings: NotifySettings
    metrics: NotifyMetrics
    clock: Clock
    dispatchers: list[Callable[[], None]] = field(default_factory=list, compare=False)

    def wake_after_commit(self, tx: AsyncSession) -> None:
        """`tx` makes messages due now: once it commits, this process's dispatchers send them
        rather than at their next poll (other replicas' find them when they poll)."""
        for wake in self.dispatchers:
            after_commit(tx, wake)


@cache
def notify_of(rt: Runtime) -> Notify:
    """The one Notify of a service process (its handlers and periodic tasks share it)."""
    assert rt.db is not None and rt.outbox is not None
    assert isinstance(rt.settings, NotifySettings)
    return Notify(rt.db, rt.outbox, rt.settings, metrics_for(rt.metrics.registry), rt.clock)


async def apply_event(
    notify: Notify, tx: AsyncSession, event: IntegrationEvent, envelope: Envelope
) -> None:
    """The messages and reminders an event causes, in the consumer's transaction (so the
    inbox makes them exactly once)."""
    now = notify.clock.now()
    for draft in drafts_for(event):
        # A message told once for a series has the series booking as its source, so the
        # store's one-message-per-source guard holds it to one whatever the order.
        source = draft.once_for or envelope.id
        if draft.once_for and await told(tx, draft, source):
            continue
        await record_message(
            notify, tx, draft, draft.once_for or envelope.subject, source, envelope.type, now
        )
    about = reminders_ended_by(event)
    if about is not None:
        await end_reminders(tx, about)
    for plan in reminders_for(event):
        await keep_reminder(tx, plan, event, now)
    for plan in reminders_moved_by(event):
        await move_reminder(tx, plan, event, now)
    await tx.flush()


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


async def save_preferences(
    tx: AsyncSession, person_id: str, chosen: rules.Preferences, now: datetime
) -> None:
    rules.validate(chosen)
    await claim(tx, Preference, person_id=person_id)
    row = await tx.get(Preference, person_id, with_for_update=True)
    if row is None:
        row = Preference(person_id=person_id)
        tx.add(row)
    quiet = chosen.quiet_hours
    row.channels, row.opted_out = dict(chosen.channels), sorted(chosen.opted_out)
    row.digest, row.updated_at = chosen.digest, now
    row.quiet_start = _hhmm(quiet.start if quiet else None)
    row.quiet_end = _hhmm(quiet.end if quiet else None)
    read_once(tx, queries.PREFERENCES).pop(person_id, None)


async def set_preferences(notify: Notify, who: Caller, chosen: rules.Preferences) -> None:
    async with notify.db.transaction() as tx:
        await save_preferences(tx, who.actor, chosen, notify.clock.now())


async def mark_read(notify: Notify, who: Caller, notification_id: UUID) -> Notification:
    """Mark a message in the caller's inbox read; the first reading counts."""
    async with notify.db.transaction() as tx:
        message = await tx.get(Notification, notification_id, with_for_update=True)
        if message is None or not _readable_by(message, who):
            raise Refused("dit bericht staat niet in je inbox", 404)
        message.read_at = message.read_at or notify.clock.now()
        return message


def _readable_by(message: Notification, who: Caller) -> bool:
    if message.person_id == ORGANISATION_INBOX:
        return message.organisation_id == who.organisation
    return message.person_id == who.actor


@dataclass(frozen=True)
class Message:
    """What one message says, whoever it goes to."""

    organisation_id: str
    message_type: str
    category: str
    critical: bool
    subject: str
    body: str
    about: str
    source_event_id: str
    source_event_type: str


async def record_message(
    notify: Notify,
    tx: AsyncSession,
    draft: Draft,
    about: str,
    source_id: str,
    source_type: str,
    now: datetime,
) -> None:
    """The message in its organisation's inbox and, planned by each one's preferences, to
    each active person it concerns."""
    subject, body = render_draft(draft)
    message = Message(
        draft.organisation_id,
        draft.message_type,
        draft.category,
        draft.is_critical(now),
        subject,
        body,
        about,
        source_id,
        source_type,
    )
    in_inbox = _row(message, ORGANISATION_INBOX, now, DeliveryState.DELIVERED, rules.IN_APP)
    in_inbox["delivered_at"] = now
    members = await directory.members(tx, draft.organisation_id)
    rows = [in_inbox] + [
        await _to_person(notify, tx, message, person_id, now)
        for person_id in people_concerned(draft, members)
    ]
    await _insert(tx, rows)


async def _to_person(
    notify: Notify, tx: AsyncSession, message: Message, person_id: str, now: datetime
) -> dict:
    """The row of the message to one person, with its delivery plan from their
    preferences."""
    plan = rules.plan(
        await queries.preferences_of(tx, person_id), message.category, message.critical, now
    )
    if plan is None:
        return _row(message, person_id, now, DeliveryState.OPTED_OUT, rules.IN_APP)
    if plan.not_before > now:
        notify.metrics.delayed.labels(plan.channel).inc()
    else:
        notify.wake_after_commit(tx)
    row = _row(message, person_id, now, DeliveryState.PENDING, plan.channel)
    row["digest"], row["next_attempt_at"] = plan.digest, plan.not_before
    return row


def _row(message: Message, person_id: str, now: datetime, state: str, channel: str) -> dict:
    return {
        "id": uuid4(),
        "person_id": person_id,
        "created_at": now,
        "attempts": 0,
        "on_fallback": False,
        "state": state,
        "channel": channel,
        "digest": False,
        "next_attempt_at": None,
        "delivered_at": None,
        **asdict(message),
    }


async def _insert(tx: AsyncSession, rows: list[dict]) -> None:
    """Messages in one statement, as plain rows: the ORM's unit of work for each was most of
    what recording a message cost."""
    await tx.execute(insert(NOTIFICATIONS), rows)


ANNOUNCEMENT_SOURCE = "nl.tisfortech.notify.announcement"


async def announce(
    notify: Notify, who: Caller, audience: Audience, title: str, body: str
) -> queries.Sent:
    """Send an announcement as the caller; it comes back with its messages counted."""
    may_send(who.role)
    async with notify.db.transaction() as tx:
        sent = await send_announcement(
            notify, tx, who.actor, audience, title, body, notify.clock.now()
        )
        await tx.flush()
        [counted] = await queries.counted(tx, [sent])
    return counted


async def send_announcement(
    notify: Notify,
    tx: AsyncSession,
    sender: str,
    audience: Audience,
    title: str,
    body: str,
    now: datetime,
) -> Announcement:
    """The announcement, and its message to each active person in its audience: always in
    their inbox, and on their channel for announcements unless they opted out of them."""
    audience.check(await directory.organisation_ids(tx) if audience.organisations else ())
    people = [
        p
        for p in await directory.active_people(tx)
        if audience.includes(p.organisation_id, p.kind, p.role)
    ]
    check_reaches_someone(len(people))
    announcement = Announcement(
        id=uuid4(),
        title=title,
        body=body,
        organisations=sorted(audience.organisations),
        kinds=sorted(audience.kinds),
        roles=sorted(audience.roles),
        sent_by=sender,
        sent_at=now,
        recipients=len(people),
    )
    tx.add(announcement)
    subject, text = render("announcement", title=title, body=body)
    rows = []
    for person in people:
        message = Message(
            person.organisation_id,
            "announcement",
            "announcements",
            False,
            subject,
            text,
            str(announcement.id),
            str(announcement.id),
            ANNOUNCEMENT_SOURCE,
        )
        rows.append(await _to_person(notify, tx, message, person.id, now))
    await _insert(tx, rows)
    return announcement


async def told(tx: AsyncSession, draft: Draft, source_id: str) -> bool:
    """Whether the organisation already has this message from this source."""
    return (
        await tx.scalar(
            select(Notification.id).where(
                Notification.source_event_id == source_id,
                Notification.message_type == draft.message_type,
                Notification.organisation_id == draft.organisation_id,
                Notification.person_id == ORGANISATION_INBOX,
            )
        )
        is not None
    )


async def keep_reminder(
    tx: AsyncSession, plan: ReminderPlan, event: IntegrationEvent, now: datetime
) -> None:
    """Store a reminder once: a second event about the same thing (another line on the same
    declaration) adds nothing."""
    due = plan.scheduled_at(now)
    if due is None:
        return
    await tx.execute(
        insert_for(tx)(REMINDERS)
        .values(
            id=uuid4(),
            message_type=plan.message_type,
            organisation_id=plan.recipient,
            about=plan.about,
            due_at=due,
            deadline=plan.deadline,
            source_event_type=event.event_type,
            source_payload=event.model_dump_json(),
            state=ReminderState.PENDING,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["message_type", "about", "organisation_id"])
    )


async def move_reminder(
    tx: AsyncSession, plan: ReminderPlan, moved: IntegrationEvent, now: datetime
) -> None:
    """A kept reminder whose lesson moved: due for the new time, and telling it."""
    reminder = await tx.scalar(
        select(Reminder).where(
            Reminder.message_type == plan.message_type,
            Reminder.about == plan.about,
            Reminder.organisation_id == plan.recipient,
            Reminder.state == ReminderState.PENDING,
        )
    )
    due = plan.scheduled_at(now)
    if reminder is None or due is None:
        return
    source = json.loads(reminder.source_payload)
    source.update(moved.model_dump(mode="json", include={"starts_at", "ends_at"}))
    reminder.source_payload = json.dumps(source)
    reminder.due_at, reminder.deadline = due, plan.deadline


async def end_reminders(tx: AsyncSession, about: str) -> None:
    await tx.execute(
        update(Reminder)
        .where(Reminder.about == about, Reminder.state == ReminderState.PENDING)
        .values(state=ReminderState.ENDED)
    )


def reminder_source(reminder: Reminder) -> IntegrationEvent:
    return parse_event(reminder.source_event_type, json.loads(reminder.source_payload))
