"""The loans store: the hotspot's items (single pieces or kits) and reservations of them."""

from datetime import date, datetime
from uuid import UUID, uuid4

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    Uuid,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.loans import domain
from services.loans.domain import (
    HOLDING,
    Claim,
    ItemStatus,
    Period,
    Policy,
    ReservationStatus,
    Stock,
)
from shared.messaging.tables import add_messaging_tables
from shared.store.requests import add_requests_table
from shared.store.types import UtcDateTime
from shared.store.versions import Versioned


class Base(DeclarativeBase):
    metadata = MetaData()


messaging = add_messaging_tables(Base.metadata)
add_requests_table(Base.metadata)


class Item(Versioned, Base):
    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="item_has_units"),
        # Lets reservations carry the item's units under a foreign key (see Reservation).
        UniqueConstraint("id", "quantity", name="uq_items_id_quantity"),
    )

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


# On PostgreSQL (migration 0002): no two holding reservations of a single item overlap.
SINGLE_ITEM_EXCLUSION = "reservation_single_item_free"


class Reservation(Base):
    """Units of an item held for a school from `starts_on` to `ends_on`, both inclusive.

    `item_quantity` copies the item's units under a foreign key on (id, quantity), so the
    database itself knows which rows reserve a single item: the exclusion constraint of
    migration 0002 applies to those only, while kits are counted under a row lock.
    """

    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="reservation_has_units"),
        CheckConstraint("ends_on >= starts_on", name="reservation_period_ordered"),
        Index("ix_reservations_item_period", "item_id", "starts_on", "ends_on"),
        # The overdue scan: checked-out loans by end date.
        Index("ix_reservations_status_ends_on", "status", "ends_on"),
        ForeignKeyConstraint(
            ["item_id", "item_quantity"],
            ["items.id", "items.quantity"],
            name="fk_reservations_item_units",
            onupdate="CASCADE",
        ),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"))
    item_quantity: Mapped[int] = mapped_column(Integer)
    school_id: Mapped[str] = mapped_column(String(80), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    booking_id: Mapped[UUID | None] = mapped_column(Uuid, index=True)
    # The bookings session the units serve, for every school booked on it.
    session_id: Mapped[UUID | None] = mapped_column(Uuid, index=True)
    # The person who reserved (their id): the school's own, or the backoffice on behalf of
    # `school_id`; messages about the loan reach them. None for a lesson's kit.
    reserved_by: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    checked_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    checkout_note: Mapped[str | None] = mapped_column(String(500))
    returned_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    return_condition: Mapped[str | None] = mapped_column(String(40))
    # Set in the transaction that stages the overdue notice: it is sent once.
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)

    @classmethod
    def of(
        cls,
        item: Item,
        school_id: str,
        quantity: int,
        period: Period,
        created_at: datetime,
        booking_id: UUID | None = None,
        session_id: UUID | None = None,
        reserved_by: str | None = None,
    ) -> "Reservation":
        return cls(
            id=uuid4(),
            item_id=item.id,
            item_quantity=item.quantity,
            school_id=school_id,
            quantity=quantity,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            booking_id=booking_id,
            session_id=session_id,
            reserved_by=reserved_by,
            status=ReservationStatus.RESERVED,
            created_at=created_at,
        )


