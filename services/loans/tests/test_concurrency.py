"""No overlapping reservations under concurrent requests, on both stores: the embedded
SQLite default and PostgreSQL (whose own constraint is tested here too).

The use cases and the API run against a freshly migrated database.
"""

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from services.loans import commands, overdue
from services.loans.domain import Period, ReservationStatus, Unavailable
from services.loans.store import SINGLE_ITEM_EXCLUSION, Item, Reservation, item_to_reserve
from services.loans.tests.serving import item, stocked_app
from shared.contracts.requests.loans import NewReservation
from shared.errors import violates_exclusion
from shared.http import Caller
from shared.service import Runtime
from shared.tests.callers import as_caller
from shared.tests.clock import MONDAY_MORNING
from shared.tests.racing import GaveUp, until_waiting_on_locks, warm

pytestmark = pytest.mark.integration

DRONE, ROBOTS, HYDROGEN_CAR = "tft-drn-001", "tft-rob-001", "tft-h2-001"
CORLAER = Caller(actor="corlaer", role="school", organisation="corlaer")
TODAY = date(2027, 4, 1)  # the service's today: before every day reserved below


@pytest.fixture
async def app(each_store):
    async for service in _service(each_store("tft_loans_concurrency")):
        yield service


@pytest.fixture
def rt(app) -> Runtime:
    return app.state.runtime


@pytest.fixture
async def pg(fresh_database) -> AsyncIterator[Runtime]:
    """PostgreSQL only: its exclusion constraint, which SQLite has no equivalent of."""
    async for service in _service(fresh_database("tft_loans_concurrency")):
        yield service.state.runtime


async def _service(url: str) -> AsyncIterator[FastAPI]:
    """The loans service on a migrated store (the migrations, not create_all: they hold the
    constraint), without its lifespan: Kafka plays no part in who gets the units."""
    items = [
        item(DRONE, "drone", 1),
        item(ROBOTS, "robot", 12),
        item(HYDROGEN_CAR, "hydrogen-car", 1),
    ]
    service = await stocked_app(url, items, TODAY)
    db = service.state.runtime.db
    await warm(db)
    yield service
    await db.dispose()


async def _reserve_all(rt, wishes: list[NewReservation]) -> list:
    return await asyncio.gather(
        *(commands.reserve(rt, CORLAER, w) for w in wishes), return_exceptions=True
    )


async def _holding(rt, item_id: str) -> int:
    async with rt.db.sessions() as tx:
        rows = await tx.scalars(select(Reservation).where(Reservation.item_id == item_id))
        return sum(r.quantity for r in rows)


async def test_twenty_schools_asking_for_one_item_on_one_day_get_one_reservation(rt):
    schools = [
        Caller(actor=f"teacher@s{i}", role="school", organisation=f"s{i}") for i in range(20)
    ]
    day = TODAY + timedelta(days=30)
    wish = NewReservation(item_id=DRONE, starts_on=day, ends_on=day)
    outcomes = await asyncio.gather(
        *(commands.reserve(rt, s, wish) for s in schools), return_exceptions=True
    )
    made = [o for o in outcomes if isinstance(o, Reservation)]
    assert len(made) == 1, outcomes
    assert all(isinstance(o, Unavailable) and o.status == 409 for o in outcomes if o not in made), (
        outcomes
    )
    assert await _holding(rt, DRONE) == 1


async def test_twenty_schools_asking_the_api_for_the_hydrogen_car_get_one_yes(app):
    day = (TODAY + timedelta(days=30)).isoformat()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://loans") as http:
        answers = await asyncio.gather(
            *(
                http.post(
                    "/reservations",
                    json={"item_id": HYDROGEN_CAR, "starts_on": day, "ends_on": day},
                    headers=as_caller("loans", "school", f"s{i}"),
                )
                for i in range(20)
            )
        )
    # Nineteen are told the car is taken; none waits for the store's lock into a 5xx.
    assert Counter(a.status_code for a in answers) == {201: 1, 409: 19}
    assert await _holding(app.state.runtime, HYDROGEN_CAR) == 1


async def test_fifty_overlapping_reservations_of_one_item_give_exactly_one(rt):
    wishes = [
        NewReservation(item_id=DRONE, starts_on=date(2027, 5, 3 + i % 5), ends_on=date(2027, 5, 10))
        for i in range(50)
    ]
    outcomes = await _reserve_all(rt, wishes)
    made = [o for o in outcomes if isinstance(o, Reservation)]
    refused = [o for o in outcomes if isinstance(o, Unavailable)]
    assert (len(made), len(refused)) == (1, 49), [o for o in outcomes if o not in made + refused]
    assert all(r.status == 409 for r in refused)
    assert await _holding(rt, DRONE) == 1


async def test_thirty_reservers_of_a_twelve_unit_kit_get_twelve_units(rt):
    wishes = [
        NewReservation(
            item_id=ROBOTS, starts_on=date(2027, 5, 4), ends_on=date(2027, 5, 4), quantity=1
        )
        for _ in range(30)
    ]
    outcomes = await _reserve_all(rt, wishes)
    made = [o for o in outcomes if isinstance(o, Reservation)]
    assert len(made) == 12
    assert all(isinstance(o, Unavailable) for o in outcomes if o not in made)
    assert await _holding(rt, ROBOTS) == 12


INSERT = text("""
    INSERT INTO reservations (id, item_id, item_quantity, school_id, quantity, starts_on,
                              ends_on, status, created_at)
    VALUES (gen_random_uuid(), :item, :units, 'corlaer', 1, :starts_on, :ends_on,
            'reserved', now())
""")


