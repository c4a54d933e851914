"""Concurrent requests as a running service meets them."""

import asyncio

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
