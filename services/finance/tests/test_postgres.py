"""The same handler on PostgreSQL, where consumers really race for one declaration.

Uses the test cluster of the root conftest.py (`postgres` fixture), in a database of its own.
"""

import asyncio
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from services.finance import handlers
from services.finance.store import Declaration, DeclarationLine, messaging
from services.finance.tests.test_handlers import completed, envelope_of
from shared.messaging.outbox import Outbox
from shared.store.db import Database, create_engine
from shared.store.migrations import upgrade

pytestmark = pytest.mark.integration

DATABASE = "finance_store_test"


@pytest.fixture
async def pg(postgres):
    postgres.drop_database(DATABASE)
    postgres.create_database(DATABASE)
    url = postgres.url(DATABASE)
    await asyncio.to_thread(upgrade, "finance", url)
    db = Database(create_engine(url))
    yield SimpleNamespace(db=db, outbox=Outbox(messaging.outbox, source="/tft/finance"))
    await db.dispose()


async def apply(rt, event, envelope) -> None:
    async with rt.db.transaction() as session:
        await handlers.booking_completed(rt)(session, event, envelope)


async def test_racing_consumers_share_one_declaration(pg):
    events = [completed() for _ in range(12)]
    await asyncio.gather(*(apply(pg, e, envelope_of(e)) for e in events))

    async with pg.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Declaration)) == 1
        assert await session.scalar(select(func.count()).select_from(DeclarationLine)) == 12


async def test_one_source_event_gives_one_line_even_in_racing_transactions(pg):
    event = completed()
    envelope = envelope_of(event)
    results = await asyncio.gather(*(apply(pg, event, envelope) for _ in range(4)),
                                   return_exceptions=True)

    assert sum(r is None for r in results) == 1
    assert all(isinstance(r, IntegrityError) for r in results if r is not None)
    async with pg.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DeclarationLine)) == 1
