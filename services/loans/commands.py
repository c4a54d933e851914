"""Use cases: each changes state and stages the events it causes in the same transaction."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.loans import domain, queries
from services.loans.domain import (
    ItemStatus,
    LoanRefused,
    Period,
    ReservationStatus,
    Unavailable,
)
from services.loans.store import (
    SINGLE_ITEM_EXCLUSION,
    DamageReport,
    Item,
    Reservation,
    claims_on,
    holding_reservations_of_booking,
    item_to_reserve,
    lock_items_in_service,
    reservation_to_change,
    stock_for,
    units_out,
)
from shared.contracts.bookings import BookingCancelledV1, BookingEquipmentRequestedV1
from shared.contracts.loans import (
    DamageReportedV1,
    EquipmentRejectedV1,
    EquipmentReservedV1,
    ItemRegisteredV1,
    ReservationCheckedOutV1,
    ReservationExtendedV1,
    ReservationMadeV1,
    ReservationReleasedV1,
    ReservationReturnedV1,
)
from shared.contracts.requests.loans import CheckOut, NewReservation, Repaired, Return
from shared.errors import violates_exclusion
from shared.http import Caller
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


async def reserve(rt: Runtime, who: Caller, wish: NewReservation) -> Reservation:
    """Reserve units of an item for a school; if they are taken, say what is free instead."""
    school = domain.acting_school(who.role, who.organisation, wish.school_id)
    period = Period(wish.starts_on, wish.ends_on)
    try:
        return await _reserve(rt, school, wish, period)
    except Unavailable as refusal:
        alternative = await queries.alternative(rt, wish.item_id, period, wish.quantity)
        if alternative is None:
            raise
        raise Unavailable(refusal.reason, alternative=alternative) from refusal


async def _reserve(rt: Runtime, school: str, wish: NewReservation,
                   period: Period) -> Reservation:
    with _overlap_refused():
        async with rt.db.transaction() as tx:
            item = await item_to_reserve(tx, wish.item_id)
            if item is None:
                raise LoanRefused("dit item bestaat niet", 404)
            if not domain.lendable(item.status, item.loanable):
                raise Unavailable("dit item wordt niet uitgeleend")
            claims = (await claims_on(tx, [item.id], period))[item.id]
            domain.require_free(domain.units_free(item.quantity, claims, period), wish.quantity)
            reservation = Reservation.of(item, school, wish.quantity, period)
            tx.add(reservation)
            await rt.outbox.stage(tx, ReservationMadeV1(**reservation_facts(reservation, item)))
    return reservation


async def extend(rt: Runtime, who: Caller, reservation_id: UUID, ends_on: date) -> Reservation:
    """Let a reservation end later, if its units are free on the extra days; a loan that is
    checked out too."""
    with _overlap_refused():
        async with rt.db.transaction() as tx:
            reservation = await _own(tx, who, reservation_id)
            domain.require_changeable(reservation.status, reservation.booking_id)
            period = domain.extended(reservation.period, ends_on)
            item = await item_to_reserve(tx, reservation.item_id)
            claims = (await claims_on(tx, [item.id], period, besides=reservation.id))[item.id]
            domain.require_free(domain.units_free(item.quantity, claims, period),
                                reservation.quantity)
            previous_ends_on, reservation.ends_on = reservation.ends_on, ends_on
            await rt.outbox.stage(tx, ReservationExtendedV1(
                **reservation_facts(reservation, item), previous_ends_on=previous_ends_on))
    return reservation


async def cancel(rt: Runtime, who: Caller, reservation_id: UUID) -> Reservation:
    async with rt.db.transaction() as tx:
        reservation = await _own(tx, who, reservation_id)
        domain.require_cancellable(reservation.status, reservation.booking_id)
        await _release(tx, rt.outbox, reservation)
    return reservation


async def check_out(rt: Runtime, who: Caller, reservation_id: UUID,
                    wish: CheckOut) -> Reservation:
    """The school collects the units on a day of its period; the item must be in service."""
    domain.require_backoffice(who.role, "leent uit")
    today = rt.settings.today()
    async with rt.db.transaction() as tx:
        reservation = await _reservation(tx, reservation_id)
        # Locked: a return with damage on the same kit puts it in repair first, or waits.
        item = await tx.get(Item, reservation.item_id, with_for_update=True)
        domain.require_collectable(reservation.status, item.status, reservation.period, today)
        out = (await units_out(tx, [item.id])).get(item.id, 0)
        domain.require_back_in_time(item.quantity, out, reservation.quantity)
        reservation.status = ReservationStatus.CHECKED_OUT
        reservation.checked_out_at = datetime.now(UTC)
        reservation.checkout_note = wish.condition_note
        await rt.outbox.stage(tx, ReservationCheckedOutV1(
            **reservation_facts(reservation, item), condition_note=wish.condition_note))
    return reservation


async def take_back(rt: Runtime, who: Caller, reservation_id: UUID,
                    wish: Return) -> Reservation:
    """The units come back in `wish.condition`; with damage, finance hears what the repair
    costs and the item stays in repair, in the same transaction."""
    domain.require_backoffice(who.role, "neemt uitleningen terug")
    today, now = rt.settings.today(), datetime.now(UTC)
    async with rt.db.transaction() as tx:
        reservation = await _reservation(tx, reservation_id)
        domain.require_out(reservation.status)
        item = await tx.get(Item, reservation.item_id, with_for_update=True)
        reservation.status = ReservationStatus.RETURNED
        reservation.returned_at, reservation.return_condition = now, wish.condition
        item.condition = wish.condition
        await rt.outbox.stage(tx, ReservationReturnedV1(
            **reservation_facts(reservation, item), condition=wish.condition, returned_on=today))
        if wish.damage is not None:
            item.status = ItemStatus.IN_REPAIR
            damage = DamageReport(
                id=uuid4(), reservation_id=reservation.id, item_id=item.id,
                description=wish.damage.description,
                repair_cost_cents=wish.damage.repair_cost_cents, reported_on=today,
                reported_at=now)
            tx.add(damage)
            await rt.outbox.stage(tx, DamageReportedV1(
                **reservation_facts(reservation, item), damage_id=damage.id,
                description=damage.description, repair_cost_cents=damage.repair_cost_cents,
                reported_on=today))
    return reservation


async def mark_repaired(rt: Runtime, who: Caller, item_id: str, wish: Repaired) -> Item:
    """The backoffice puts a repaired item back in service."""
    domain.require_backoffice(who.role, "meldt items gerepareerd")
    async with rt.db.transaction() as tx:
        item = await tx.get(Item, item_id, with_for_update=True)
        if item is None:
            raise LoanRefused("dit item bestaat niet", 404)
        domain.require_in_repair(item.status)
        item.status, item.condition = ItemStatus.AVAILABLE, wish.condition
    return item


async def retire(rt: Runtime, who: Caller, item_id: str) -> Item:
    """The backoffice takes an item out of service for good, once nothing holds it ahead."""
    domain.require_backoffice(who.role, "schrijft items af")
    async with rt.db.transaction() as tx:
        item = await tx.get(Item, item_id, with_for_update=True)
        if item is None:
            raise LoanRefused("dit item bestaat niet", 404)
        ahead = await claims_on(tx, [item.id], Period(rt.settings.today(), date.max))
        out = (await units_out(tx, [item.id])).get(item.id, 0)
        domain.require_retirable(item.status, len(ahead[item.id]), out)
        item.status = ItemStatus.RETIRED
    return item


async def _reservation(tx: AsyncSession, reservation_id: UUID) -> Reservation:
    reservation = await reservation_to_change(tx, reservation_id)
    if reservation is None:
        raise LoanRefused("deze reservering bestaat niet", 404)
    return reservation


async def _own(tx: AsyncSession, who: Caller, reservation_id: UUID) -> Reservation:
    """The caller's own reservation (any, for the backoffice), locked."""
    reservation = await _reservation(tx, reservation_id)
    domain.require_own(who.role, who.organisation, reservation.school_id)
    return reservation


