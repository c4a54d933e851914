"""Use cases: each changes state and stages the events it causes in the same transaction."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from uuid import UUID, uuid4

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.loans import domain, queries
from services.loans.domain import (
    ItemStatus,
    LoanRefused,
    Period,
    Policy,
    ReservationStatus,
    Unavailable,
)
from services.loans.settings import LoansSettings
from services.loans.store import (
    POLICY_ROW,
    SINGLE_ITEM_EXCLUSION,
    DamageReport,
    Item,
    LoanPolicy,
    Reservation,
    claims_on,
    current_policy,
    holding_reservations_of,
    item_to_reserve,
    lock_items_in_service,
    reservation_to_change,
    school_loans_ahead,
    stock_for,
    units_out,
)
from shared.contracts.bookings import (
    BookingCancelledV1,
    SessionEquipmentReleasedV1,
    SessionEquipmentRequestedV1,
)
from shared.contracts.loans import (
    ItemChangedV1,
    ItemRegisteredV1,
    ItemRetiredV1,
    ReservationCheckedOutV1,
    ReservationDamageReportedV1,
    ReservationExtendedV1,
    ReservationMadeV1,
    ReservationReleasedV1,
    ReservationReturnedV1,
    SessionEquipmentRejectedV1,
    SessionEquipmentReservedV1,
)
from shared.contracts.requests.loans import (
    CheckOut,
    ItemChange,
    NewItem,
    NewReservation,
    Repaired,
    Return,
)
from shared.domain import acting_school, local_date
from shared.errors import violates_exclusion
from shared.http import Caller
from shared.messaging.outbox import Outbox
from shared.observability.logging import log
from shared.seed.region import HOTSPOT_ID
from shared.service import Runtime
from shared.store.changes import apply_change
from shared.store.db import existing
from shared.store.versions import claim


async def register_items(rt: Runtime, items: list[Item]) -> None:
    """Add items to the inventory and tell the platform they can be reserved."""
    async with rt.db.transaction() as tx:
        tx.add_all(items)
        await rt.outbox.stage(
            tx,
            *(
                ItemRegisteredV1(
                    item_id=i.id,
                    asset_tag=i.asset_tag,
                    category=i.category,
                    name=i.name,
                    quantity=i.quantity,
                    loanable=i.loanable,
                )
                for i in items
            ),
        )


async def reserve(rt: Runtime[LoansSettings], who: Caller, wish: NewReservation) -> Reservation:
    """Reserve units of an item for a school; if they are taken, say what is free instead."""
    school = acting_school(who.role, who.organisation, wish.school_id, LoanRefused)
    today, policy = local_date(rt.clock.now()), await queries.policy(rt)
    period = domain.reservation_period(wish.starts_on, wish.ends_on, today, policy)
    try:
        return await _reserve(rt, school, who.actor, wish, period)
    except Unavailable as refusal:
        alternative = await queries.alternative(
            rt, wish.item_id, period, wish.quantity, policy.last_day(today)
        )
        if alternative is None:
            raise
        raise Unavailable(refusal.reason, alternative=alternative) from refusal


async def _reserve(
    rt: Runtime, school: str, actor: str, wish: NewReservation, period: Period
) -> Reservation:
    with _overlap_refused():
        async with rt.db.transaction() as tx:
            item = await item_to_reserve(tx, wish.item_id)
            if item is None:
                raise LoanRefused("dit item bestaat niet", 404)
            if not domain.lendable(item.status, item.loanable):
                raise Unavailable("dit item wordt niet uitgeleend")
            claims = (await claims_on(tx, [item.id], period))[item.id]
            domain.require_free(domain.units_free(item.quantity, claims, period), wish.quantity)
            reservation = Reservation.of(
                item, school, wish.quantity, period, rt.clock.now(), reserved_by=actor
            )
            tx.add(reservation)
            await rt.outbox.stage(tx, ReservationMadeV1(**reservation_facts(reservation, item)))
    return reservation


async def extend(
    rt: Runtime[LoansSettings], who: Caller, reservation_id: UUID, ends_on: date
) -> Reservation:
    """Let a reservation end later, if its units are free on the extra days and the policy
    allows the longer loan; a loan that is checked out too."""
    today = local_date(rt.clock.now())
    with _overlap_refused():
        async with rt.db.transaction() as tx:
            reservation = await _own(tx, who, reservation_id)
            domain.require_changeable(reservation.status, reservation.booking_id)
            period = domain.extended(reservation.period, ends_on)
            domain.require_extension_allowed(period, today, await current_policy(tx))
            item = await existing(tx, Item, reservation.item_id, with_for_update=True)
            claims = (await claims_on(tx, [item.id], period, besides=reservation.id))[item.id]
            domain.require_free(
                domain.units_free(item.quantity, claims, period), reservation.quantity
            )
            previous_ends_on, reservation.ends_on = reservation.ends_on, ends_on
            await rt.outbox.stage(
                tx,
                ReservationExtendedV1(
                    **reservation_facts(reservation, item), previous_ends_on=previous_ends_on
                ),
            )
    return reservation


async def set_policy(rt: Runtime, who: Caller, policy: Policy) -> Policy:
    """The backoffice sets how far ahead and how long equipment is lent; reservations made
    before keep their period."""
    domain.require_backoffice(who.role, "sets the loan policy")
    async with rt.db.transaction() as tx:
        await claim(tx, LoanPolicy, id=POLICY_ROW)
        await tx.merge(
            LoanPolicy(id=POLICY_ROW, horizon_days=policy.horizon_days, max_days=policy.max_days)
        )
    return policy


async def cancel(rt: Runtime, who: Caller, reservation_id: UUID) -> Reservation:
    async with rt.db.transaction() as tx:
        reservation = await _own(tx, who, reservation_id)
        domain.require_cancellable(reservation.status, reservation.booking_id)
        await _release(tx, rt.outbox, reservation)
    return reservation


async def check_out(
    rt: Runtime[LoansSettings], who: Caller, reservation_id: UUID, wish: CheckOut
) -> Reservation:
    """The school collects the units on a day of its period; the item must be in service."""
    domain.require_backoffice(who.role, "leent uit")
    today = local_date(rt.clock.now())
    async with rt.db.transaction() as tx:
        reservation = await _reservation(tx, reservation_id)
        # Locked: a return with damage on the same kit puts it in repair first, or waits.
        item = await existing(tx, Item, reservation.item_id, with_for_update=True)
        domain.require_collectable(reservation.status, item.status, reservation.period, today)
        out = (await units_out(tx, [item.id])).get(item.id, 0)
        domain.require_back_in_time(item.quantity, out, reservation.quantity)
        reservation.status = ReservationStatus.CHECKED_OUT
        reservation.checked_out_at = rt.clock.now()
        reservation.checkout_note = wish.condition_note
        await rt.outbox.stage(
            tx,
            ReservationCheckedOutV1(
                **reservation_facts(reservation, item), condition_note=wish.condition_note
            ),
        )
    return reservation


async def take_back(
    rt: Runtime[LoansSettings], who: Caller, reservation_id: UUID, wish: Return
) -> Reservation:
    """The units come back in `wish.condition`; with damage, finance hears what the repair
    costs and the item stays in repair, in the same transaction."""
    domain.require_backoffice(who.role, "neemt uitleningen terug")
    now = rt.clock.now()
    today = local_date(now)
    async with rt.db.transaction() as tx:
        reservation = await _reservation(tx, reservation_id)
        domain.require_out(reservation.status)
        item = await existing(tx, Item, reservation.item_id, with_for_update=True)
        reservation.status = ReservationStatus.RETURNED
        reservation.returned_at, reservation.return_condition = now, wish.condition
        item.condition = wish.condition
        await rt.outbox.stage(
            tx,
            ReservationReturnedV1(
                **reservation_facts(reservation, item), condition=wish.condition, returned_on=today
            ),
        )
        if wish.damage is not None:
            item.status = ItemStatus.IN_REPAIR
            damage = DamageReport(
                id=uuid4(),
                reservation_id=reservation.id,
                item_id=item.id,
                description=wish.damage.description,
                repair_cost_cents=wish.damage.repair_cost_cents,
                reported_on=today,
                reported_at=now,
            )
            tx.add(damage)
            await rt.outbox.stage(
                tx,
                ReservationDamageReportedV1(
                    **reservation_facts(reservation, item),
                    damage_id=damage.id,
                    description=damage.description,
                    repair_cost_cents=damage.repair_cost_cents,
                    reported_on=today,
                ),
            )
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


async def retire(rt: Runtime[LoansSettings], who: Caller, item_id: str) -> Item:
    """The backoffice takes an item out of service for good, once nothing holds it ahead."""
    domain.require_backoffice(who.role, "schrijft items af")
    async with rt.db.transaction() as tx:
        item = await tx.get(Item, item_id, with_for_update=True)
        if item is None:
            raise LoanRefused("dit item bestaat niet", 404)
        ahead = await claims_on(tx, [item.id], Period(local_date(rt.clock.now()), date.max))
        out = (await units_out(tx, [item.id])).get(item.id, 0)
        domain.require_retirable(item.status, len(ahead[item.id]), out)
        item.status = ItemStatus.RETIRED
        await rt.outbox.stage(tx, ItemRetiredV1(item_id=item.id))
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


async def reserve_for_session(
    tx: AsyncSession, outbox: Outbox, request: SessionEquipmentRequestedV1, now: datetime
) -> None:
    """Hold one whole kit of each category for the session's day(s), all or nothing, and
    answer bookings: the session's schools share what is held. Kits are chosen before any is
    reserved, so a rejection leaves nothing behind in the consumer's transaction (which may
    hold a whole batch of events)."""
    period = domain.lesson_period(request.starts_at, request.ends_at)
    items = []
    for category in dict.fromkeys(request.equipment):
        item = await _free_item(tx, category, period)
        if item is None:
            await outbox.stage(tx, await _rejection(tx, request, category, period))
            return
        items.append(item)
    reservations = [
        Reservation.of(item, HOTSPOT_ID, item.quantity, period, now, session_id=request.session_id)
        for item in items
    ]
    tx.add_all(reservations)
    await outbox.stage(
        tx,
        *(
            ReservationMadeV1(**reservation_facts(r, item))
            for r, item in zip(reservations, items, strict=True)
        ),
    )
    await outbox.stage(
        tx,
        SessionEquipmentReservedV1(
            session_id=request.session_id,
            request_id=request.request_id,
            reservation_ids=[r.id for r in reservations],
        ),
    )


async def _rejection(
    tx: AsyncSession, request: SessionEquipmentRequestedV1, category: str, period: Period
) -> SessionEquipmentRejectedV1:
    log.info(
        "no free equipment for session",
        category=category,
        session_id=str(request.session_id),
        starts_on=str(period.starts_on),
    )
    calendar = domain.HotspotCalendar(frozenset(request.closed_days), request.alternative_until)
    return SessionEquipmentRejectedV1(
        session_id=request.session_id,
        request_id=request.request_id,
        category=category,
        reason=domain.no_kit_reason(category, period),
        alternative=await queries.lesson_alternative(tx, category, period, calendar),
    )


async def _free_item(tx: AsyncSession, category: str, period: Period) -> Item | None:
    items = await lock_items_in_service(tx, category)
    chosen = domain.item_for_lesson(await stock_for(tx, items, period))
    return next(i for i in items if i.id == chosen.item_id) if chosen else None


async def release_for_booking(
    tx: AsyncSession, outbox: Outbox, booking: BookingCancelledV1
) -> None:
    """What loans reserved for the booking itself (before equipment belonged to sessions)."""
    for reservation in await holding_reservations_of(tx, booking_id=booking.booking_id):
        await _release(tx, outbox, reservation)


async def release_for_session(
    tx: AsyncSession, outbox: Outbox, released: SessionEquipmentReleasedV1
) -> None:
    """Bookings asks for a session again only after releasing it, and the two come in order
    (keyed by session): what the session holds is what this request reserved."""
    for reservation in await holding_reservations_of(tx, session_id=released.session_id):
        await _release(tx, outbox, reservation)


async def _release(tx: AsyncSession, outbox: Outbox, reservation: Reservation) -> None:
    reservation.status = ReservationStatus.RELEASED
    item = await existing(tx, Item, reservation.item_id)
    await outbox.stage(tx, ReservationReleasedV1(**reservation_facts(reservation, item)))


def reservation_facts(r: Reservation, item: Item) -> dict:
    return dict(
        reservation_id=r.id,
        item_id=item.id,
        item_name=item.name,
        quantity=r.quantity,
        school_id=r.school_id,
        booking_id=r.booking_id,
        starts_on=r.starts_on,
        ends_on=r.ends_on,
        session_id=r.session_id,
        reserved_by=r.reserved_by,
    )


def _item_facts(item: Item) -> dict:
    return dict(
        item_id=item.id,
        asset_tag=item.asset_tag,
        category=item.category,
        name=item.name,
        quantity=item.quantity,
        loanable=item.loanable,
    )


async def add_item(rt: Runtime, who: Caller, wish: NewItem) -> Item:
    """The backoffice adds a piece or a kit to the inventory, in service."""
    domain.require_backoffice(who.role, "adds items")
    item = Item(**wish.model_dump(), status=ItemStatus.AVAILABLE)
    try:
        await register_items(rt, [item])
    except IntegrityError as exc:  # the primary key or the unique asset tag
        raise LoanRefused("Er is al een item met dit id of dit inventarisnummer.") from exc
    return item


async def change_item(
    rt: Runtime[LoansSettings], who: Caller, item_id: str, wish: ItemChange
) -> Item:
    """Change what the backoffice names; a kit keeps the units promised or out, and an item
    schools have reserved stays lendable."""
    domain.require_backoffice(who.role, "changes items")
    today = local_date(rt.clock.now())
    async with rt.db.transaction() as tx:
        await claim(tx, Item, id=item_id)
        item = await tx.get(Item, item_id, with_for_update=True)
        if item is None:
            raise LoanRefused("Dit item bestaat niet.", 404)
        domain.require_changeable_item(item.status)
        ahead = Period(today, date.max)
        claims = (await claims_on(tx, [item.id], ahead))[item.id]
        out = (await units_out(tx, [item.id])).get(item.id, 0)
        loans_ahead = await school_loans_ahead(tx, item.id, today)
        changed = apply_change(item, wish)
        domain.require_units_kept(item.quantity, domain.units_held(claims, ahead), out)
        domain.require_lendable_kept(item.loanable, loans_ahead)
        if changed:
            await rt.outbox.stage(tx, ItemChangedV1(**_item_facts(item), changed=changed))
    return item
