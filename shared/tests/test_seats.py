"""The seat and waitlist protocol (shared/store/seats.py) under concurrent takers and
releasers, on a table of its own, on SQLite and PostgreSQL: never oversold, the waitlist in
request order, released seats to the first waiting group that fits."""

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    func,
    select,
    update,
)

from shared.domain import first_groups_that_fit
from shared.store import seats
from shared.store.db import Database, create_engine
from shared.tests.racing import until_waiting_on_locks, warm

pytestmark = pytest.mark.integration

metadata = MetaData()
ROWS = Table(
    "seat_rows",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("capacity", Integer),
    Column("seats_taken", Integer),
    CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity"),
)
PLACES = Table(
    "seat_places",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("row_id", ForeignKey("seat_rows.id")),
    Column("students", Integer),
    Column("status", String(20)),
    Column("created_at", DateTime(timezone=True)),
)
WAITLIST = seats.Waitlist(ROWS, PLACES, PLACES.c.row_id, "waiting")
START = datetime(2026, 1, 1, tzinfo=UTC)


async def _store(url: str) -> Database:
    store = Database(create_engine(url))
    async with store.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await warm(store)
    return store


@pytest.fixture
async def db(each_store):
    store = await _store(each_store("tft_seats"))
    yield store
    await store.dispose()


@pytest.fixture
async def postgres_db(fresh_database):
    """PostgreSQL only: the races below need its row locks (SQLite's one writer serialises
    them anyway) and its view of who waits for a lock."""
    store = await _store(fresh_database("tft_seats_races"))
    yield store
    await store.dispose()


async def _row(db: Database, capacity: int, taken: int = 0) -> UUID:
    row_id = uuid4()
    async with db.transaction() as tx:
        await tx.execute(ROWS.insert().values(id=row_id, capacity=capacity, seats_taken=taken))
    return row_id


async def _first_that_fit(free: int, waiting: Sequence) -> list[UUID]:
    return first_groups_that_fit(free, [(w.id, w.students) for w in waiting])


async def _ask(db: Database, row_id: UUID, students: int, at: datetime) -> UUID:
    """A group asks for seats: seated if free, else on the waitlist."""
    place_id = uuid4()
    async with db.transaction() as tx:
        seated = await seats.take_or_wait(tx, ROWS, row_id, students)
        await tx.execute(
            PLACES.insert().values(
                id=place_id,
                row_id=row_id,
                students=students,
                status="seated" if seated else "waiting",
                created_at=at,
            )
        )
    return place_id


async def _leave(db: Database, place_id: UUID) -> list[UUID]:
    """A seated group leaves; the waiting groups its seats go to are seated."""
    async with db.transaction() as tx:
        place = (
            await tx.execute(select(PLACES).where(PLACES.c.id == place_id).with_for_update())
        ).one()
        await tx.execute(update(PLACES).where(PLACES.c.id == place_id).values(status="left"))
        promoted = await seats.release(tx, WAITLIST, place.row_id, place.students, _first_that_fit)
        await _seat(tx, [p.id for p in promoted])
    return [p.id for p in promoted]


async def _seat(tx, place_ids: list[UUID]) -> None:
    if place_ids:
        await tx.execute(update(PLACES).where(PLACES.c.id.in_(place_ids)).values(status="seated"))


async def _state(db: Database, row_id: UUID) -> tuple[int, dict[str, int], list[UUID]]:
    """Seats taken, places per status, and the waitlist by position."""
    async with db.sessions() as tx:
        taken = await tx.scalar(select(ROWS.c.seats_taken).where(ROWS.c.id == row_id))
        counts = dict(
            (
                await tx.execute(
                    select(PLACES.c.status, func.sum(PLACES.c.students))
                    .where(PLACES.c.row_id == row_id)
                    .group_by(PLACES.c.status)
                )
            ).all()
        )
        waiting = (await tx.execute(WAITLIST.in_order(row_id))).all()
        positions = [
            await seats.position(tx, WAITLIST, row_id, w.created_at, w.id) for w in waiting
        ]
    assert positions == list(range(1, len(waiting) + 1))
    return taken, counts, [w.id for w in waiting]


