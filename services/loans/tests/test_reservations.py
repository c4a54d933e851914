"""The booking handlers against a real (SQLite) store: reservations, answers to bookings and
the outbox rows they stage."""

import json
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from sqlalchemy import select

from services.loans import commands
from services.loans.app import SPEC
from services.loans.domain import Period, ReservationStatus
from services.loans.store import Item, Reservation, messaging
from services.loans.tests.serving import item
from shared.contracts.bookings import (
    BookingCancelledV1,
    SessionEquipmentReleasedV1,
    SessionEquipmentRequestedV1,
)
from shared.contracts.common import Group
from shared.service import Runtime
from shared.tests.clock import MONDAY_MORNING
from shared.tests.runtime import migrated_runtime, sqlite_url

STARTS_AT = datetime(2027, 3, 9, 7, 30, tzinfo=UTC)
ENDS_AT = datetime(2027, 3, 9, 9, 30, tzinfo=UTC)
GRANTED = "nl.tisfortech.loans.session-equipment.reserved.v1"
REJECTED = "nl.tisfortech.loans.session-equipment.rejected.v1"
KITS = [("tft-rob-001", "robot"), ("tft-rob-002", "robot"), ("tft-drn-001", "drone")]


@pytest.fixture
async def rt(tmp_path):
    """Three whole kits: two of robots, one of drones."""
    runtime = await migrated_runtime(SPEC, sqlite_url(tmp_path / "loans.db"))
    async with runtime.db.transaction() as tx:
        tx.add_all([item(i, category, 12) for i, category in KITS])
    yield runtime
    await runtime.db.dispose()


def _request(
    equipment: list[str], closed_days: tuple[date, ...] = (), until: date | None = None
) -> SessionEquipmentRequestedV1:
    return SessionEquipmentRequestedV1(
        request_id=uuid4(),
        session_id=uuid4(),
        offering_id="insp-robotica",
        starts_at=STARTS_AT,
        ends_at=ENDS_AT,
        equipment=equipment,
        closed_days=list(closed_days),
        alternative_until=until,
    )


async def _ask(rt: Runtime, equipment: list[str], **calendar) -> SessionEquipmentRequestedV1:
    request = _request(equipment, **calendar)
    async with rt.db.transaction() as tx:
        await commands.reserve_for_session(tx, rt.outbox, request, MONDAY_MORNING)
    return request


async def _reservations(rt: Runtime) -> list[Reservation]:
    async with rt.db.sessions() as tx:
        return list(await tx.scalars(select(Reservation).order_by(Reservation.created_at)))


async def _staged(rt: Runtime, event_type: str | None = None) -> list[dict]:
    outbox = messaging.outbox
    query = select(outbox.c.event_type, outbox.c.payload).order_by(outbox.c.seq)
    async with rt.db.sessions() as tx:
        rows = (await tx.execute(query)).all()
    return [
        json.loads(payload) | {"type": kind} for kind, payload in rows if event_type in (None, kind)
    ]


async def test_each_category_gets_a_whole_kit_for_the_session_and_bookings_hears_which(rt):
    request = await _ask(rt, ["robot", "drone", "robot"])
    reservations = await _reservations(rt)
    assert sorted(r.item_id for r in reservations) == ["tft-drn-001", "tft-rob-001"]
    assert {
        (r.starts_on, r.quantity, r.session_id, r.booking_id, r.school_id) for r in reservations
    } == {(date(2027, 3, 9), 12, request.session_id, None, "hotspot")}
    [granted] = await _staged(rt, GRANTED)
    assert (granted["session_id"], granted["request_id"]) == (
        str(request.session_id),
        str(request.request_id),
    )
    assert sorted(granted["reservation_ids"]) == sorted(str(r.id) for r in reservations)
    made = await _staged(rt, "nl.tisfortech.loans.reservation.made.v1")
    assert {m["session_id"] for m in made} == {str(request.session_id)} and len(made) == 2


async def test_a_missing_kit_rejects_the_whole_request_and_offers_the_next_free_day(rt):
    await _ask(rt, ["drone"])
    request = await _ask(rt, ["robot", "drone"])

    assert [r.item_id for r in await _reservations(rt)] == ["tft-drn-001"]
    [rejected] = await _staged(rt, REJECTED)
    assert rejected["request_id"] == str(request.request_id) and rejected["category"] == "drone"
    assert rejected["reason"] == "Er is op dinsdag 9 maart 2027 geen droneset vrij voor deze les."
    assert rejected["alternative"] == {
        "item_id": "tft-drn-001",
        "starts_on": "2027-03-10",
        "ends_on": "2027-03-10",
    }


