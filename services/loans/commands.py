"""Use cases: each changes state and stages the events it causes in the same transaction."""

from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from services.loans import domain
from services.loans.domain import Period, ReservationStatus, Stock
from services.loans.store import (
    Item,
    Reservation,
    claims_on,
    holding_reservations_of_booking,
    lock_items_in_service,
)
from shared.contracts.bookings import BookingCancelledV1, BookingConfirmedV1
from shared.contracts.loans import ItemRegisteredV1, ReservationMadeV1, ReservationReleasedV1
from shared.messaging.outbox import Outbox
from shared.observability.logging import log
from shared.service import Runtime


async def register_items(rt: Runtime, items: list[Item]) -> None:
    """Add items to the inventory and tell the platform they can be reserved."""
    async with rt.db.transaction() as tx:
        tx.add_all(items)
        await rt.outbox.stage(tx, *(
            ItemRegisteredV1(item_id=i.id, asset_tag=i.asset_tag, category=i.category,
                             name=i.name, quantity=i.quantity, loanable=i.loanable)
            for i in items
        ))


async def reserve_for_booking(tx: AsyncSession, outbox: Outbox,
                              booking: BookingConfirmedV1) -> None:
    """Hold one whole kit of each equipment category for the booked session's day(s)."""
    period = domain.lesson_period(booking.starts_at, booking.ends_at)
    for category in dict.fromkeys(booking.equipment):
        item = await _free_item(tx, category, period)
        if item is None:
            # Rejection and compensation of the booking are the saga's job (later issue).
            log.warning("no free equipment for booking", category=category,
                        booking_id=str(booking.booking_id), starts_on=str(period.starts_on))
            continue
        reservation = Reservation(
            id=uuid4(), item_id=item.id, school_id=booking.school_id, quantity=item.quantity,
            starts_on=period.starts_on, ends_on=period.ends_on, booking_id=booking.booking_id,
            status=ReservationStatus.RESERVED, created_at=datetime.now(UTC),
        )
        tx.add(reservation)
        await outbox.stage(tx, ReservationMadeV1(**_facts(reservation, item)))


async def _free_item(tx: AsyncSession, category: str, period: Period) -> Item | None:
    items = await lock_items_in_service(tx, category)
    claims = await claims_on(tx, [i.id for i in items], period)
    stock = [Stock(i.id, i.quantity, domain.units_free(i.quantity, claims[i.id], period))
             for i in items]
    chosen = domain.item_for_lesson(stock)
    return next(i for i in items if i.id == chosen.item_id) if chosen else None


async def release_for_booking(tx: AsyncSession, outbox: Outbox,
                              booking: BookingCancelledV1) -> None:
    for reservation in await holding_reservations_of_booking(tx, booking.booking_id):
        reservation.status = ReservationStatus.RELEASED
        item = await tx.get(Item, reservation.item_id)
        await outbox.stage(tx, ReservationReleasedV1(**_facts(reservation, item)))


def _facts(r: Reservation, item: Item) -> dict:
    return dict(reservation_id=r.id, item_id=item.id, item_name=item.name, quantity=r.quantity,
                school_id=r.school_id, booking_id=r.booking_id, starts_on=r.starts_on,
                ends_on=r.ends_on)
