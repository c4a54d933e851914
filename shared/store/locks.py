"""Turns on a named resource (a room, an instructor) for rows not yet written.

An exclusion constraint refuses the later of two overlapping rows, but two transactions
inserting at once each wait for the other's row and PostgreSQL breaks the deadlock with an
error. Writers that check first and then insert take turns on the resource instead, so the
second one's check sees the first one's row. SQLite has one writer at a time anyway.
"""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def take_turns(tx: AsyncSession, *resources: str) -> None:
    """Hold each resource to the commit; sorted, so two holders of the same set never wait
    on each other crosswise."""
    if tx.get_bind().dialect.name != "postgresql":
        return
    for resource in sorted(set(resources)):
        await tx.execute(select(func.pg_advisory_xact_lock(func.hashtext(resource))))
