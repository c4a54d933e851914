"""Kafka handlers: record the messages and reminders an event causes, and keep the copy of
the directory, in the consumer's transaction (so the inbox makes them exactly once)."""

from services.notify import commands, directory
from services.notify.commands import notify_of
from services.notify.domain import HANDLED
from services.notify.settings import NotifySettings
from shared.contracts.base import IntegrationEvent
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handlers, handle
from shared.service import Runtime
from shared.store.db import Tx


def handlers(rt: Runtime[NotifySettings]) -> Handlers:
    notify = notify_of(rt)

    async def record(tx: Tx, event: IntegrationEvent, envelope: Envelope) -> None:
        await commands.apply_event(notify, tx, event, envelope)

    async def keep_organisation(
        tx: Tx, event: directory.OrganisationEvent, envelope: Envelope
    ) -> None:
        await directory.keep_organisation(tx, event, notify.clock.now())

    async def keep_person(tx: Tx, event: directory.PersonEvent, envelope: Envelope) -> None:
        await directory.keep_person(tx, event, notify.clock.now())

    found: Handlers = {}
    for contract in HANDLED:
        found |= handle(contract, record)
    for organisation_event in directory.ORGANISATION_EVENTS:
        found |= handle(organisation_event, keep_organisation)
    for person_event in directory.PERSON_EVENTS:
        found |= handle(person_event, keep_person)
    return found
