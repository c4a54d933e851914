"""Kafka handlers: record the messages and reminders an event causes, and keep the copy of
the directory, in the consumer's transaction (so the inbox makes them exactly once)."""

from sqlalchemy.ext.asyncio import AsyncSession

from services.notify import commands, directory
from services.notify.commands import Notify, notify_of
from services.notify.domain import (
    HANDLED,
    drafts_for,
    reminders_ended_by,
    reminders_for,
    reminders_moved_by,
)
from shared.contracts.base import IntegrationEvent
from shared.messaging.envelope import Envelope
from shared.service import Runtime


async def apply(notify: Notify, session: AsyncSession, event: IntegrationEvent,
                envelope: Envelope) -> None:
    now = notify.clock()
    for draft in drafts_for(event):
        # A message told once for a series has the series booking as its source, so the
        # store's one-message-per-source guard holds it to one whatever the order.
        source = draft.once_for or envelope.id
        if draft.once_for and await commands.told(session, draft, source):
            continue
        await commands.record_message(notify, session, draft, draft.once_for or envelope.subject,
                                      source, envelope.type, now)
    about = reminders_ended_by(event)
    if about is not None:
        await commands.end_reminders(session, about)
    for plan in reminders_for(event):
        await commands.keep_reminder(session, plan, event, now)
    for plan in reminders_moved_by(event):
        await commands.move_reminder(session, plan, event, now)
    await session.flush()


def handlers(rt: Runtime):
    notify = notify_of(rt)

    async def handle(session: AsyncSession, event: IntegrationEvent, envelope: Envelope):
        await apply(notify, session, event, envelope)

    async def keep_organisation(session: AsyncSession, event, envelope: Envelope):
        await directory.keep_organisation(session, event, notify.clock())

    async def keep_person(session: AsyncSession, event, envelope: Envelope):
        await directory.keep_person(session, event, notify.clock())

    return {**{contract: handle for contract in HANDLED},
            **{contract: keep_organisation for contract in directory.ORGANISATION_EVENTS},
            **{contract: keep_person for contract in directory.PERSON_EVENTS}}
