"""Event hosting, event costs and loan damage become draft lines, through the real inbox
consumer on a migrated SQLite store: on the right declaration, traced, exactly once."""

from datetime import date
from uuid import uuid4

from aiokafka import ConsumerRecord
from sqlalchemy import select

from services.finance import commands, handlers
from services.finance.store import Declaration, DeclarationLine, DefaultRate, messaging
from shared.contracts.base import IntegrationEvent
from shared.contracts.events import CostRecordedV1, SessionHostedV1
from shared.contracts.loans import ReservationDamageReportedV1
from shared.contracts.topics import event_source, owner
from shared.http import Caller
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import EventConsumer
from shared.observability.metrics import Metrics
from shared.seed.region import LEAD_SCHOOL_ID
from shared.tests.records import consumer_record

LEAD = Caller("anna", "school", LEAD_SCHOOL_ID)


def hosted(host_kind="company", minutes=90, held_on=date(2026, 11, 12)) -> SessionHostedV1:
    return SessionHostedV1(
        hosting_id=uuid4(),
        event_id="week-van-de-techniek",
        event_title="Week van de techniek",
        session_id=uuid4(),
        session_title="Lassen in de praktijk",
        host_kind=host_kind,
        host="voorbeeld-bouw",
        host_name="Voorbeeld Bouw",
        minutes=minutes,
        held_on=held_on,
        students_reached=48,
    )


def event_cost() -> CostRecordedV1:
    return CostRecordedV1(
        cost_id=uuid4(),
        event_id="week-van-de-techniek",
        event_title="Week van de techniek",
        description="Busvervoer",
        amount_cents=45_000,
        supplier="Touringcars Eemland",
        invoice_reference="TE-2026-77",
        incurred_on=date(2026, 10, 2),
    )


def damage(school_id: str) -> ReservationDamageReportedV1:
    return ReservationDamageReportedV1(
        reservation_id=uuid4(),
        item_id="lasapparaat-1",
        item_name="Lasapparaat",
        quantity=1,
        school_id=school_id,
        starts_on=date(2026, 11, 2),
        ends_on=date(2026, 11, 6),
        damage_id=uuid4(),
        description="Kabel gebroken",
        repair_cost_cents=8_950,
        reported_on=date(2027, 1, 4),
    )


def envelope_of(event: IntegrationEvent) -> Envelope:
    return Envelope.new(
        type=event.event_type, source=event_source(owner(event.topic)), subject=event.key()
    )


def record(event: IntegrationEvent, envelope: Envelope, offset: int = 0) -> ConsumerRecord:
    return consumer_record(
        event.topic, event.key(), event.model_dump_json().encode(), envelope, offset
    )


async def deliver(rt, *deliveries: tuple[IntegrationEvent, Envelope]) -> None:
    async def no_dead_letters():
        raise AssertionError("nothing here should be dead-lettered")

    consumer = EventConsumer(
        name="finance",
        topics=["tft.events.event", "tft.loans.reservation"],
        handlers={
            SessionHostedV1: handlers.session_hosted(rt),
            CostRecordedV1: handlers.event_cost_recorded(rt),
            ReservationDamageReportedV1: handlers.damage_reported(rt),
        },
        db=rt.db,
        inbox=messaging.inbox,
        metrics=Metrics(),
        dlt_producer=no_dead_letters,
        backoff_seconds=0,
    )
    await consumer.process([record(e, env, i) for i, (e, env) in enumerate(deliveries)])


async def lines(rt) -> list[tuple[DeclarationLine, Declaration]]:
    async with rt.db.sessions() as tx:
        return [
            tuple(r)
            for r in await tx.execute(
                select(DeclarationLine, Declaration)
                .join(Declaration)
                .order_by(DeclarationLine.created_at)
            )
        ]


async def test_a_company_hosting_a_session_is_in_kind_cofinancing_on_the_lead_schools(rt):
    async with rt.db.transaction() as tx:
        tx.add(DefaultRate(role="company-expert", hourly_rate_cents=6_001))
    event = hosted()
    envelope = envelope_of(event)
    await deliver(rt, (event, envelope), (event, envelope))
    [(line, declaration)] = await lines(rt)
    assert (declaration.school_id, declaration.quarter) == (LEAD_SCHOOL_ID, "2026-Q4")
    assert (line.kind, line.core_task, line.company, line.cofinancing_form) == (
        "cofinancing",
        "D",
        "voorbeeld-bouw",
        "in-kind",
    )
    # 90 minutes at EUR 60.01 is 9001.5 cents, rounded half up.
    assert (line.role, line.minutes, line.hourly_rate_cents, line.amount_cents) == (
        "company-expert",
        90,
        6_001,
        9_002,
    )
    assert (line.source_event_id, line.source_type) == (envelope.id, event.event_type)
    assert line.source_ref == f"hosting:{event.hosting_id}"
    assert line.students_reached == 48 and line.late_for_quarter is None


async def test_a_hosting_announced_again_under_a_new_event_id_is_declared_once(rt):
    event = hosted()
    await deliver(rt, (event, envelope_of(event)))
    await deliver(rt, (event, envelope_of(event)))
    async with rt.db.sessions() as tx:
        drafted = (await tx.execute(select(messaging.outbox))).all()
    assert len(await lines(rt)) == 1 and len(drafted) == 1


async def test_sessions_hosted_by_an_mbo_or_the_hotspot_are_no_cofinancing(rt):
    await deliver(rt, *((e, envelope_of(e)) for e in (hosted("mbo"), hosted("hotspot"))))
    assert await lines(rt) == []


async def test_an_event_cost_is_a_material_line_on_the_lead_schools_declaration(rt):
    event = event_cost()
    envelope = envelope_of(event)
    await deliver(rt, (event, envelope))
    [(line, declaration)] = await lines(rt)
    assert (declaration.school_id, declaration.quarter) == (LEAD_SCHOOL_ID, "2026-Q4")
    assert (line.kind, line.core_task, line.amount_cents) == ("material", "D", 45_000)
    assert (line.supplier, line.invoice_reference) == ("Touringcars Eemland", "TE-2026-77")
    assert line.description == "Week van de techniek: Busvervoer"
    assert (line.source_event_id, line.source_ref) == (envelope.id, f"event-cost:{event.cost_id}")


async def test_a_repair_lands_on_the_borrowing_schools_declaration_a_or_b(rt):
    hard_tech, regional = damage("corlaer"), damage("oostwende")
    await deliver(rt, (hard_tech, envelope_of(hard_tech)), (regional, envelope_of(regional)))
    found = {
        d.school_id: (line.kind, line.core_task, line.amount_cents, d.quarter)
        for line, d in await lines(rt)
    }
    assert found == {
        "corlaer": ("material", "A", 8_950, "2027-Q1"),
        "oostwende": ("material", "B", 8_950, "2027-Q1"),
    }


async def test_cofinancing_for_a_submitted_quarter_goes_to_the_next_open_declaration(rt):
    """Decided as for lessons: a locked declaration never changes; the line is marked."""
    q4 = await commands.declaration_of_quarter(rt, LEAD, "2026-Q4")
    await commands.submit(rt, LEAD, q4.id)
    event = hosted(held_on=date(2026, 12, 10))
    await deliver(rt, (event, envelope_of(event)))
    [(line, declaration)] = await lines(rt)
    assert (declaration.quarter, declaration.status) == ("2027-Q1", "draft")
    assert line.late_for_quarter == "2026-Q4"