class DamageReport(Base):
    """Damage found when a loan came back; finance costs the repair."""

    __tablename__ = "damage_reports"
    __table_args__ = (CheckConstraint("repair_cost_cents >= 0", name="damage_cost_not_negative"),)

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    reservation_id: Mapped[UUID] = mapped_column(ForeignKey("reservations.id"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    description: Mapped[str] = mapped_column(String(1000))
    repair_cost_cents: Mapped[int] = mapped_column(Integer)
    reported_on: Mapped[date] = mapped_column(Date)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime())


POLICY_ROW = 1


class LoanPolicy(Versioned, Base):
    """The backoffice's loan policy: one row (id 1); absent, the domain's defaults hold."""

    __tablename__ = "loan_policy"
    __table_args__ = (
        CheckConstraint("horizon_days >= 1 AND max_days >= 1", name="loan_policy_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    horizon_days: Mapped[int] = mapped_column(Integer)
    max_days: Mapped[int] = mapped_column(Integer)


async def current_policy(tx: AsyncSession) -> Policy:
    row = await tx.get(LoanPolicy, POLICY_ROW)
    return Policy(row.horizon_days, row.max_days) if row else Policy()


async def lock_items_in_service(tx: AsyncSession, category: str) -> list[Item]:
    """The category's items in service, locked so concurrent reservers queue up (PostgreSQL).

    SQLite has one writer at a time, which gives the same guarantee.
    """
    rows = await tx.scalars(
        select(Item)
        .where(Item.category == category, Item.status == ItemStatus.AVAILABLE)
        .order_by(Item.id)
        .with_for_update()
    )
    return list(rows)


async def item_to_reserve(tx: AsyncSession, item_id: str) -> Item | None:
    """The item, its row locked, so concurrent reservers of one item take turns.

    A single item's exclusion constraint (PostgreSQL) would refuse the later of two
    overlapping reservations anyway, but two inserts checking each other's rows at once
    deadlock; the lock makes the second reserver see the first's reservation instead.
    """
    return await tx.get(Item, item_id, with_for_update=True)


async def items_of(tx: AsyncSession, category: str) -> list[Item]:
    rows = await tx.scalars(select(Item).where(Item.category == category).order_by(Item.id))
    return list(rows)


async def reservation_to_change(tx: AsyncSession, reservation_id: UUID) -> Reservation | None:
    return await tx.get(Reservation, reservation_id, with_for_update=True)


async def claims_on(
    tx: AsyncSession, item_ids: list[str], period: Period, besides: UUID | None = None
) -> dict[str, list[Claim]]:
    """Per item, the holding reservations that overlap `period`, except `besides`."""
    query = select(Reservation).where(
        Reservation.item_id.in_(item_ids),
        Reservation.status.in_(HOLDING),
        Reservation.starts_on <= period.ends_on,
        Reservation.ends_on >= period.starts_on,
    )
    if besides is not None:
        query = query.where(Reservation.id != besides)
    rows = await tx.scalars(query)
    claims: dict[str, list[Claim]] = {item_id: [] for item_id in item_ids}
    for r in rows:
        claims[r.item_id].append(Claim(r.period, r.quantity))
    return claims


async def stock_for(tx: AsyncSession, items: list[Item], period: Period) -> list[Stock]:
    """Each item with its units free on every day of `period`."""
    claims = await claims_on(tx, [i.id for i in items], period)
    return [
        Stock(i.id, i.quantity, domain.units_free(i.quantity, claims[i.id], period)) for i in items
    ]


async def holding_reservations_of(
    tx: AsyncSession, *, booking_id: UUID | None = None, session_id: UUID | None = None
) -> list[Reservation]:
    """The holding reservations made for a booking, or for a session, locked."""
    column, value = (
        (Reservation.booking_id, booking_id)
        if booking_id is not None
        else (Reservation.session_id, session_id)
    )
    rows = await tx.scalars(
        select(Reservation)
        .where(column == value, Reservation.status.in_(HOLDING))
        .with_for_update()
    )
    return list(rows)


async def units_out(tx: AsyncSession, item_ids: list[str]) -> dict[str, int]:
    """Per item, the units checked out now."""
    rows = await tx.execute(
        select(Reservation.item_id, func.sum(Reservation.quantity))
        .where(
            Reservation.item_id.in_(item_ids), Reservation.status == ReservationStatus.CHECKED_OUT
        )
        .group_by(Reservation.item_id)
    )
    return {item_id: int(units) for item_id, units in rows}


async def overdue_to_notify(tx: AsyncSession, today: date, limit: int) -> list[Reservation]:
    """Checked-out loans that ended before `today` and were not yet reported, locked.

    SKIP LOCKED lets two replicas scan at once: each takes rows the other does not hold,
    and a row the other already reported no longer matches (PostgreSQL re-checks it).
    """
    rows = await tx.scalars(
        select(Reservation)
        .where(
            Reservation.status == ReservationStatus.CHECKED_OUT,
            Reservation.ends_on < today,
            Reservation.overdue_notified_at.is_(None),
        )
        .order_by(Reservation.ends_on, Reservation.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(rows)


async def school_loans_ahead(tx: AsyncSession, item_id: str, today: date) -> int:
    """Reservations schools made themselves (not for a lesson) holding the item from today."""
    return (
        await tx.scalar(
            select(func.count())
            .select_from(Reservation)
            .where(
                Reservation.item_id == item_id,
                Reservation.booking_id.is_(None),
                Reservation.status.in_(HOLDING),
                Reservation.ends_on >= today,
            )
        )
        or 0
    )
