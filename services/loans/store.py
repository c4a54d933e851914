"""The loans store: the hotspot's items (single pieces or kits) and reservations of them."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Uuid,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.loans.domain import HOLDING, Claim, ItemStatus, Period
from shared.messaging.tables import add_messaging_tables
from shared.store.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = MetaData()


messaging = add_messaging_tables(Base.metadata)


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (CheckConstraint("quantity >= 1", name="item_has_units"),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    asset_tag: Mapped[str] = mapped_column(String(40), unique=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(120))
    condition: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    # Stationary equipment (the CNC machine at Corlaer) serves lessons but never leaves.
    loanable: Mapped[bool] = mapped_column(default=True)


class Reservation(Base):
    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="reservation_has_units"),
        CheckConstraint("ends_on >= starts_on", name="reservation_period_ordered"),
        Index("ix_reservations_item_period", "item_id", "starts_on", "ends_on"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"))
    school_id: Mapped[str] = mapped_column(String(80), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    booking_id: Mapped[UUID | None] = mapped_column(Uuid, index=True)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)


async def lock_items_in_service(session: AsyncSession, category: str) -> list[Item]:
    """The category's items in service, locked so concurrent reservers queue up (PostgreSQL).

    SQLite has one writer at a time, which gives the same guarantee.
    """
    rows = await session.scalars(
        select(Item)
        .where(Item.category == category, Item.status == ItemStatus.AVAILABLE)
        .order_by(Item.id)
        .with_for_update()
    )
    return list(rows)


async def claims_on(session: AsyncSession, item_ids: list[str],
                    period: Period) -> dict[str, list[Claim]]:
    """Per item, the holding reservations that overlap `period`."""
    rows = await session.scalars(
        select(Reservation).where(
            Reservation.item_id.in_(item_ids),
            Reservation.status.in_(HOLDING),
            Reservation.starts_on <= period.ends_on,
            Reservation.ends_on >= period.starts_on,
        )
    )
    claims: dict[str, list[Claim]] = {item_id: [] for item_id in item_ids}
    for r in rows:
        claims[r.item_id].append(Claim(r.period, r.quantity))
    return claims


async def holding_reservations_of_booking(session: AsyncSession,
                                          booking_id: UUID) -> list[Reservation]:
    rows = await session.scalars(
        select(Reservation)
        .where(Reservation.booking_id == booking_id, Reservation.status.in_(HOLDING))
        .with_for_update()
    )
    return list(rows)
