"""Kafka subscribers of finance: completed lessons become draft lines on declarations.

A lesson whose quarter is already submitted (or further) lands on the school's next open
declaration, marked `late_for_quarter`, so a locked declaration never changes.
"""

from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from services.finance import domain, store
from services.finance.domain import LineKind
from services.finance.store import DeclarationLine
from shared.contracts.bookings import BookingCompletedV1
from shared.contracts.finance import DeclarationLineDraftedV1
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handler
from shared.service import Runtime


def booking_completed(rt: Runtime) -> Handler:
    """Runs in the inbox's transaction: the line, its event and the inbox row commit as one."""

    async def handle(session: AsyncSession, event: BookingCompletedV1,
                     envelope: Envelope) -> None:
        now = datetime.now(UTC)
        quarter = domain.quarter_of(event.starts_at)
        declaration = await store.open_declaration(session, event.school_id, quarter, now)
        rate = await store.default_rate(session, domain.INSTRUCTOR)
        if rate is None:
            rate = domain.DEFAULT_INSTRUCTOR_RATE_CENTS
        # The hotspot pays its instructor for the time spent, not the students' time.
        minutes = event.instructor_minutes
        line = DeclarationLine(
            id=uuid4(), declaration_id=declaration.id, kind=LineKind.HOURS,
            core_task=event.core_task,
            description=domain.hours_line_description(event.offering_title, event.group.name),
            minutes=minutes, hourly_rate_cents=rate,
            amount_cents=domain.amount_cents(minutes, rate),
            source_event_id=envelope.id, source_type=envelope.type,
            booking_id=event.booking_id, created_at=now,
            late_for_quarter=None if declaration.quarter == quarter else quarter,
        )
        session.add(line)
        await rt.outbox.stage(session, DeclarationLineDraftedV1(
            declaration_id=declaration.id, line_id=line.id, school_id=declaration.school_id,
            quarter=declaration.quarter, core_task=event.core_task,
            description=line.description, minutes=minutes, amount_cents=line.amount_cents,
            source_event_id=envelope.id, kind=line.kind, hourly_rate_cents=rate,
            booking_id=event.booking_id,
        ))

    return handle
