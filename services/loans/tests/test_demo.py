"""The demo inventory: every piece of equipment the seed document names, each a full item."""

import pytest
from sqlalchemy import select

from services.loans import demo
from services.loans.app import SPEC
from services.loans.store import Item
from shared import seed
from shared.tests.runtime import migrated_runtime, sqlite_url

# Plan B "Gebruik/uitleen apparatuur/auto's", sections 2 and 4.7, plan C "Plastic fantastic",
# plan A "keuzevak CNC-techniek".
NAMED_IN_THE_SEED = {
    "hydrogen-car": "Waterstofauto",
    "ev": "Elektrisch",
    "robot": "Robot",
    "printer-3d": "3D-printer",
    "vr": "VR",
    "drone": "drone",
    "cnc": "CNC",
    "plastic-shredder": "shredder",
}


@pytest.fixture
async def rt(tmp_path):
    # Not started: loading the demo needs only the store and the outbox.
    runtime = await migrated_runtime(SPEC, sqlite_url(tmp_path / "loans.db"))
    yield runtime
    await runtime.db.dispose()


async def _items(rt) -> list[Item]:
    async with rt.db.sessions() as tx:
        return list(await tx.scalars(select(Item)))


async def test_the_demo_registers_the_equipment_the_seed_document_names(rt):
    await demo.load(rt)
    items = await _items(rt)
    for category, word in NAMED_IN_THE_SEED.items():
        named = [i.name for i in items if i.category == category]
        assert any(word.lower() in name.lower() for name in named), (category, named)


async def test_each_item_carries_tag_category_location_condition_and_status(rt):
    await demo.load(rt)
    items = await _items(rt)
    assert all(i.asset_tag and i.category and i.location and i.condition for i in items)
    assert {i.status for i in items} == {"available"}
    assert len({i.asset_tag for i in items}) == len(items)


async def test_loading_the_demo_twice_registers_nothing_twice(rt):
    await demo.load(rt)
    await demo.load(rt)
    assert len(await _items(rt)) == len(seed.EQUIPMENT)