async def test_the_alternative_skips_the_days_the_hotspot_is_closed(rt):
    """The drone kit is free again on Wednesday 10 March, a day bookings says is closed, as
    are Friday 12 and the weekend; Thursday 11 is taken: the first open free day is Monday."""
    await _ask(rt, ["drone"])
    async with rt.db.transaction() as tx:  # Thursday the 11th is taken too
        tx.add(
            Reservation.of(
                await tx.get(Item, "tft-drn-001"),
                "element",
                12,
                Period(date(2027, 3, 11), date(2027, 3, 11)),
                MONDAY_MORNING,
            )
        )
    closed = (date(2027, 3, 10), date(2027, 3, 12), date(2027, 3, 13), date(2027, 3, 14))
    await _ask(rt, ["drone"], closed_days=closed, until=date(2027, 6, 1))

    [rejected] = await _staged(rt, REJECTED)
    assert rejected["alternative"] == {
        "item_id": "tft-drn-001",
        "starts_on": "2027-03-15",
        "ends_on": "2027-03-15",
    }


async def test_no_alternative_past_the_calendar_bookings_sent(rt):
    await _ask(rt, ["drone"])
    await _ask(rt, ["drone"], closed_days=(date(2027, 3, 10),), until=date(2027, 3, 10))
    [rejected] = await _staged(rt, REJECTED)
    assert rejected["alternative"] is None


async def test_a_category_the_hotspot_lacks_is_rejected_without_alternative(rt):
    await _ask(rt, ["vr"])
    [rejected] = await _staged(rt, REJECTED)
    assert rejected["category"] == "vr" and rejected["alternative"] is None
    assert await _reservations(rt) == []


async def test_a_released_session_frees_its_kit(rt):
    first = await _ask(rt, ["robot"])
    await _ask(rt, ["robot"])
    async with rt.db.transaction() as tx:
        await commands.release_for_session(
            tx,
            rt.outbox,
            SessionEquipmentReleasedV1(request_id=first.request_id, session_id=first.session_id),
        )
    await _ask(rt, ["robot"])
    statuses = [(r.item_id, r.status) for r in await _reservations(rt)]
    assert statuses == [
        ("tft-rob-001", ReservationStatus.RELEASED),
        ("tft-rob-002", ReservationStatus.RESERVED),
        ("tft-rob-001", ReservationStatus.RESERVED),
    ]
    assert len(await _staged(rt, "nl.tisfortech.loans.reservation.released.v1")) == 1


async def test_a_request_and_its_release_in_one_batch_leave_nothing_reserved(rt):
    """Bookings may let go before loans answered: the release, read after the request
    (same key, same partition), frees what the request reserved."""
    request = _request(["robot"])
    async with rt.db.transaction() as tx:
        await commands.reserve_for_session(tx, rt.outbox, request, MONDAY_MORNING)
        await commands.release_for_session(
            tx,
            rt.outbox,
            SessionEquipmentReleasedV1(
                request_id=request.request_id, session_id=request.session_id
            ),
        )
    assert [r.status for r in await _reservations(rt)] == [ReservationStatus.RELEASED]


async def test_a_cancelled_booking_still_frees_what_was_reserved_for_it_alone(rt):
    """Reservations made per booking before equipment belonged to the session."""
    booking_id = uuid4()
    async with rt.db.transaction() as tx:
        tx.add(
            Reservation.of(
                await tx.get(Item, "tft-rob-001"),
                "corlaer",
                12,
                Period(date(2027, 3, 9), date(2027, 3, 9)),
                MONDAY_MORNING,
                booking_id=booking_id,
            )
        )
    async with rt.db.transaction() as tx:
        await commands.release_for_booking(
            tx,
            rt.outbox,
            BookingCancelledV1(
                booking_id=booking_id,
                session_id=uuid4(),
                offering_id="insp-robotica",
                offering_title="Inspiratieles Robotica",
                school_id="corlaer",
                group=Group(name="2A", level="vmbo-kb", year=2, students=24),
                starts_at=STARTS_AT,
                ends_at=ENDS_AT,
                location="Hotspot",
                cancelled_by="school",
            ),
        )
    assert [r.status for r in await _reservations(rt)] == [ReservationStatus.RELEASED]


async def test_requests_applied_in_one_batch_see_each_others_reservations(rt):
    # The consumer applies a whole Kafka batch in one transaction.
    async with rt.db.transaction() as tx:
        for _ in range(3):
            await commands.reserve_for_session(tx, rt.outbox, _request(["robot"]), MONDAY_MORNING)
    assert [r.item_id for r in await _reservations(rt)] == ["tft-rob-001", "tft-rob-002"]
    assert [e["type"] for e in await _staged(rt) if e["type"] in (GRANTED, REJECTED)] == [
        GRANTED,
        GRANTED,
        REJECTED,
    ]
