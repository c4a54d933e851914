"""The BookingCompletedV2 handler through the real inbox consumer, on a real SQLite store."""

import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from aiokafka import ConsumerRecord
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from services.finance import handlers
from services.finance.store import Declaration, DeclarationLine, DefaultRate, messaging
from shared.contracts.bookings import BookingCompletedV2
from shared.contracts.common import Group
from shared.contracts.topics import BOOKING
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import EventConsumer
from shared.observability.metrics import Metrics
from shared.tests.records import consumer_record


def completed(
    school_id="corlaer", starts_at=datetime(2026, 12, 3, 8, 30, tzinfo=UTC), minutes=120
) -> BookingCompletedV2:
    return BookingCompletedV2(
        booking_id=uuid4(),
        session_id=uuid4(),
        offering_id="robotica-inspiratie",
        offering_title="Robotica inspiratieles",
        school_id=school_id,
        group=Group(name="2B", level="vmbo-kb", year=2, students=24),
        starts_at=starts_at,
        ends_at=starts_at,
        location="Hotspot",
        delivered_minutes=minutes,
        instructor_minutes=minutes,
        students_reached=24,
        core_task="A",
    )


def record(event: BookingCompletedV2, envelope: Envelope, offset=0) -> ConsumerRecord:
    return consumer_record(BOOKING, event.key(), event.model_dump_json().encode(), envelope, offset)


def envelope_of(event: BookingCompletedV2) -> Envelope:
    return Envelope.new(type=event.event_type, source="/tft/bookings", subject=event.key())


def consumer(rt) -> EventConsumer:
    async def no_dead_letters():
        raise AssertionError("nothing here should be dead-lettered")

    return EventConsumer(
        name="finance",
        topics=[BOOKING],
        handlers={BookingCompletedV2: handlers.booking_completed(rt)},
        db=rt.db,
        inbox=messaging.inbox,
        metrics=Metrics(),
        dlt_producer=no_dead_letters,
        backoff_seconds=0,
    )


async def count(rt, what) -> int:
    async with rt.db.sessions() as tx:
        return await tx.scalar(select(func.count()).select_from(what))


async def test_a_completed_lesson_becomes_one_priced_line_even_when_redelivered(rt):
    event = completed()
    envelope = envelope_of(event)
    finance = consumer(rt)
    await finance.process([record(event, envelope), record(event, envelope, offset=1)])
    await finance.process([record(event, envelope, offset=0)])  # redelivery after a crash

    async with rt.db.sessions() as tx:
        line, declaration = (
            await tx.execute(select(DeclarationLine, Declaration).join(Declaration))
        ).one()
        outbox = (await tx.execute(select(messaging.outbox))).all()
    assert (declaration.school_id, declaration.quarter, declaration.status) == (
        "corlaer",
        "2026-Q4",
        "draft",
    )
    assert (line.kind, line.core_task, line.minutes) == ("hours", "A", 120)
    assert (line.hourly_rate_cents, line.amount_cents) == (7500, 15000)
    assert line.description == "Technieklessen hotspot: Robotica inspiratieles (2B)"
    assert (line.source_event_id, line.source_type) == (envelope.id, event.event_type)
    assert line.booking_id == event.booking_id
    assert len(outbox) == 1
    drafted = json.loads(outbox[0].payload)
    assert drafted["line_id"] == str(line.id)
    assert drafted["source_event_id"] == envelope.id
    assert outbox[0].key == str(declaration.id)


async def test_lines_of_one_school_and_quarter_share_one_declaration(rt):
    events = [
        completed(),
        completed(),
        completed(school_id="element"),
        completed(starts_at=datetime(2027, 1, 12, 9, 0, tzinfo=UTC)),
    ]
    await consumer(rt).process([record(e, envelope_of(e), offset=i) for i, e in enumerate(events)])

    async with rt.db.sessions() as tx:
        declarations = (
            await tx.execute(
                select(Declaration.school_id, Declaration.quarter).order_by(
                    Declaration.quarter, Declaration.school_id
                )
            )
        ).all()
    assert [tuple(d) for d in declarations] == [
        ("corlaer", "2026-Q4"),
        ("element", "2026-Q4"),
        ("corlaer", "2027-Q1"),
    ]
    assert await count(rt, DeclarationLine) == 4


async def test_the_rate_finance_keeps_wins_over_the_demo_default(rt):
    async with rt.db.transaction() as tx:
        tx.add(DefaultRate(role="instructor", hourly_rate_cents=6000))
    event = completed(minutes=50)
    await consumer(rt).process([record(event, envelope_of(event))])

    async with rt.db.sessions() as tx:
        line = await tx.scalar(select(DeclarationLine))
    assert (line.hourly_rate_cents, line.amount_cents) == (6000, 5000)


async def test_a_second_delivery_past_the_inbox_adds_nothing(rt):
    """The handler's own guard, for when the inbox is bypassed."""
    event = completed()
    envelope = envelope_of(event)
    handle = handlers.booking_completed(rt)
    for _ in range(2):
        async with rt.db.transaction() as tx:
            await handle(tx, event, envelope)
    assert await count(rt, DeclarationLine) == 1
    assert await count(rt, messaging.outbox) == 1


async def test_the_store_refuses_a_second_line_for_one_source_event(rt):
    """The database's guard under both: what a racing transaction runs into."""
    event = completed()
    async with rt.db.transaction() as tx:
        await handlers.booking_completed(rt)(tx, event, envelope_of(event))
    async with rt.db.sessions() as tx:
        line = await tx.scalar(select(DeclarationLine))
    for duplicate in ({"source_event_id": line.source_event_id}, {"source_ref": line.source_ref}):
        copy = {c.key: getattr(line, c.key) for c in DeclarationLine.__table__.columns}
        copy.update(id=uuid4(), source_event_id=str(uuid4()), source_ref=None)
        copy.update(duplicate)
        with pytest.raises(IntegrityError):
            async with rt.db.transaction() as tx:
                tx.add(DeclarationLine(**copy))
    assert await count(rt, DeclarationLine) == 1


@pytest.mark.parametrize("task", ["B", "D"])
async def test_a_completed_lesson_is_declared_under_the_core_task_it_carries(rt, task):
    event = completed().model_copy(update={"core_task": task})
    await consumer(rt).process([record(event, envelope_of(event))])

    async with rt.db.sessions() as tx:
        line = await tx.scalar(select(DeclarationLine))
        drafted = json.loads((await tx.execute(select(messaging.outbox))).one().payload)
    assert line.core_task == drafted["core_task"] == task


@pytest.mark.parametrize("said, declared", [({}, "A"), ({"core_task": "C"}, "C")])
async def test_a_version_1_completion_is_declared_as_it_was_meant(rt, said, declared):
    """Read through the upcaster: one without a core task keeps its meaning, A."""
    payload = completed().model_dump(mode="json", exclude={"core_task"}) | said
    envelope = Envelope.new(
        type="nl.tisfortech.bookings.booking.completed.v1",
        source="/tft/bookings",
        subject=payload["booking_id"],
    )
    old = consumer_record(BOOKING, payload["booking_id"], json.dumps(payload).encode(), envelope)
    await consumer(rt).process([old])

    async with rt.db.sessions() as tx:
        line = await tx.scalar(select(DeclarationLine))
    assert (line.core_task, line.source_type) == (declared, envelope.type)
