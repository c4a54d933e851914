"""The equipment handler against a real (SQLite) store, and the seed's events as rows."""

import pytest
from sqlalchemy import select

from services.events import commands, demo
from services.events.store import CatalogueEntry
from shared import seed
from shared.contracts.loans import ItemChangedV1, ItemRegisteredV1, ItemRetiredV1


@pytest.fixture
def db(rt):
    """The store of the service's runtime (conftest.py)."""
    return rt.db


def _registered(quantity: int, loanable: bool = True, item_id: str = "tft-vr-001"):
    return ItemRegisteredV1(
        item_id=item_id,
        asset_tag=item_id.upper(),
        category="vr",
        name="VR-brillen klasset",
        quantity=quantity,
        loanable=loanable,
    )


async def test_registered_items_are_upserted_and_stationary_ones_left_out(db):
    for event in (_registered(8), _registered(10), _registered(1, False, "tft-cnc-001")):
        async with db.transaction() as tx:
            await commands.catalogue_item(tx, event)
    async with db.sessions() as tx:
        entries = list(await tx.scalars(select(CatalogueEntry)))
    assert [(e.item_id, e.quantity) for e in entries] == [("tft-vr-001", 10)]


async def test_a_changed_item_is_updated_and_a_retired_or_stationary_one_leaves(db):
    changed = ItemChangedV1(**_registered(7).model_dump(), changed=["quantity"])
    drone = _registered(1, item_id="tft-drn-001")
    cnc = _registered(1, item_id="tft-cnc-001")
    made_stationary = ItemChangedV1(**cnc.model_dump() | {"loanable": False}, changed=["loanable"])
    for event in (_registered(8), drone, cnc, changed, made_stationary):
        async with db.transaction() as tx:
            await commands.catalogue_item(tx, event)
    for _ in range(2):  # a retirement delivered twice
        async with db.transaction() as tx:
            await commands.uncatalogue_item(tx, ItemRetiredV1(item_id="tft-drn-001").item_id)
    async with db.sessions() as tx:
        entries = list(await tx.scalars(select(CatalogueEntry)))
    assert [(e.item_id, e.quantity) for e in entries] == [("tft-vr-001", 7)]


def test_each_seed_event_day_becomes_an_event_in_utc():
    week = demo.occurrences(seed.EVENTS_BY_ID["week-van-de-techniek"])
    assert len(week) == 5
    first = week[0]
    assert first.id == "week-van-de-techniek-2027-03-08"
    # 09:00 in Amsterdam in March (CET) is 08:00 UTC.
    assert (first.starts_at.hour, first.starts_at.utcoffset().total_seconds()) == (8, 0)


def test_each_event_day_gets_workshops_of_each_host_within_its_capacity():
    day = demo.occurrences(seed.EVENTS_BY_ID["girls-day"])[0]
    workshops = demo.sessions(day, 0)
    assert {s.host_kind for s in workshops} == {"hotspot", "mbo", "company"}
    assert sum(s.capacity for s in workshops) <= day.capacity
    assert all(s.opens_at < s.closes_at < day.starts_at for s in workshops)
    # Stable ids: a restart with demo data finds the sessions it planned before.
    assert [s.id for s in workshops] == [s.id for s in demo.sessions(day, 0)]
