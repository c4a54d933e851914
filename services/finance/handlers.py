"""Kafka subscribers of finance: activities elsewhere become draft lines on declarations.

- a completed hotspot lesson (bookings): the instructor's hours, on the school's declaration;
- an event session a company hosted (events): in-kind co-financing, core task D, on the lead
  school's declaration (the penvoerder's, which carries the programme's central costs);
- a cost of an event (events): a material line, core task D, on the lead school's;
- damage to lent equipment (loans): the repair, on the borrowing school's declaration.

Each line lands on the declaration of the quarter the activity took place in. When that one
is already submitted (or further), it goes to the school's next open declaration, marked
`late_for_quarter`, so a locked declaration never changes. Each line is traced to its source
event (`source_event_id`) and activity (`source_ref`), and is drafted once per activity: the
inbox drops a redelivered event, `source_ref` an activity announced again under a new id.
"""

from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from services.finance import domain, store
from services.finance.domain import CoFinancingForm, LineKind
from services.finance.store import DeclarationLine
from shared.contracts.bookings import BookingCompletedV2
from shared.contracts.events import CostRecordedV1, SessionHostedV1
from shared.contracts.finance import DeclarationLineDraftedV1
from shared.contracts.loans import ReservationDamageReportedV1
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handler
from shared.observability.logging import log
from shared.seed.region import LEAD_SCHOOL_ID, SCHOOLS_BY_ID
from shared.service import Runtime

# Event sessions are declared only when a company hosts them: an mbo's or the hotspot's
# own people are paid through their own declarations, not given in kind.
COMPANY_HOST = "company"


async def _draft(
    rt: Runtime,
    session: AsyncSession,
    envelope: Envelope,
    school_id: str,
    quarter: str,
    source_ref: str,
    **columns: object,
) -> None:
    """Put a line on the school's open declaration for `quarter` and announce it, in the
    inbox's transaction: the line, its event and the inbox row commit as one."""
    if await store.has_line_from(session, source_ref):
        log.info("activity already declared", source_ref=source_ref)
        return
    now = rt.clock.now()
    declaration = await store.open_declaration(session, school_id, quarter, now)
    line = DeclarationLine(
        id=uuid4(),
        declaration_id=declaration.id,
        created_at=now,
        source_event_id=envelope.id,
        source_type=envelope.type,
        source_ref=source_ref,
        late_for_quarter=None if declaration.quarter == quarter else quarter,
        **columns,
    )
    session.add(line)
    await rt.outbox.stage(
        session,
        DeclarationLineDraftedV1(
            declaration_id=declaration.id,
            line_id=line.id,
            school_id=declaration.school_id,
            quarter=declaration.quarter,
            core_task=line.core_task,
            description=line.description,
            minutes=line.minutes,
            amount_cents=line.amount_cents,
            source_event_id=envelope.id,
            kind=line.kind,
            hourly_rate_cents=line.hourly_rate_cents,
            booking_id=line.booking_id,
            source_ref=source_ref,
            company=line.company,
            late_for_quarter=line.late_for_quarter,
        ),
    )


async def _hours(session: AsyncSession, role: str, minutes: int) -> dict:
    rate = await store.rate_or_demo_default(session, role)
    return dict(
        role=role,
        minutes=minutes,
        hourly_rate_cents=rate,
        amount_cents=domain.amount_cents(minutes, rate),
    )


def booking_completed(rt: Runtime) -> Handler[BookingCompletedV2]:
    async def handle(session: AsyncSession, event: BookingCompletedV2, envelope: Envelope) -> None:
        # The hotspot pays its instructor for the time spent, not the students' time.
        hours = await _hours(session, domain.INSTRUCTOR, event.instructor_minutes)
        await _draft(
            rt,
            session,
            envelope,
            event.school_id,
            domain.quarter_of(event.starts_at),
            f"booking:{event.booking_id}",
            kind=LineKind.HOURS,
            core_task=event.core_task,
            description=domain.hours_line_description(event.offering_title, event.group.name),
            booking_id=event.booking_id,
            students_reached=event.students_reached,
            **hours,
        )

    return handle


def session_hosted(rt: Runtime) -> Handler[SessionHostedV1]:
    async def handle(session: AsyncSession, event: SessionHostedV1, envelope: Envelope) -> None:
        if event.host_kind != COMPANY_HOST:
            return
        await _draft(
            rt,
            session,
            envelope,
            LEAD_SCHOOL_ID,
            domain.quarter_of_date(event.held_on),
            f"hosting:{event.hosting_id}",
            kind=LineKind.COFINANCING,
            core_task="D",
            description=f"{event.host_name}: {event.session_title} ({event.event_title})"[:300],
            company=event.host,
            cofinancing_form=CoFinancingForm.IN_KIND,
            students_reached=event.students_reached,
            **await _hours(session, domain.COMPANY_EXPERT, event.minutes),
        )

    return handle


def event_cost_recorded(rt: Runtime) -> Handler[CostRecordedV1]:
    async def handle(session: AsyncSession, event: CostRecordedV1, envelope: Envelope) -> None:
        await _draft(
            rt,
            session,
            envelope,
            LEAD_SCHOOL_ID,
            domain.quarter_of_date(event.incurred_on),
            f"event-cost:{event.cost_id}",
            kind=LineKind.MATERIAL,
            core_task="D",
            description=f"{event.event_title}: {event.description}"[:300],
            minutes=0,
            hourly_rate_cents=0,
            amount_cents=event.amount_cents,
            supplier=event.supplier[:120],
            invoice_reference=event.invoice_reference[:80],
        )

    return handle


def damage_reported(rt: Runtime) -> Handler[ReservationDamageReportedV1]:
    async def handle(
        session: AsyncSession, event: ReservationDamageReportedV1, envelope: Envelope
    ) -> None:
        school = SCHOOLS_BY_ID.get(event.school_id)
        await _draft(
            rt,
            session,
            envelope,
            event.school_id,
            domain.quarter_of_date(event.reported_on),
            f"damage:{event.damage_id}",
            kind=LineKind.MATERIAL,
            core_task=domain.damage_core_task(school is not None and school.hard_tech),
            description=f"Reparatie {event.item_name}: {event.description}"[:300],
            minutes=0,
            hourly_rate_cents=0,
            amount_cents=event.repair_cost_cents,
        )

    return handle
