"""Read side of loans: the inventory, free units and reservations, as callers may see them."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from services.loans import domain
from services.loans.domain import LoanRefused, Period
from services.loans.store import Item, Reservation, claims_on
from shared.http import Caller
from shared.service import Runtime


@dataclass(frozen=True)
class Availability:
    item: Item
    period: Period
    free: int


async def item_ids(rt: Runtime) -> set[str]:
    async with rt.db.sessions() as tx:
        return set(await tx.scalars(select(Item.id)))


async def list_items(rt: Runtime, limit: int, offset: int) -> list[Item]:
    async with rt.db.sessions() as tx:
        rows = await tx.scalars(select(Item).order_by(Item.id).limit(limit).offset(offset))
        return list(rows)


async def availability(rt: Runtime, item_id: str, starts_on: date,
                       ends_on: date) -> Availability:
    period = Period(starts_on, ends_on)
    async with rt.db.sessions() as tx:
        item = await tx.get(Item, item_id)
        if item is None:
            raise LoanRefused("no such item", 404)
        claims = (await claims_on(tx, [item_id], period))[item_id]
    in_service = item.status == domain.ItemStatus.AVAILABLE
    free = domain.units_free(item.quantity, claims, period) if in_service else 0
    return Availability(item, period, free)


async def list_reservations(rt: Runtime, caller: Caller, limit: int,
                            offset: int) -> list[Reservation]:
    school = domain.visible_school(caller.role, caller.organisation)
    query = select(Reservation).order_by(Reservation.starts_on, Reservation.id)
    if school is not None:
        query = query.where(Reservation.school_id == school)
    async with rt.db.sessions() as tx:
        return list(await tx.scalars(query.limit(limit).offset(offset)))