async def test_many_takers_of_the_last_seats_never_oversell_and_wait_in_order(db):
    row_id = await _row(db, capacity=30, taken=20)

    asked = await asyncio.gather(
        *(_ask(db, row_id, 1, START + timedelta(seconds=i)) for i in range(60))
    )

    taken, counts, waiting = await _state(db, row_id)
    assert (taken, counts) == (30, {"seated": 10, "waiting": 50})
    # The waitlist is in request order, whoever committed first.
    assert waiting == [p for p in asked if p in set(waiting)]


async def test_releases_among_many_takers_never_leave_a_seat_free_while_a_group_waits(
    db,
):
    row_id = await _row(db, capacity=10)
    seated = [await _ask(db, row_id, 1, START + timedelta(seconds=i)) for i in range(10)]

    outcomes = await asyncio.gather(
        *(_ask(db, row_id, 1, START + timedelta(minutes=1, seconds=i)) for i in range(40)),
        *(_leave(db, p) for p in seated[:5]),
    )

    taken, counts, waiting = await _state(db, row_id)
    # Never over capacity, and never a free seat while a group waits for one.
    assert taken == counts["seated"] == 10 and counts["left"] == 5
    assert len(waiting) == 35
    assert len([p for released in outcomes[40:] for p in released]) == 5


async def test_a_release_seats_the_first_waiting_group_that_fits(db):
    row_id = await _row(db, capacity=4)
    first = await _ask(db, row_id, 4, START)
    too_big, fits, next_one = [
        await _ask(db, row_id, students, START + timedelta(seconds=i))
        for i, students in ((1, 3), (2, 1), (3, 1))
    ]
    async with db.transaction() as tx:
        await tx.execute(update(PLACES).where(PLACES.c.id == first).values(status="left"))
        promoted = await seats.release(tx, WAITLIST, row_id, 2, _first_that_fit)
        await _seat(tx, [p.id for p in promoted])

    # Two seats free: the group of three waits on, the two of one behind it are seated.
    assert [p.id for p in promoted] == [fits, next_one]
    assert await _state(db, row_id) == (4, {"left": 4, "seated": 2, "waiting": 3}, [too_big])


async def _racing(db: Database, holder, racer) -> None:
    """Run `racer` while `holder`'s transaction stays open, until the racer either ends
    or waits for the holder's lock; then commit the holder and let the racer end."""
    async with db.transaction() as tx:
        await holder(tx)
        task = asyncio.create_task(racer())
        blocked = asyncio.create_task(until_waiting_on_locks(db, 1))
        await asyncio.wait([task, blocked], return_when=asyncio.FIRST_COMPLETED)
        blocked.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await blocked
    await task


async def test_a_group_refused_while_seats_are_freed_is_seated_not_left_waiting(postgres_db):
    # The group refused a seat locks the row before it joins the list, so the release
    # waits for it and seats it.
    db = postgres_db
    row_id = await _row(db, capacity=1)
    leaving = await _ask(db, row_id, 1, START)
    late = uuid4()

    async def refused_and_waiting(tx) -> None:
        assert not await seats.take_or_wait(tx, ROWS, row_id, 1)
        await tx.execute(
            PLACES.insert().values(
                id=late, row_id=row_id, students=1, status="waiting", created_at=START
            )
        )

    await _racing(db, refused_and_waiting, lambda: _leave(db, leaving))
    assert await _state(db, row_id) == (1, {"left": 1, "seated": 1}, [])


async def test_a_group_leaving_the_waitlist_during_a_release_is_passed_over(postgres_db):
    # The release reads the waitlist locked, so a group taken off it meanwhile (its row
    # locked by its own cancellation) drops out, and the next in line is seated.
    db = postgres_db
    row_id = await _row(db, capacity=1)
    leaving = await _ask(db, row_id, 1, START)
    first, second = [await _ask(db, row_id, 1, START + timedelta(seconds=i)) for i in (1, 2)]

    async def first_gives_up(tx) -> None:
        await tx.execute(update(PLACES).where(PLACES.c.id == first).values(status="gave-up"))

    await _racing(db, first_gives_up, lambda: _leave(db, leaving))
    assert await _state(db, row_id) == (1, {"left": 1, "gave-up": 1, "seated": 1}, [])
    async with db.sessions() as tx:
        assert await tx.scalar(select(PLACES.c.status).where(PLACES.c.id == second)) == "seated"
