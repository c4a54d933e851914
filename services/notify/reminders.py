"""The periodic reminder run: each due reminder becomes its message in one transaction with
its own state change, so a run killed half-way leaves each reminder either sent (its message
recorded) or pending (sent by the next run): never lost, never twice."""

from sqlalchemy import select

from services.notify.commands import Notify, notify_of, record_message, reminder_source
from services.notify.domain import Draft
from services.notify.store import Reminder, ReminderState
from shared.observability.logging import log
from shared.periodic import Periodic
from shared.service import Runtime

REMINDER_SOURCE = "nl.tisfortech.notify.reminder"


async def send_due_reminders(notify: Notify) -> int:
    """Turn every due reminder into its message; returns how many were sent."""
    sent = 0
    while (outcome := await _next(notify)) is not None:
        sent += outcome
    return sent


async def _next(notify: Notify) -> int | None:
    """Handle the first due reminder: 1 if sent, 0 if expired, None if none is due."""
    now, db = notify.clock.now(), notify.db
    query = (
        select(Reminder)
        .where(Reminder.state == ReminderState.PENDING, Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(1)
    )
    if db.is_postgres:
        query = query.with_for_update(skip_locked=True)
    async with db.writing() as tx:
        reminder = await tx.scalar(query)
        if reminder is None:
            return None
        if now >= reminder.deadline:  # notify was down past it: too late to be of use
            reminder.state = ReminderState.EXPIRED
            return 0
        draft = Draft(reminder.organisation_id, reminder.message_type, reminder_source(reminder))
        await record_message(
            notify, tx, draft, reminder.about, str(reminder.id), REMINDER_SOURCE, now
        )
        reminder.state = ReminderState.SENT
        return 1


async def remind_forever(rt: Runtime) -> None:
    notify = notify_of(rt)

    async def run() -> None:
        sent = await send_due_reminders(notify)
        if sent:
            log.info("reminders sent", count=sent)

    poll = notify.settings.notify_reminder_poll_seconds
    await Periodic(run, poll, "reminder run failed").run()  # store down: the next round
