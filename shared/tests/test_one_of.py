"""`one_of` on PostgreSQL: a lookup of many ids stays cheap under a cached generic plan, which
an IN list of the same length does not (it compares every row with every id)."""

import time
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import create_async_engine

from shared.messaging.tables import add_messaging_tables
from shared.store.db import Database, one_of

pytestmark = pytest.mark.integration

ROWS, IDS = 40_000, 1_000  # an IN list of 1,000 ids took seconds a lookup here


async def test_a_lookup_of_many_ids_under_a_generic_plan_takes_milliseconds(fresh_database):
    engine = create_async_engine(
        fresh_database("tft_one_of"),
        # the plan asyncpg's cached statement gets after five executions, from the first
        connect_args={"server_settings": {"plan_cache_mode": "force_generic_plan"}},
    )
    db, metadata = Database(engine), MetaData()
    inbox = add_messaging_tables(metadata).inbox
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        now = datetime.now(UTC)
        async with db.writing() as tx:
            await tx.execute(
                inbox.insert(),
                [
                    {
                        "consumer": "c",
                        "event_id": str(uuid4()),
                        "event_type": "t",
                        "processed_at": now,
                    }
                    for _ in range(ROWS)
                ],
            )
        async with db.sessions() as tx:
            known = list((await tx.execute(select(inbox.c.event_id).limit(IDS // 2))).scalars())
            asked = known + [str(uuid4()) for _ in range(IDS - len(known))]
            started = time.perf_counter()
            found = await tx.execute(
                select(inbox.c.event_id).where(
                    inbox.c.consumer == "c", one_of(inbox.c.event_id, asked, postgres=True)
                )
            )
            took = time.perf_counter() - started
        assert set(found.scalars()) == set(known)
        assert took < 0.5, f"{took:.2f} s: the lookup compared rows with ids one by one"
    finally:
        await engine.dispose()
