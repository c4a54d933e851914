"""Demo data: the hotspot's equipment from the seed document, registered once."""

from services.loans import commands, queries
from services.loans.domain import ItemStatus
from services.loans.store import Item
from shared import seed
from shared.service import Runtime


async def load(rt: Runtime) -> None:
    present = await queries.item_ids(rt)
    items = [
        Item(
            id=e.id,
            asset_tag=e.asset_tag,
            category=e.category,
            name=e.name,
            quantity=e.quantity,
            location=e.location,
            condition="goed",
            status=ItemStatus.AVAILABLE,
            loanable=e.loanable,
        )
        for e in seed.EQUIPMENT
        if e.id not in present
    ]
    if items:
        await commands.register_items(rt, items)
