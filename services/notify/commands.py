"""State changes of notify: record a message with its delivery plan, keep reminders, change
preferences. Each runs in the caller's transaction."""

import json
from dataclasses import asdict, dataclass
from datetime import datetime, time
from functools import cache
from uuid import uuid4

from prometheus_client import CollectorRegistry, Counter
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notify import directory
from services.notify import preferences as rules
from services.notify.audience import Audience, check_reaches_someone
from services.notify.domain import Draft, ReminderPlan, people_concerned
from services.notify.rendering import render, render_draft
from services.notify.settings import NotifySettings
from services.notify.store import (
    ORGANISATION_INBOX,
    Announcement,
    DeliveryState,
    Notification,
    Preference,
    Reminder,
    ReminderState,
)
from shared.clock import Clock
from shared.contracts.base import IntegrationEvent, parse_event
from shared.messaging.outbox import Outbox
from shared.service import Runtime
from shared.store.db import Database
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
    """What notify's handlers and periodic tasks work with: the runtime's parts and clock."""

    db: Database
    outbox: Outbox
    settings: NotifySettings
    metrics: NotifyMetrics
    clock: Clock


@cache
def notify_of(rt: Runtime) -> Notify:
    """The one Notify of a service process (its handlers and periodic tasks share it)."""
    assert rt.db is not None and rt.outbox is not None
    assert isinstance(rt.settings, NotifySettings)
    return Notify(rt.db, rt.outbox, rt.settings, metrics_for(rt.metrics.registry), rt.clock)


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


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


async def preferences_of(session: AsyncSession, person_id: str) -> rules.Preferences:
    return to_rules(await session.get(Preference, person_id))


async def save_preferences(
    session: AsyncSession, person_id: str, chosen: rules.Preferences, now: datetime
) -> None:
    rules.validate(chosen)
    await claim(session, Preference, person_id=person_id)
    row = await session.get(Preference, person_id, with_for_update=True)
    if row is None:
        row = Preference(person_id=person_id)
        session.add(row)
    quiet = chosen.quiet_hours
    row.channels, row.opted_out = dict(chosen.channels), sorted(chosen.opted_out)
    row.digest, row.updated_at = chosen.digest, now
    row.quiet_start = _hhmm(quiet.start if quiet else None)
    row.quiet_end = _hhmm(quiet.end if quiet else None)


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
    session: AsyncSession,
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
    session.add(
        Notification(
            id=uuid4(),
            person_id=ORGANISATION_INBOX,
            created_at=now,
            attempts=0,
            on_fallback=False,
            state=DeliveryState.DELIVERED,
            channel=rules.IN_APP,
            digest=False,
            delivered_at=now,
            **asdict(message),
        )
    )
    members = await directory.members(session, draft.organisation_id)
    for person_id in people_concerned(draft, members):
        await send_to_person(notify, session, message, person_id, now)


async def send_to_person(
    notify: Notify, session: AsyncSession, message: Message, person_id: str, now: datetime
) -> Notification:
    """The message to one person, with its delivery plan from their preferences."""
    plan = rules.plan(
        await preferences_of(session, person_id), message.category, message.critical, now
    )
    personal = Notification(
        id=uuid4(),
        person_id=person_id,
        created_at=now,
        attempts=0,
        on_fallback=False,
        state=DeliveryState.OPTED_OUT if plan is None else DeliveryState.PENDING,
        channel=rules.IN_APP if plan is None else plan.channel,
        digest=plan is not None and plan.digest,
        next_attempt_at=None if plan is None else plan.not_before,
        **asdict(message),
    )
    session.add(personal)
    if plan is not None and plan.not_before > now:
        notify.metrics.delayed.labels(plan.channel).inc()
    return personal


ANNOUNCEMENT_SOURCE = "nl.tisfortech.notify.announcement"


async def send_announcement(
    notify: Notify,
    session: AsyncSession,
    sender: str,
    audience: Audience,
    title: str,
    body: str,
    now: datetime,
) -> Announcement:
    """The announcement, and its message to each active person in its audience: always in
    their inbox, and on their channel for announcements unless they opted out of them."""
    audience.check(await directory.organisation_ids(session) if audience.organisations else ())
    people = [
        p
        for p in await directory.active_people(session)
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
    session.add(announcement)
    subject, text = render("announcement", title=title, body=body)
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
        await send_to_person(notify, session, message, person.id, now)
    return announcement


async def told(session: AsyncSession, draft: Draft, source_id: str) -> bool:
    """Whether the organisation already has this message from this source."""
    return (
        await session.scalar(
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
    session: AsyncSession, plan: ReminderPlan, event: IntegrationEvent, now: datetime
) -> None:
    """Store a reminder once: a second event about the same thing (another line on the same
    declaration) adds nothing."""
    due = plan.scheduled_at(now)
    if due is None:
        return
    exists = await session.scalar(
        select(Reminder.id).where(
            Reminder.message_type == plan.message_type,
            Reminder.about == plan.about,
            Reminder.organisation_id == plan.recipient,
        )
    )
    if exists is None:
        session.add(
            Reminder(
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
        )


async def move_reminder(
    session: AsyncSession, plan: ReminderPlan, moved: IntegrationEvent, now: datetime
) -> None:
    """A kept reminder whose lesson moved: due for the new time, and telling it."""
    reminder = await session.scalar(
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


async def end_reminders(session: AsyncSession, about: str) -> None:
    await session.execute(
        update(Reminder)
        .where(Reminder.about == about, Reminder.state == ReminderState.PENDING)
        .values(state=ReminderState.ENDED)
    )


def reminder_source(reminder: Reminder) -> IntegrationEvent:
    return parse_event(reminder.source_event_type, json.loads(reminder.source_payload))
