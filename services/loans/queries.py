"""Read side of loans: the inventory, free units and reservations, as callers may see them."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.loans import domain
from services.loans.domain import LoanRefused, Period, Policy, ReservationStatus
from services.loans.settings import LoansSettings
from services.loans.store import (
    POLICY_ROW,
    DamageReport,
    Item,
    LoanPolicy,
    Reservation,
    claims_on,
    current_policy,
    items_of,
    stock_for,
    units_out,
)
from shared.domain import local_date
from shared.http import Caller
from shared.service import Runtime
from shared.store.db import existing
from shared.store.versions import tag_defaults, tagged


@dataclass(frozen=True)
class Availability:
    item: Item
    period: Period
    free: int


async def item_ids(rt: Runtime) -> set[str]:
    async with rt.db.sessions() as tx:
        return set(await tx.scalars(select(Item.id)))


@dataclass(frozen=True)
class ItemView:
    """An item as shown: checked out while any of its units are."""

    item: Item
    status: domain.ItemStatus
    units_out: int


async def list_items(rt: Runtime, limit: int, offset: int) -> list[ItemView]:
    async with rt.db.sessions() as tx:
        rows = await tx.scalars(select(Item).order_by(Item.id).limit(limit).offset(offset))
        return await _views(tx, list(rows))


async def item(rt: Runtime, item_id: str) -> ItemView:
    async with rt.db.sessions() as tx:
        found = await tx.get(Item, item_id)
        if found is None:
            raise LoanRefused("dit item bestaat niet", 404)
        return (await _views(tx, [tagged(found)]))[0]


async def _views(tx: AsyncSession, items: list[Item]) -> list[ItemView]:
    out = await units_out(tx, [i.id for i in items])
    return [
        ItemView(i, domain.shown_status(i.status, out.get(i.id, 0)), out.get(i.id, 0))
        for i in items
    ]


async def availability(rt: Runtime, item_id: str, starts_on: date, ends_on: date) -> Availability:
    period = Period(starts_on, ends_on)
    async with rt.db.sessions() as tx:
        item = await tx.get(Item, item_id)
        if item is None:
            raise LoanRefused("dit item bestaat niet", 404)
        return (await _availabilities(tx, [item], period))[0]


async def category_availability(
    rt: Runtime, category: str, starts_on: date, ends_on: date
) -> list[Availability]:
    period = Period(starts_on, ends_on)
    async with rt.db.sessions() as tx:
        return await _availabilities(tx, await items_of(tx, category), period)


async def _availabilities(
    tx: AsyncSession, items: list[Item], period: Period
) -> list[Availability]:
    stock = await stock_for(tx, items, period)
    # An item out of service has no free units, whatever its reservations.
    return [
        Availability(item, period, s.free if item.status == domain.ItemStatus.AVAILABLE else 0)
        for item, s in zip(items, stock, strict=True)
    ]


async def policy(rt: Runtime) -> Policy:
    async with rt.db.sessions() as tx:
        row = await tx.get(LoanPolicy, POLICY_ROW)
        tag_defaults(row)
        return await current_policy(tx)


async def alternative(
    rt: Runtime, item_id: str, period: Period, wanted: int, last_day: date
) -> dict[str, str] | None:
    """The nearest way to get `wanted` units anyway: another item of the same category for
    the same period, else this item from the first later start it is free for as long, if
    that ends by `last_day` (the policy's horizon)."""
    async with rt.db.sessions() as tx:
        item = await tx.get(Item, item_id)
        if item is None:
            return None
        others = [
            i
            for i in await items_of(tx, item.category)
            if i.id != item.id and domain.lendable(i.status, i.loanable)
        ]
        other = domain.free_stock(await stock_for(tx, others, period), wanted)
        if other is not None:
            return _offer(other.item_id, period)
        if not domain.lendable(item.status, item.loanable):
            return None
        ahead = (await claims_on(tx, [item.id], Period(period.starts_on, date.max)))[item.id]
    starts_on = domain.next_free_start(item.quantity, ahead, period, wanted)
    if starts_on is None:
        return None
    moved = period.moved_to(starts_on)
    return _offer(item.id, moved) if moved.ends_on <= last_day else None


async def lesson_alternative(
    tx: AsyncSession, category: str, period: Period, calendar: domain.HotspotCalendar
) -> dict[str, str] | None:
    """For a lesson whose kit is taken: the kit of `category` that is whole again first on a
    day the hotspot is open, and the period of the same length from then. None if the
    category has no kit in service, or none free within the calendar."""
    items = [i for i in await items_of(tx, category) if i.status == domain.ItemStatus.AVAILABLE]
    ahead = await claims_on(tx, [i.id for i in items], Period(period.starts_on, date.max))
    found = domain.nearest(
        (domain.next_free_start(i.quantity, ahead[i.id], period, i.quantity, calendar), i.id)
        for i in items
    )
    return None if found is None else _offer(found[1], period.moved_to(found[0]))


def _offer(item_id: str, period: Period) -> dict[str, str]:
    return {
        "item_id": item_id,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
    }


async def reservation(rt: Runtime, caller: Caller, reservation_id: UUID) -> Reservation:
    async with rt.db.sessions() as tx:
        found = await tx.get(Reservation, reservation_id)
    if found is None:
        raise LoanRefused("deze reservering bestaat niet", 404)
    domain.require_own(caller.role, caller.organisation, found.school_id)
    return found


async def damage_reports(
    rt: Runtime, caller: Caller, item_id: str | None, limit: int, offset: int
) -> list[DamageReport]:
    domain.require_backoffice(caller.role, "leest schademeldingen")
    query = select(DamageReport).order_by(DamageReport.reported_at.desc(), DamageReport.id)
    if item_id is not None:
        query = query.where(DamageReport.item_id == item_id)
    async with rt.db.sessions() as tx:
        return list(await tx.scalars(query.limit(limit).offset(offset)))


@dataclass(frozen=True)
class DeskFilter:
    """What the loans desk looks for; None: anything. A period finds the reservations
    that overlap it."""

    status: domain.DeskStatus | None = None
    item_id: str | None = None
    school_id: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class ReservationView:
    """A reservation as people read it: with its item and its status at the desk today."""

    reservation: Reservation
    item: Item
    desk_status: domain.DeskStatus
    days_overdue: int


async def list_reservations(
    rt: Runtime[LoansSettings],
    caller: Caller,
    limit: int,
    offset: int,
    wanted: DeskFilter = DeskFilter(),
) -> list[ReservationView]:
    """A school's own reservations; the backoffice any school's (or `wanted.school_id`'s)."""
    school = domain.visible_school(caller.role, caller.organisation) or wanted.school_id
    today = local_date(rt.clock.now())
    query = _desk_query(wanted, today).order_by(Reservation.starts_on, Reservation.id)
    if school is not None:
        query = query.where(Reservation.school_id == school)
    async with rt.db.sessions() as tx:
        rows = await tx.execute(query.limit(limit).offset(offset))
        return [_view(r, i, today) for r, i in rows]


async def overdue_loans(
    rt: Runtime[LoansSettings], caller: Caller, limit: int, offset: int
) -> list[ReservationView]:
    """Loans not back after their last day, the longest overdue first."""
    domain.require_backoffice(caller.role, "reads the overdue loans")
    today = local_date(rt.clock.now())
    query = _desk_query(DeskFilter(domain.DeskStatus.OVERDUE), today).order_by(
        Reservation.ends_on, Reservation.id
    )
    async with rt.db.sessions() as tx:
        rows = await tx.execute(query.limit(limit).offset(offset))
        return [_view(r, i, today) for r, i in rows]


def _desk_query(wanted: DeskFilter, today: date):
    query = select(Reservation, Item).join(Item, Item.id == Reservation.item_id)
    if wanted.status is not None:
        query = query.where(*_desk_status_is(wanted.status, today))
    if wanted.item_id is not None:
        query = query.where(Reservation.item_id == wanted.item_id)
    if wanted.starts_on is not None:
        query = query.where(Reservation.ends_on >= wanted.starts_on)
    if wanted.ends_on is not None:
        query = query.where(Reservation.starts_on <= wanted.ends_on)
    return query


def _desk_status_is(status: domain.DeskStatus, today: date) -> list:
    """The conditions `domain.desk_status` gives `status` for."""
    if status == domain.DeskStatus.OUT:
        return [Reservation.status == ReservationStatus.CHECKED_OUT, Reservation.ends_on >= today]
    if status == domain.DeskStatus.OVERDUE:
        return [Reservation.status == ReservationStatus.CHECKED_OUT, Reservation.ends_on < today]
    return [Reservation.status == ReservationStatus(status.value)]


def _view(reservation: Reservation, item: Item, today: date) -> ReservationView:
    return ReservationView(
        reservation,
        item,
        domain.desk_status(reservation.status, reservation.ends_on, today),
        domain.days_overdue(reservation.ends_on, today)
        if reservation.status == ReservationStatus.CHECKED_OUT
        else 0,
    )


async def reservation_view(rt: Runtime[LoansSettings], reservation: Reservation) -> ReservationView:
    async with rt.db.sessions() as tx:
        item = await existing(tx, Item, reservation.item_id)
    return _view(reservation, item, local_date(rt.clock.now()))
