"""The seat and waitlist protocol of a row with `capacity` and `seats_taken` (a lesson
session, an event workshop) and the places queued for its seats (bookings, registrations).

The database keeps the count right: every change is one conditional UPDATE, and the
table's CHECK constraint (0 <= seats_taken <= capacity) refuses what slips past. A group
that finds no seats joins the waitlist under the row's lock, and seats given back go to
the waiting groups in the same transaction, so seats are never free while a group that
fits them waits. SQLAlchemy Core throughout: this is the hot path of a booking. Core
statements do not flush the ORM: a caller that changed mapped objects flushes first.
"""

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    Row,
    Select,
    Table,
    Update,
    and_,
    bindparam,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value


async def take(tx: AsyncSession, seats: Table, row_id: Any, wanted: int) -> bool:
    """Take `wanted` seats if they are free; no read-then-write, so concurrent takers can't
    overbook."""
    result = await tx.execute(_taking(seats), {"seats_row": row_id, "seats_wanted": wanted})
    return result.first() is not None


@cache
def _taking(seats: Table) -> Update:
    # Built once per table: a booking's hot path, where building it costs SQLAlchemy more
    # than running it.
    wanted = bindparam("seats_wanted", type_=Integer)
    return (
        update(seats)
        .where(
            seats.c.id == bindparam("seats_row"), seats.c.seats_taken + wanted <= seats.c.capacity
        )
        .values(seats_taken=seats.c.seats_taken + wanted)
        .returning(seats.c.id)
    )


async def lock(tx: AsyncSession, seats: Table, row_id: Any) -> None:
    """Hold the row to the commit (PostgreSQL; SQLite has one writer anyway)."""
    # NO KEY UPDATE is the lock an UPDATE takes: it does not hold up rows referring to it.
    await tx.execute(select(seats.c.id).where(seats.c.id == row_id).with_for_update(key_share=True))


async def take_or_wait(tx: AsyncSession, seats: Table, row_id: Any, wanted: int) -> bool:
    """Take the seats if they are free; False: the group joins the waitlist. A refusal is
    asked again under the row's lock: a release committing meanwhile seats only the
    waitlist it sees, so a group must not join that list while seats it fits in are freed."""
    if await take(tx, seats, row_id, wanted):
        return True
    await lock(tx, seats, row_id)
    return await take(tx, seats, row_id, wanted)


async def change(tx: AsyncSession, seats: Table, row_id: Any, by: int) -> int:
    """Add `by` (negative: release) to the seats taken; return the seats left.

    The UPDATE locks the row to the commit, so what the caller does next with the free
    seats (seating the waiting groups) no other transaction does meanwhile.
    """
    result = await tx.execute(
        update(seats)
        .where(seats.c.id == row_id)
        .values(seats_taken=seats.c.seats_taken + by)
        .returning(seats.c.capacity - seats.c.seats_taken)
    )
    return result.scalar_one()


def keep_in_step(mapped: Any, left: int) -> None:
    """Tell a mapped object the caller holds (an ORM row of `seats`) the seats left after a
    change: Core statements leave the ORM's copies as they were read."""
    set_committed_value(mapped, "seats_taken", mapped.capacity - left)


async def seats_left(tx: AsyncSession, seats: Table, row_ids: Collection[Any]) -> dict[Any, int]:
    """Seats left on the rows, locked to the commit in id order (the order of every taker)."""
    if not row_ids:
        return {}
    rows = await tx.execute(
        select(seats.c.id, seats.c.capacity - seats.c.seats_taken)
        .where(seats.c.id.in_(row_ids))
        .order_by(seats.c.id)
        .with_for_update(key_share=True)
    )
    return {row_id: left for row_id, left in rows}


@dataclass(frozen=True)
class Waitlist:
    """Places (rows of `places`: id, students, status, created_at) queued on the rows of
    `seats` they name in `on`, waiting while their status is `waiting`."""

    seats: Table
    places: Table
    on: Column
    waiting: str

    def in_order(self, row_id: Any) -> Select:
        # Request time orders the list; the id breaks ties so the order is total.
        places = self.places.c
        return (
            select(self.places)
            .where(self.on == row_id, places.status == self.waiting)
            .order_by(places.created_at, places.id)
        )


async def waiting(tx: AsyncSession, waitlist: Waitlist, row_id: Any) -> Sequence[Row]:
    """The row's waitlist in order, locked: a place another transaction is taking off the
    list drops out of it (PostgreSQL re-checks locked rows' status)."""
    return (await tx.execute(waitlist.in_order(row_id).with_for_update())).all()


async def position(
    tx: AsyncSession, waitlist: Waitlist, row_id: Any, created_at: datetime, place_id: Any
) -> int:
    """The place's position on the row's waitlist, 1 for the next in line; counted, so a
    long list costs one index range scan."""
    places = waitlist.places.c
    # Spelled out rather than a row-value comparison so each side binds as its column's type.
    ahead_or_self = waitlist.in_order(row_id).where(
        or_(
            places.created_at < created_at,
            and_(places.created_at == created_at, places.id <= place_id),
        )
    )
    return (
        await tx.execute(ahead_or_self.with_only_columns(func.count()).order_by(None))
    ).scalar_one()


async def positions(tx: AsyncSession, waitlist: Waitlist, places: Collection[Row | Any]) -> dict:
    """The positions of many waiting places (objects with id and the `on` column's value) in
    one statement, by id: a list of a school's places must not ask once per place."""
    if not places:
        return {}
    c = waitlist.places.c
    ranked = (
        select(
            c.id,
            func.row_number()
            .over(partition_by=waitlist.on, order_by=(c.created_at, c.id))
            .label("position"),
        )
        .where(waitlist.on.in_({getattr(p, waitlist.on.name) for p in places}))
        .where(c.status == waitlist.waiting)
        .subquery()
    )
    wanted = {p.id for p in places}
    rows = await tx.execute(select(*ranked.c).where(ranked.c.id.in_(wanted)))
    return {place_id: position for place_id, position in rows}


Choose = Callable[[int, Sequence[Row]], Awaitable[Collection[Any]]]


async def seat_waiting(
    tx: AsyncSession, waitlist: Waitlist, row_id: Any, free: int, choose: Choose
) -> list[Row]:
    """Seat the waiting places `choose` picks (by id) for the `free` seats of the row, whose
    lock the caller holds; return them in waitlist order, their seats taken on this row.
    Their status is the caller's to change."""
    places = await waiting(tx, waitlist, row_id)
    chosen = set(await choose(free, places)) if places else set()
    seated = [p for p in places if p.id in chosen]
    if seated:
        await change(tx, waitlist.seats, row_id, sum(p.students for p in seated))
    return seated


async def release(
    tx: AsyncSession, waitlist: Waitlist, row_id: Any, students: int, choose: Choose
) -> list[Row]:
    """Give a leaving group's seats back and, in the same transaction, seat the waiting
    places `choose` picks of the seats then free (see `seat_waiting`)."""
    free = await change(tx, waitlist.seats, row_id, -students)
    return await seat_waiting(tx, waitlist, row_id, free, choose)