@contextmanager
def _overlap_refused() -> Iterator[None]:
    """A concurrent reserver got the single item first: PostgreSQL's constraint says no."""
    try:
        yield
    except IntegrityError as exc:
        if violates_exclusion(exc, SINGLE_ITEM_EXCLUSION):
            raise Unavailable("het item is in deze periode al gereserveerd") from exc
        raise


async def reserve_for_booking(tx: AsyncSession, outbox: Outbox,
                              request: BookingEquipmentRequestedV1) -> None:
    """Hold one whole kit of each category for the session's day(s), all or nothing, and
    answer bookings. Kits are chosen before any is reserved, so a rejection leaves nothing
    behind in the consumer's transaction (which may hold a whole batch of events)."""
    period = domain.lesson_period(request.starts_at, request.ends_at)
    items = []
    for category in dict.fromkeys(request.equipment):
        item = await _free_item(tx, category, period)
        if item is None:
            await outbox.stage(tx, await _rejection(tx, request, category, period))
            return
        items.append(item)
    reservations = [Reservation.of(item, request.school_id, item.quantity, period,
                                   booking_id=request.booking_id) for item in items]
    tx.add_all(reservations)
    await outbox.stage(tx, *(ReservationMadeV1(**reservation_facts(r, item))
                             for r, item in zip(reservations, items, strict=True)))
    await outbox.stage(tx, EquipmentReservedV1(
        booking_id=request.booking_id, school_id=request.school_id,
        reservation_ids=[r.id for r in reservations]))


async def _rejection(tx: AsyncSession, request: BookingEquipmentRequestedV1, category: str,
                     period: Period) -> EquipmentRejectedV1:
    log.info("no free equipment for booking", category=category,
             booking_id=str(request.booking_id), starts_on=str(period.starts_on))
    return EquipmentRejectedV1(
        booking_id=request.booking_id, school_id=request.school_id, category=category,
        reason=domain.no_kit_reason(category, period),
        alternative=await queries.lesson_alternative(tx, category, period))


async def _free_item(tx: AsyncSession, category: str, period: Period) -> Item | None:
    items = await lock_items_in_service(tx, category)
    chosen = domain.item_for_lesson(await stock_for(tx, items, period))
    return next(i for i in items if i.id == chosen.item_id) if chosen else None


async def release_for_booking(tx: AsyncSession, outbox: Outbox,
                              booking: BookingCancelledV1) -> None:
    for reservation in await holding_reservations_of_booking(tx, booking.booking_id):
        await _release(tx, outbox, reservation)


async def _release(tx: AsyncSession, outbox: Outbox, reservation: Reservation) -> None:
    reservation.status = ReservationStatus.RELEASED
    item = await tx.get(Item, reservation.item_id)
    await outbox.stage(tx, ReservationReleasedV1(**reservation_facts(reservation, item)))


def reservation_facts(r: Reservation, item: Item) -> dict:
    return dict(reservation_id=r.id, item_id=item.id, item_name=item.name, quantity=r.quantity,
                school_id=r.school_id, booking_id=r.booking_id, starts_on=r.starts_on,
                ends_on=r.ends_on)
