"""The booking handlers against a real (SQLite) store: reservations and their outbox rows."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from services.loans import commands
from services.loans.domain import ItemStatus, ReservationStatus
from services.loans.store import Base, Item, Reservation, messaging
from shared.contracts.bookings import BookingCancelledV1, BookingConfirmedV1
from shared.contracts.common import Group
from shared.messaging.outbox import Outbox
from shared.store.db import Database, create_engine

STARTS_AT = datetime(2027, 3, 9, 7, 30, tzinfo=UTC)
ENDS_AT = datetime(2027, 3, 9, 9, 30, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path):
    database = Database(create_engine(f"sqlite+aiosqlite:///{tmp_path / 'loans.db'}"))
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    async with database.transaction() as tx:
        tx.add_all([_kit("tft-rob-001"), _kit("tft-rob-002")])
    yield database
    await database.dispose()


def _kit(item_id: str) -> Item:
    return Item(id=item_id, asset_tag=item_id.upper(), category="robot", name="Robotset",
                quantity=12, location="Hotspot", condition="goed",
                status=ItemStatus.AVAILABLE, loanable=True)


def _facts(booking_id: UUID) -> dict:
    return dict(booking_id=booking_id, session_id=uuid4(), offering_id="insp-robotica",
                offering_title="Inspiratieles Robotica", school_id="corlaer",
                group=Group(name="2A", level="vmbo-kb", year=2, students=24),
                starts_at=STARTS_AT, ends_at=ENDS_AT, location="Hotspot")


async def _confirm(db: Database, outbox: Outbox, equipment: list[str]) -> UUID:
    booking_id = uuid4()
    async with db.transaction() as tx:
        await commands.reserve_for_booking(
            tx, outbox, BookingConfirmedV1(**_facts(booking_id), equipment=equipment))
    return booking_id


async def _reservations(db: Database) -> list[Reservation]:
    async with db.sessions() as tx:
        return list(await tx.scalars(select(Reservation).order_by(Reservation.created_at)))


async def _staged_types(db: Database) -> list[str]:
    async with db.sessions() as tx:
        return list(await tx.scalars(select(messaging.outbox.c.event_type)))


async def test_kits_are_never_reserved_beyond_their_units(db):
    outbox = Outbox(messaging.outbox, source="/tft/loans")
    for _ in range(3):
        await _confirm(db, outbox, ["robot", "robot", "drone"])
    reservations = await _reservations(db)
    assert [r.item_id for r in reservations] == ["tft-rob-001", "tft-rob-002"]
    assert {(r.starts_on.isoformat(), r.quantity) for r in reservations} == {("2027-03-09", 12)}
    assert (await _staged_types(db)).count("nl.tisfortech.loans.reservation.made.v1") == 2


async def test_a_cancelled_booking_frees_its_kit(db):
    outbox = Outbox(messaging.outbox, source="/tft/loans")
    first = await _confirm(db, outbox, ["robot"])
    await _confirm(db, outbox, ["robot"])
    async with db.transaction() as tx:
        await commands.release_for_booking(
            tx, outbox, BookingCancelledV1(**_facts(first), cancelled_by="school"))
    await _confirm(db, outbox, ["robot"])
    statuses = [(r.item_id, r.status) for r in await _reservations(db)]
    assert statuses == [("tft-rob-001", ReservationStatus.RELEASED),
                        ("tft-rob-002", ReservationStatus.RESERVED),
                        ("tft-rob-001", ReservationStatus.RESERVED)]
    assert "nl.tisfortech.loans.reservation.released.v1" in await _staged_types(db)


async def test_bookings_applied_in_one_batch_see_each_others_reservations(db):
    # The consumer applies a whole Kafka batch in one transaction.
    outbox = Outbox(messaging.outbox, source="/tft/loans")
    async with db.transaction() as tx:
        for _ in range(3):
            booking = BookingConfirmedV1(**_facts(uuid4()), equipment=["robot"])
            await commands.reserve_for_booking(tx, outbox, booking)
    assert [r.item_id for r in await _reservations(db)] == ["tft-rob-001", "tft-rob-002"]
