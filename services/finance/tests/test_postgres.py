"""Racing consumers and writers on both stores (SQLite and PostgreSQL), and what only
PostgreSQL's own constraints and locks do.

Uses the test cluster of the root conftest.py (`fresh_database` fixture), in a database of its own.
"""

import asyncio
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from services.finance import commands, handlers, store
from services.finance.store import Declaration, DeclarationLine, messaging
from services.finance.tests.test_handlers import completed, envelope_of
from shared.clock import SYSTEM_CLOCK
from shared.contracts.requests.finance import Correction, MaterialLine
from shared.domain import Refused
from shared.http import Caller
from shared.messaging.outbox import Outbox
from shared.store.db import Database, create_engine
from shared.store.migrations import upgrade
from shared.tests.racing import warm

pytestmark = pytest.mark.integration

DATABASE = "finance_store_test"


@pytest.fixture
async def pg(fresh_database):
    async for runtime in _runtime(fresh_database(DATABASE)):
        yield runtime


@pytest.fixture
async def rt(each_store):
    async for runtime in _runtime(each_store(DATABASE)):
        yield runtime


async def _runtime(url: str):
    await asyncio.to_thread(upgrade, "finance", url)
    db = Database(create_engine(url))
    await warm(db)
    yield SimpleNamespace(
        db=db, outbox=Outbox(messaging.outbox, source="/tft/finance"), clock=SYSTEM_CLOCK
    )
    await db.dispose()


async def apply(rt, event, envelope) -> None:
    async with rt.db.transaction() as session:
        await handlers.booking_completed(rt)(session, event, envelope)


async def test_racing_consumers_share_one_declaration(rt):
    events = [completed() for _ in range(12)]
    await asyncio.gather(*(apply(rt, e, envelope_of(e)) for e in events))

    async with rt.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Declaration)) == 1
        assert await session.scalar(select(func.count()).select_from(DeclarationLine)) == 12


async def test_one_source_event_gives_one_line_even_in_racing_transactions(rt):
    event = completed()
    envelope = envelope_of(event)
    results = await asyncio.gather(
        *(apply(rt, event, envelope) for _ in range(4)), return_exceptions=True
    )

    # Whoever comes after the first commit skips the activity; whoever raced it is refused.
    assert all(r is None or isinstance(r, IntegrityError) for r in results)
    async with rt.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DeclarationLine)) == 1


COORDINATOR = Caller("jan", "school", "corlaer")
FINANCE = Caller("fatima", "finance", "finance")


def material(cents: int) -> MaterialLine:
    return MaterialLine(
        kind="material",
        core_task="C",
        description="Filament",
        amount_cents=cents,
        supplier="Printshop",
        invoice_reference="F-1",
    )


async def add(pg, declaration_id, cents) -> bool:
    try:
        await commands.add_line(pg, COORDINATOR, declaration_id, material(cents))
        return True
    except Refused as refused:
        assert refused.status == 409
        return False


async def test_a_submitted_declaration_cannot_be_changed_even_by_racing_writers(rt):
    """Lines racing a submit either make it in before the submit or are refused: the total
    the audit trail recorded at submission stays the declaration's total."""
    declaration = await commands.declaration_of_quarter(rt, COORDINATOR, "2026-Q4")

    underway = asyncio.Event()

    async def keep_adding() -> list[bool]:
        """Add lines until the submit refuses one (bounded, should the submit never come)."""
        added: list[bool] = []
        while (not added or added[-1]) and len(added) < 5000:
            added.append(await add(rt, declaration.id, 100 + len(added)))
            if len(added) == 6:
                underway.set()
        return added

    async def submit_midway() -> None:
        await underway.wait()
        await commands.submit(rt, COORDINATOR, declaration.id)

    *writers, _ = await asyncio.gather(keep_adding(), keep_adding(), keep_adding(), submit_midway())
    # Each writer is accepted until the submit and refused from then on.
    assert all(added == sorted(added, reverse=True) for added in writers)
    added = [a for w in writers for a in w]
    assert set(added) == {True, False}, "some lines went in before the submit, some were refused"
    assert await add(rt, declaration.id, 1) is False
    await commands.approve(rt, FINANCE, declaration.id)

    async with rt.db.sessions() as session:
        lines = await store.lines_of_declaration(session, declaration.id)
        trail = await store.audit_of(session, declaration.id)
    assert len(lines) == sum(a is True for a in added)
    assert [(e.action, e.total_cents) for e in trail] == [
        ("submitted", sum(line.amount_cents for line in lines)),
        ("approved", sum(line.amount_cents for line in lines)),
    ]


async def test_a_late_lesson_passes_a_locked_quarter_on_postgres(pg):
    declaration = await commands.declaration_of_quarter(pg, COORDINATOR, "2026-Q4")
    await commands.submit(pg, COORDINATOR, declaration.id)
    event = completed()  # December 2026
    await apply(pg, event, envelope_of(event))

    async with pg.db.sessions() as session:
        line, holder = (
            await session.execute(select(DeclarationLine, Declaration).join(Declaration))
        ).one()
    assert (holder.quarter, line.late_for_quarter) == ("2027-Q1", "2026-Q4")


async def test_a_negative_amount_is_stored_only_as_a_correction_on_postgres(pg):
    declaration = await commands.declaration_of_quarter(pg, COORDINATOR, "2026-Q4")
    line = await commands.add_line(pg, COORDINATOR, declaration.id, material(1_000))
    correction = Correction(corrects_line_id=line.id, amount_cents=-400, description="Korting")
    await commands.correct(pg, COORDINATOR, declaration.id, correction)
    with pytest.raises(IntegrityError):  # the store's own guard, under the command's check
        async with pg.db.transaction() as session:
            await session.execute(
                update(DeclarationLine).where(DeclarationLine.id == line.id).values(amount_cents=-1)
            )
    async with pg.db.sessions() as session:
        lines = await store.lines_of_declaration(session, declaration.id)
    assert [x.amount_cents for x in lines] == [1_000, -400]


async def test_racing_corrections_never_take_a_line_below_zero(rt):
    """The corrected line is locked while its corrections are added up: of five racing
    corrections of -300 on a line of 1 000, exactly three go through."""
    declaration = await commands.declaration_of_quarter(rt, COORDINATOR, "2026-Q4")
    line = await commands.add_line(rt, COORDINATOR, declaration.id, material(1_000))
    correction = Correction(corrects_line_id=line.id, amount_cents=-300, description="Korting")

    async def correct() -> bool:
        try:
            await commands.correct(rt, COORDINATOR, declaration.id, correction)
            return True
        except Refused as refused:
            assert refused.status == 422
            return False

    results = await asyncio.gather(*(correct() for _ in range(5)))
    assert sorted(results) == [False, False, True, True, True]
    async with rt.db.sessions() as session:
        lines = await store.lines_of_declaration(session, declaration.id)
    assert sum(x.amount_cents for x in lines) == 100
