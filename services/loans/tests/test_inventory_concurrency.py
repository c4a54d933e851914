"""A kit's units changed while schools reserve it, on SQLite and on PostgreSQL: the units
reserved never exceed the kit's, and a change below them is refused as a rule (under the
item's lock on PostgreSQL, SQLite's write lock), not by a crash."""

import asyncio
from datetime import UTC, date, datetime, time
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from services.loans import commands
from services.loans.domain import LoanRefused
from services.loans.store import Item, Reservation, messaging
from shared.contracts.requests.loans import ItemChange, NewItem, NewReservation
from shared.http import Caller
from shared.messaging.outbox import Outbox
from shared.store.db import Database, create_engine
from shared.store.migrations import upgrade
from shared.tests.clock import ManualClock

pytestmark = pytest.mark.integration

TODAY = date(2028, 1, 11)
BACKOFFICE = Caller(actor="backoffice", role="backoffice", organisation="backoffice")
KIT = NewItem(
    id="tft-vr-004",
    asset_tag="TFT-VR-004",
    category="vr-headset",
    name="VR-brillen",
    quantity=16,
    location="Hotspot",
)


@pytest.fixture
async def rt(each_store):
    url = each_store("tft_loans_inventory_concurrency")
    await asyncio.to_thread(upgrade, "loans", url)
    runtime = SimpleNamespace(
        db=Database(create_engine(url)),
        outbox=Outbox(messaging.outbox, source="/tft/loans"),
        clock=ManualClock(datetime.combine(TODAY, time(12), UTC)),
    )
    yield runtime
    await runtime.db.dispose()


async def test_fewer_units_during_reservations_never_leave_a_kit_overbooked(rt):
    await commands.add_item(rt, BACKOFFICE, KIT)
    wish = NewReservation(
        item_id=KIT.id, starts_on=date(2028, 1, 12), ends_on=date(2028, 1, 14), quantity=2
    )

    async def reserve(school: str):
        who = Caller(actor=school, role="school", organisation=school)
        return await commands.reserve(rt, who, wish)

    async def change(quantity: int):
        await asyncio.sleep(0)  # let some reservations go first
        return await commands.change_item(rt, BACKOFFICE, KIT.id, ItemChange(quantity=quantity))

    outcomes = await asyncio.gather(
        *(reserve(f"school-{i}") for i in range(12)),
        change(10),
        change(6),
        change(12),
        return_exceptions=True,
    )

    crashes = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, LoanRefused)]
    # SQLite too: a write takes the lock at BEGIN (shared/store/db.py), so no reservation
    # acts on a kit it read before a change committed.
    assert crashes == []
    async with rt.db.sessions() as tx:
        kit = await tx.get(Item, KIT.id)
        held = list(await tx.scalars(select(Reservation).where(Reservation.item_id == KIT.id)))
    assert sum(r.quantity for r in held) <= kit.quantity
    assert {r.item_quantity for r in held} <= {kit.quantity}
