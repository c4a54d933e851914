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
from services.notify.settings import NotifySettings
from shared.contracts.base import IntegrationEvent
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handlers, handle
from shared.service import Runtime


async def apply(
    notify: Notify, session: AsyncSession, event: IntegrationEvent, envelope: Envelope
) -> None:
    now = notify.clock.now()
    for draft in drafts_for(event):
        # A message told once for a series has the series booking as its source, so the
        # store's one-message-per-source guard holds it to one whatever the order.
        source = draft.once_for or envelope.id
        if draft.once_for and await commands.told(session, draft, source):
            continue
        await commands.record_message(
            notify, session, draft, draft.once_for or envelope.subject, source, envelope.type, now
        )
    about = reminders_ended_by(event)
    if about is not None:
        await commands.end_reminders(session, about)
    for plan in reminders_for(event):
        await commands.keep_reminder(session, plan, event, now)
    for plan in reminders_moved_by(event):
        await commands.move_reminder(session, plan, event, now)
    await session.flush()


def handlers(rt: Runtime[NotifySettings]) -> Handlers:
    notify = notify_of(rt)

    async def record(session: AsyncSession, event: IntegrationEvent, envelope: Envelope) -> None:
        await apply(notify, session, event, envelope)

    async def keep_organisation(
        session: AsyncSession, event: directory.OrganisationEvent, envelope: Envelope
    ) -> None:
        await directory.keep_organisation(session, event, notify.clock.now())

    async def keep_person(
        session: AsyncSession, event: directory.PersonEvent, envelope: Envelope
    ) -> None:
        await directory.keep_person(session, event, notify.clock.now())

    found: Handlers = {}
    for contract in HANDLED:
        found |= handle(contract, record)
    for organisation_event in directory.ORGANISATION_EVENTS:
        found |= handle(organisation_event, keep_organisation)
    for person_event in directory.PERSON_EVENTS:
        found |= handle(person_event, keep_person)
    return found
