"""Kafka subscribers of events: the equipment loans registers feeds the catalogue."""

from services.events import commands
from shared.contracts.loans import ItemChangedV1, ItemRegisteredV1, ItemRetiredV1
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handlers, handle
from shared.service import Runtime
from shared.store.db import Tx


def equipment_handlers(_rt: Runtime) -> Handlers:
    async def registered(tx: Tx, event: ItemRegisteredV1 | ItemChangedV1, _: Envelope) -> None:
        await commands.catalogue_item(tx, event)

    async def retired(tx: Tx, event: ItemRetiredV1, _: Envelope) -> None:
        await commands.uncatalogue_item(tx, event.item_id)

    return (
        handle(ItemRegisteredV1, registered)
        | handle(ItemChangedV1, registered)
        | handle(ItemRetiredV1, retired)
    )
