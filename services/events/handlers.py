"""Kafka subscribers of events: the equipment loans registers feeds the catalogue."""

from sqlalchemy.ext.asyncio import AsyncSession

from services.events import commands
from shared.contracts.base import IntegrationEvent
from shared.contracts.loans import ItemRegisteredV1
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handler
from shared.service import Runtime


def equipment_handlers(_rt: Runtime) -> dict[type[IntegrationEvent], Handler]:
    async def registered(tx: AsyncSession, event: ItemRegisteredV1, _: Envelope) -> None:
        await commands.catalogue_item(tx, event)

    return {ItemRegisteredV1: registered}
