"""A store's connections under load (shared/store/db.py), on SQLite and PostgreSQL: a warm
pool serves the expected concurrency without opening a connection, never holds more than
its size, and a unit of work that finds them all busy waits, then fails as an outage."""

import asyncio

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import TimeoutError as PoolTimeout

from shared.errors import is_transient
from shared.store.db import Database, PoolSettings, create_engine

pytestmark = pytest.mark.integration

# The bench's clients, and what a service meets at its busiest in the tests.
EXPECTED_CONCURRENCY = 50


async def _unit_of_work(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.execute(text("select 1"))
        await asyncio.sleep(0)  # others take their connections meanwhile, as requests do


def _connects(db: Database) -> list[object]:
    """Each connection the engine opens from now on."""
    opened: list[object] = []
    event.listen(db.engine.sync_engine, "connect", lambda conn, _record: opened.append(conn))
    return opened


@pytest.fixture
async def db(each_store):
    store = Database(create_engine(each_store("tft_pool")))  # the default sizes
    yield store
    await store.dispose()


async def test_a_warm_pool_opens_no_connection_under_the_expected_concurrency(db):
    opened = _connects(db)
    for _warm_up in range(2):
        await asyncio.gather(*(_unit_of_work(db) for _ in range(EXPECTED_CONCURRENCY)))
    warm = len(opened)
    for _round in range(3):
        await asyncio.gather(*(_unit_of_work(db) for _ in range(EXPECTED_CONCURRENCY)))
    assert len(opened) == warm, "connections were opened (and closed) under a steady load"
    assert db.engine.sync_engine.pool.checkedin() == warm, "the warm connections stay open"
    assert 0 < warm <= PoolSettings().pool_size


async def test_a_unit_of_work_waits_for_a_busy_pool_and_then_fails_as_an_outage(each_store):
    db = Database(
        create_engine(
            each_store("tft_pool_busy"), PoolSettings(pool_size=1, pool_timeout_seconds=0.2)
        )
    )
    try:
        async with db.engine.connect() as held:
            await held.execute(text("select 1"))
            with pytest.raises(PoolTimeout) as waited:
                await _unit_of_work(db)
        assert is_transient(waited.value)  # answered 503, or retried by a consumer
        await _unit_of_work(db)  # given back, the connection serves the next one
    finally:
        await db.dispose()