async def test_the_database_itself_refuses_an_overlapping_single_item(pg):
    async with pg.db.transaction() as tx:
        await tx.execute(
            INSERT, dict(item=DRONE, units=1, starts_on=date(2027, 6, 1), ends_on=date(2027, 6, 3))
        )
    with pytest.raises(IntegrityError) as refused:
        async with pg.db.transaction() as tx:
            await tx.execute(
                INSERT,
                dict(item=DRONE, units=1, starts_on=date(2027, 6, 3), ends_on=date(2027, 6, 4)),
            )
    assert violates_exclusion(refused.value, SINGLE_ITEM_EXCLUSION)


async def test_a_checked_out_single_item_is_excluded_like_a_reserved_one(pg):
    async with pg.db.transaction() as tx:
        await tx.execute(
            INSERT, dict(item=DRONE, units=1, starts_on=date(2027, 6, 1), ends_on=date(2027, 6, 3))
        )
        await tx.execute(text("UPDATE reservations SET status = 'checked_out'"))
    with pytest.raises(IntegrityError) as refused:
        async with pg.db.transaction() as tx:
            await tx.execute(
                INSERT,
                dict(item=DRONE, units=1, starts_on=date(2027, 6, 2), ends_on=date(2027, 6, 2)),
            )
    assert violates_exclusion(refused.value, SINGLE_ITEM_EXCLUSION)


async def test_reservers_queued_behind_a_failed_reservation_get_one_yes_never_a_deadlock(pg):
    # Reservers that inserted their rows while another held the item would, once it rolls
    # back, each wait for another's row, and PostgreSQL would break that cycle with an
    # error. The item's row lock makes them queue before they insert: one gets the item.
    day = TODAY + timedelta(days=40)
    with contextlib.suppress(GaveUp):
        async with pg.db.transaction() as holder:
            item = await item_to_reserve(holder, DRONE)
            holder.add(Reservation.of(item, "holder", 1, Period(day, day), MONDAY_MORNING))
            await holder.flush()
            waiting = [
                asyncio.create_task(
                    commands.reserve(
                        pg,
                        Caller(actor=f"s{i}", role="school", organisation=f"s{i}"),
                        NewReservation(item_id=DRONE, starts_on=day, ends_on=day),
                    )
                )
                for i in range(3)
            ]
            await until_waiting_on_locks(pg.db, 3)
            raise GaveUp
    outcomes = await asyncio.gather(*waiting, return_exceptions=True)
    assert sum(isinstance(o, Reservation) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Unavailable) and o.status == 409 for o in outcomes) == 2, outcomes


async def test_kit_units_and_released_reservations_are_not_excluded(pg):
    async with pg.db.transaction() as tx:
        for _ in range(2):
            await tx.execute(
                INSERT,
                dict(item=ROBOTS, units=12, starts_on=date(2027, 6, 1), ends_on=date(2027, 6, 3)),
            )
        await tx.execute(text("UPDATE reservations SET status = 'released'"))
        await tx.execute(
            INSERT, dict(item=DRONE, units=1, starts_on=date(2027, 6, 1), ends_on=date(2027, 6, 3))
        )
        await tx.execute(
            INSERT, dict(item=DRONE, units=1, starts_on=date(2027, 6, 4), ends_on=date(2027, 6, 4))
        )


async def test_a_row_cannot_claim_an_item_is_single_when_it_is_a_kit(pg):
    # The foreign key on (item_id, item_quantity) keeps the constraint's filter honest.
    with pytest.raises(IntegrityError):
        async with pg.db.transaction() as tx:
            await tx.execute(
                INSERT,
                dict(item=ROBOTS, units=1, starts_on=date(2027, 6, 1), ends_on=date(2027, 6, 3)),
            )


async def test_a_concurrent_extension_into_a_taken_period_is_refused(rt):
    first = await commands.reserve(
        rt,
        CORLAER,
        NewReservation(item_id=DRONE, starts_on=date(2027, 7, 1), ends_on=date(2027, 7, 2)),
    )
    wishes = [NewReservation(item_id=DRONE, starts_on=date(2027, 7, 5), ends_on=date(2027, 7, 6))]
    extension = commands.extend(rt, CORLAER, first.id, date(2027, 7, 5))
    outcomes = await asyncio.gather(extension, _reserve_all(rt, wishes), return_exceptions=True)
    extended, [reserved] = outcomes
    assert isinstance(extended, Reservation) != isinstance(reserved, Reservation)


async def test_two_concurrent_overdue_scans_report_each_loan_once(rt):
    async with rt.db.transaction() as tx:
        kit = await tx.get(Item, ROBOTS)
        for day in range(1, 21):
            day_in_august = Period(date(2027, 8, day), date(2027, 8, day))
            loan = Reservation.of(kit, "corlaer", 12, day_in_august, MONDAY_MORNING)
            loan.status = ReservationStatus.CHECKED_OUT
            tx.add(loan)
    today = date(2027, 9, 1)
    counts = await asyncio.gather(*(overdue.report_overdue(rt, today) for _ in range(2)))
    assert sum(counts) == 20
    async with rt.db.sessions() as tx:
        keys = (
            (await tx.execute(text("SELECT key FROM outbox WHERE event_type LIKE '%overdue%'")))
            .scalars()
            .all()
        )
    assert len(keys) == len(set(keys)) == 20
