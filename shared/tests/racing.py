"""Concurrent requests as a running service meets them."""

import asyncio

from sqlalchemy import text

from shared.store.db import Database


async def warm(db: Database) -> None:
    """Open the pool's connections at once, as a service that has been serving holds them.

    On a cold pool each racer first pays a connect, which lines them up one behind the other
    instead of letting them race as requests to a running service do.
    """
    connections = [db.engine.connect() for _ in range(db.engine.sync_engine.pool.size())]
    await asyncio.gather(*(c.start() for c in connections))
    for connection in connections:
        await connection.close()


async def until_waiting_on_locks(db: Database, count: int) -> None:
    """Until `count` of the database's sessions wait for a lock (PostgreSQL): racers parked
    behind a transaction the test holds open."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND datname = current_database()"
    )
    # Outside a transaction: inside one, PostgreSQL shows pg_stat_activity as it was at the
    # first read, and a watcher that looked before the racers parked would wait forever.
    async with db.engine.execution_options(isolation_level="AUTOCOMMIT").connect() as watcher:
        while await watcher.scalar(query) < count:  # noqa: ASYNC110 - another server's state
            await asyncio.sleep(0.02)


class GaveUp(Exception):
    """Rolls back a transaction the test holds open, after its rows are written."""
