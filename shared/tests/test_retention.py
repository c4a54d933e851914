"""Retention on both stores: published outbox rows and inbox rows past their time are
deleted in bounded batches, nothing else is, and replicas pruning at once agree."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import func, select

from shared.messaging.retention import Retention
from shared.observability.metrics import Metrics
from shared.store.requests import REQUESTS
from shared.tests.kafka import eventually, messaging_store

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)
KEEP = timedelta(days=7)
OLD, RECENT = NOW - KEEP - timedelta(hours=1), NOW - KEEP + timedelta(hours=1)


@pytest.fixture
async def store(each_store):
    db, tables = await messaging_store(each_store("tft_retention"))
    yield db, tables
    await db.dispose()


async def fill(store, old: int) -> None:
    """`old` published outbox rows and inbox rows past their time, and one of each kind
    that stays: published recently, unpublished, parked, processed recently."""
    db, tables = store
    outbox = [dict(published_at=OLD) for _ in range(old)] + [
        dict(published_at=RECENT, event_type="recent"),
        dict(created_at=OLD, event_type="unpublished"),
        dict(created_at=OLD, parked_at=OLD, park_reason="te groot", event_type="parked"),
    ]
    async with db.writing() as tx:
        await tx.execute(
            tables.outbox.insert(),
            [
                {
                    "event_id": str(uuid4()),
                    "topic": "t",
                    "key": "k",
                    "event_type": "old",
                    "payload": "{}",
                    "headers": "[]",
                    "created_at": OLD,
                    "published_at": None,
                    "parked_at": None,
                    "park_reason": None,
                }
                | row
                for row in outbox
            ],
        )
        await tx.execute(
            tables.inbox.insert(),
            [
                {"consumer": "c", "event_id": str(uuid4()), "event_type": kind, "processed_at": at}
                for kind, at in [("old", OLD)] * old + [("recent", RECENT)]
            ],
        )
        await tx.execute(
            REQUESTS.insert(),
            [
                {
                    "caller": "corlaer",
                    "key": f"{kind}-{i}",
                    "fingerprint": "f",
                    "status": 201,
                    "body": "{}",
                    "created_at": at,
                }
                for i, (kind, at) in enumerate([("old", OLD)] * old + [("recent", RECENT)])
            ],
        )


async def kinds_left(store) -> dict[str, list[str]]:
    db, tables = store
    async with db.sessions() as tx:
        left = {
            table.name: sorted(await tx.scalars(select(table.c.event_type)))
            for table in (tables.outbox, tables.inbox)
        }
        keys = await tx.scalars(select(REQUESTS.c.key))
        return left | {"requests": sorted({k.split("-")[0] for k in keys})}


def retention(store, batch_size: int = 2, interval: float = 3600) -> Retention:
    return Retention(
        store[0],
        store[1],
        Metrics(),
        outbox_keep=KEEP,
        inbox_keep=KEEP,
        interval_seconds=interval,
        batch_size=batch_size,
    )


async def test_rows_past_their_time_are_pruned_in_batches_and_nothing_else(store):
    await fill(store, old=5)
    job = retention(store, batch_size=2)

    assert await job.prune(NOW) == (5, 5, 5)

    assert await kinds_left(store) == {
        "outbox": ["parked", "recent", "unpublished"],
        "inbox": ["recent"],
        "requests": ["recent"],
    }
    assert (
        job.metrics.registry.get_sample_value("tft_retention_pruned_total", {"table": "outbox"})
        == 5
    )
    assert await job.prune(NOW) == (0, 0, 0)


async def test_replicas_pruning_at_once_delete_each_row_once_without_errors(store):
    await fill(store, old=40)
    other = await messaging_store(store[0].engine.url.render_as_string(hide_password=False))
    try:
        results = await asyncio.gather(
            retention(store, 3).prune(NOW), retention(other, 3).prune(NOW)
        )
    finally:
        await other[0].dispose()

    assert tuple(map(sum, zip(*results, strict=True))) == (40, 40, 40)
    assert await kinds_left(store) == {
        "outbox": ["parked", "recent", "unpublished"],
        "inbox": ["recent"],
        "requests": ["recent"],
    }


async def test_the_periodic_job_prunes_without_being_asked(store):
    await fill(store, old=3)
    job = retention(store, interval=0.05)
    task = asyncio.create_task(job.run())
    try:

        async def pruned():
            db, tables = store
            async with db.sessions() as tx:
                return await tx.scalar(select(func.count()).select_from(tables.inbox)) == 1

        await eventually(pruned, within=30)
    finally:
        task.cancel()
    assert (await kinds_left(store))["outbox"] == ["parked", "recent", "unpublished"]
