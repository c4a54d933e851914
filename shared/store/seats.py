"""Seats of a row with `capacity` and `seats_taken` (a lesson session, an event workshop).

The database keeps the count right: every change is one conditional UPDATE, and the
model's CHECK constraint (0 <= seats_taken <= capacity) refuses what slips past.
"""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession


async def take(tx: AsyncSession, model: Any, row_id: Any, seats: int) -> bool:
    """Take `seats` if they are free; no read-then-write, so concurrent takers can't overbook."""
    result = await tx.execute(
        update(model)
        .where(model.id == row_id, model.seats_taken + seats <= model.capacity)
        .values(seats_taken=model.seats_taken + seats)
        .returning(model.id)
    )
    return result.first() is not None


async def lock(tx: AsyncSession, model: Any, row_id: Any) -> None:
    """Hold the row to the commit (PostgreSQL; SQLite has one writer anyway)."""
    # NO KEY UPDATE is the lock an UPDATE takes: it does not hold up rows referring to it.
    await tx.execute(select(model.id).where(model.id == row_id).with_for_update(key_share=True))


async def change(tx: AsyncSession, model: Any, row_id: Any, by: int) -> int:
    """Add `by` (negative: release) to the seats taken; return the seats left.

    The UPDATE locks the row to the commit, so what the caller does next with the free
    seats (promoting or offering to waiting groups) no other transaction does meanwhile.
    """
    result = await tx.execute(
        update(model)
        .where(model.id == row_id)
        .values(seats_taken=model.seats_taken + by)
        .returning(model.capacity - model.seats_taken)
    )
    return result.scalar_one()
