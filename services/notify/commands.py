"""State changes of notify: record a message with its delivery plan, keep reminders, change
preferences. Each runs in the caller's transaction."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cache
from uuid import uuid4

from prometheus_client import CollectorRegistry, Counter
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notify import preferences as rules
from services.notify.domain import Draft, ReminderPlan
from services.notify.settings import NotifySettings
from services.notify.store import (
    DeliveryState,
    Notification,
    Preference,
    Reminder,
    ReminderState,
)
from shared.contracts.base import IntegrationEvent, parse_event
from shared.messaging.outbox import Outbox
from shared.service import Runtime
from shared.store.db import Database

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


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
    """What notify's handlers and periodic tasks work with; tests pass their own clock."""

    db: Database
    outbox: Outbox
    settings: NotifySettings
    metrics: NotifyMetrics
    clock: Clock = system_clock


@cache
def notify_of(rt: Runtime) -> Notify:
    """The one Notify of a service process (its handlers and periodic tasks share it)."""
    assert rt.db is not None and rt.outbox is not None
    assert isinstance(rt.settings, NotifySettings)
    return Notify(rt.db, rt.outbox, rt.settings, metrics_for(rt.metrics.registry))


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def to_rules(row: Preference | None) -> rules.Preferences:
    if row is None:
        return rules.Preferences()
    quiet = None
    if row.quiet_start and row.quiet_end:
        quiet = rules.QuietHours(time.fromisoformat(row.quiet_start),
                                 time.fromisoformat(row.quiet_end))
    return rules.Preferences(channels=dict(row.channels), opted_out=frozenset(row.opted_out),
                             digest=row.digest, quiet_hours=quiet)


async def preferences_of(session: AsyncSession, recipient: str) -> rules.Preferences:
    return to_rules(await session.get(Preference, recipient))


async def save_preferences(session: AsyncSession, recipient: str, chosen: rules.Preferences,
                           now: datetime) -> None:
    rules.validate(chosen)
    row = await session.get(Preference, recipient, with_for_update=True)
    if row is None:
        row = Preference(organisation_id=recipient)
        session.add(row)
    quiet = chosen.quiet_hours
    row.channels, row.opted_out = dict(chosen.channels), sorted(chosen.opted_out)
    row.digest, row.updated_at = chosen.digest, now
    row.quiet_start = _hhmm(quiet.start if quiet else None)
    row.quiet_end = _hhmm(quiet.end if quiet else None)


async def record_message(notify: Notify, session: AsyncSession, draft: Draft, about: str,
                         source_id: str, source_type: str, now: datetime) -> Notification:
    """The message and its delivery plan, from the recipient's preferences."""
    subject, body = draft.render()
    critical = draft.is_critical(now)
    plan = rules.plan(await preferences_of(session, draft.organisation_id), draft.category,
                      critical, now)
    message = Notification(
        id=uuid4(), organisation_id=draft.organisation_id, message_type=draft.message_type,
        subject=subject, body=body, about=about, source_event_id=source_id,
        source_event_type=source_type, created_at=now, category=draft.category,
        critical=critical, attempts=0, on_fallback=False,
        state=DeliveryState.OPTED_OUT if plan is None else DeliveryState.PENDING,
        channel=rules.IN_APP if plan is None else plan.channel,
        digest=plan is not None and plan.digest,
        next_attempt_at=None if plan is None else plan.not_before,
    )
    session.add(message)
    if plan is not None and plan.not_before > now:
        notify.metrics.delayed.labels(plan.channel).inc()
    return message


async def told(session: AsyncSession, draft: Draft, source_id: str) -> bool:
    """Whether the recipient already has this message from this source."""
    return await session.scalar(select(Notification.id).where(
        Notification.source_event_id == source_id,
        Notification.message_type == draft.message_type,
        Notification.organisation_id == draft.organisation_id)) is not None


async def keep_reminder(session: AsyncSession, plan: ReminderPlan, event: IntegrationEvent,
                        now: datetime) -> None:
    """Store a reminder once: a second event about the same thing (another line on the same
    declaration) adds nothing."""
    due = plan.scheduled_at(now)
    if due is None:
        return
    exists = await session.scalar(select(Reminder.id).where(
        Reminder.message_type == plan.message_type, Reminder.about == plan.about,
        Reminder.organisation_id == plan.recipient))
    if exists is None:
        session.add(Reminder(
            id=uuid4(), message_type=plan.message_type, organisation_id=plan.recipient,
            about=plan.about, due_at=due, deadline=plan.deadline,
            source_event_type=event.event_type, source_payload=event.model_dump_json(),
            state=ReminderState.PENDING, created_at=now))


async def move_reminder(session: AsyncSession, plan: ReminderPlan, moved: IntegrationEvent,
                        now: datetime) -> None:
    """A kept reminder whose lesson moved: due for the new time, and telling it."""
    reminder = await session.scalar(select(Reminder).where(
        Reminder.message_type == plan.message_type, Reminder.about == plan.about,
        Reminder.organisation_id == plan.recipient, Reminder.state == ReminderState.PENDING))
    due = plan.scheduled_at(now)
    if reminder is None or due is None:
        return
    source = json.loads(reminder.source_payload)
    source.update(moved.model_dump(mode="json", include={"starts_at", "ends_at"}))
    reminder.source_payload = json.dumps(source)
    reminder.due_at, reminder.deadline = due, plan.deadline


async def end_reminders(session: AsyncSession, about: str) -> None:
    await session.execute(
        update(Reminder).where(Reminder.about == about, Reminder.state == ReminderState.PENDING)
        .values(state=ReminderState.ENDED))


def reminder_source(reminder: Reminder) -> IntegrationEvent:
    return parse_event(reminder.source_event_type, json.loads(reminder.source_payload))
