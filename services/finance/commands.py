"""Use cases of finance: each is one unit of work that changes a declaration, writes its
audit entry and stages the event announcing it, all in one transaction.

Activities elsewhere become draft lines on declarations, in the inbox's transaction:

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

from datetime import date
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from services.finance import domain, store
from services.finance.domain import Actor, CoFinancingForm, LineKind, Transition
from services.finance.store import AuditEntry, Declaration, DeclarationLine
from shared.contracts.bookings import BookingCompletedV2
from shared.contracts.events import CostRecordedV1, SessionHostedV1
from shared.contracts.finance import (
    DeclarationApprovedV1,
    DeclarationLineDraftedV1,
    DeclarationPaidV1,
    DeclarationRejectedV1,
    DeclarationSubmittedV1,
    DeclarationTransitionV1,
)
from shared.contracts.loans import ReservationDamageReportedV1
from shared.contracts.requests.finance import (
    CoFinancingLine,
    Correction,
    MaterialLine,
    StaffHoursLine,
)
from shared.domain import FINANCE, SCHOOL, Refused
from shared.http import Caller
from shared.messaging.envelope import Envelope
from shared.observability.logging import log
from shared.seed.region import LEAD_SCHOOL_ID, SCHOOLS_BY_ID
from shared.service import Runtime
from shared.store.versions import claim

NewLine = MaterialLine | StaffHoursLine | CoFinancingLine


def actor_of(caller: Caller) -> Actor:
    return Actor(caller.actor, caller.role, caller.organisation)


async def _declaration(tx: AsyncSession, declaration_id: UUID, **lock: bool) -> Declaration:
    found = await store.declaration(tx, declaration_id, **lock)
    if found is None:
        raise Refused("deze declaratie bestaat niet", 404)
    return found


async def declaration_of_quarter(rt: Runtime, caller: Caller, quarter: str) -> Declaration:
    """The caller's school's declaration of a quarter, created as a draft if it has none."""
    caller.require(SCHOOL)
    async with rt.db.transaction() as tx:
        return await store.draft_declaration(tx, caller.organisation, quarter, rt.clock.now())


def _priced_hours(role: str, minutes: int, rate: int) -> dict:
    return dict(
        role=role,
        minutes=minutes,
        hourly_rate_cents=rate,
        amount_cents=domain.amount_cents(minutes, rate),
    )


async def _hours(tx: AsyncSession, role: str, minutes: int) -> dict:
    """Hours priced at the default rate finance keeps for the role."""
    rate = await store.default_rate(tx, role)
    if rate is None:
        raise Refused(f"financiën heeft geen standaardtarief voor de rol {role}", 422)
    return _priced_hours(role, minutes, rate)


async def _priced(tx: AsyncSession, body: NewLine) -> dict:
    """The kind-specific columns of a new line."""
    if isinstance(body, MaterialLine):
        return dict(
            kind=LineKind.MATERIAL,
            minutes=0,
            hourly_rate_cents=0,
            amount_cents=body.amount_cents,
            supplier=body.supplier,
            invoice_reference=body.invoice_reference,
        )
    if isinstance(body, StaffHoursLine):
        return dict(kind=LineKind.HOURS, **await _hours(tx, body.role, body.minutes))
    # In kind: a role and minutes (the request's validator holds them to its form).
    given = (
        await _hours(tx, body.role, body.minutes)
        if body.role is not None and body.minutes is not None
        else dict(minutes=0, hourly_rate_cents=0, amount_cents=body.amount_cents)
    )
    return dict(
        kind=LineKind.COFINANCING, company=body.company, cofinancing_form=body.form, **given
    )


async def add_line(
    rt: Runtime, caller: Caller, declaration_id: UUID, body: NewLine
) -> DeclarationLine:
    async with rt.db.transaction() as tx:
        declaration = await _declaration(tx, declaration_id, for_share=True)
        domain.check_line_addable(declaration, actor_of(caller))
        domain.check_late_quarter(body.late_for_quarter, declaration.quarter)
        line = DeclarationLine(
            id=uuid4(),
            declaration_id=declaration.id,
            core_task=body.core_task,
            description=body.description,
            created_at=rt.clock.now(),
            added_by=caller.actor,
            late_for_quarter=body.late_for_quarter,
            **await _priced(tx, body),
        )
        tx.add(line)
    return line


async def correct(
    rt: Runtime, caller: Caller, declaration_id: UUID, body: Correction
) -> DeclarationLine:
    """A correcting line on the school's open declaration for one of its earlier lines: of
    the same kind and core task, so totals per core task and co-financing move with it."""
    async with rt.db.transaction() as tx:
        declaration = await _declaration(tx, declaration_id, for_share=True)
        domain.check_line_addable(declaration, actor_of(caller))
        found = await store.line_to_correct(tx, body.corrects_line_id)
        if found is None:
            raise Refused("deze school heeft zo'n regel niet", 404)
        corrected, holder = found
        net = domain.total_cents([corrected, *await store.corrections_of(tx, corrected.id)])
        domain.check_correction(
            holder.school_id,
            declaration.school_id,
            corrected.corrects_line_id is not None,
            net,
            body.amount_cents,
        )
        line = DeclarationLine(
            id=uuid4(),
            declaration_id=declaration.id,
            kind=corrected.kind,
            core_task=corrected.core_task,
            description=body.description,
            minutes=0,
            hourly_rate_cents=0,
            amount_cents=body.amount_cents,
            created_at=rt.clock.now(),
            added_by=caller.actor,
            corrects_line_id=corrected.id,
            company=corrected.company,
            cofinancing_form=corrected.cofinancing_form,
            late_for_quarter=holder.quarter if holder.quarter < declaration.quarter else None,
        )
        tx.add(line)
    return line


async def _record(
    rt: Runtime,
    tx: AsyncSession,
    declaration: Declaration,
    transition: Transition,
    actor: Actor,
    event: type[DeclarationTransitionV1],
    detail: str = "",
    **facts: object,
) -> None:
    """Apply a transition: new status, the event that announces it and its audit entry."""
    total = domain.total_cents(await store.lines_of_declaration(tx, declaration.id))
    [envelope] = await rt.outbox.stage(
        tx,
        event(
            declaration_id=declaration.id,
            school_id=declaration.school_id,
            quarter=declaration.quarter,
            total_cents=total,
            actor=actor.id,
            **facts,
        ),
    )
    declaration.status = transition.to_status
    tx.add(
        AuditEntry(
            declaration_id=declaration.id,
            at=rt.clock.now(),
            actor=actor.id,
            role=actor.role,
            action=transition.action,
            from_status=transition.from_status,
            to_status=transition.to_status,
            total_cents=total,
            detail=detail,
            event_id=envelope.id,
        )
    )


async def submit(rt: Runtime, caller: Caller, declaration_id: UUID) -> None:
    actor = actor_of(caller)
    async with rt.db.transaction() as tx:
        declaration = await _declaration(tx, declaration_id, for_update=True)
        transition = domain.submit(declaration, actor)
        declaration.submitted_by = actor.id
        await _record(rt, tx, declaration, transition, actor, DeclarationSubmittedV1)


async def approve(rt: Runtime, caller: Caller, declaration_id: UUID) -> list[str]:
    """Approve, committing the budget; return the warnings of soft limits it went over."""
    actor = actor_of(caller)
    async with rt.db.transaction() as tx:
        declaration = await _declaration(tx, declaration_id, for_update=True)
        transition = domain.approve(declaration, actor)
        year = domain.year_of(declaration.quarter)
        budgets = await store.budgets(tx, year)  # locks the year's budget first
        declared = domain.totals_per_core_task(await store.lines_of_declaration(tx, declaration.id))
        committed = await store.committed_per_core_task(tx, year)
        warnings = domain.check_budget(domain.budget_overruns(declared, committed, budgets))
        await _record(
            rt,
            tx,
            declaration,
            transition,
            actor,
            DeclarationApprovedV1,
            detail="; ".join(warnings),
            budget_warnings=warnings,
        )
    return warnings


async def reject(rt: Runtime, caller: Caller, declaration_id: UUID, reason: str) -> None:
    actor = actor_of(caller)
    async with rt.db.transaction() as tx:
        declaration = await _declaration(tx, declaration_id, for_update=True)
        transition = domain.reject(declaration, actor, reason)
        declaration.rejection_reason = reason
        await _record(
            rt,
            tx,
            declaration,
            transition,
            actor,
            DeclarationRejectedV1,
            detail=reason,
            reason=reason,
        )


async def pay(rt: Runtime, caller: Caller, declaration_id: UUID, batch: str, paid_on: date) -> None:
    actor = actor_of(caller)
    async with rt.db.transaction() as tx:
        declaration = await _declaration(tx, declaration_id, for_update=True)
        transition = domain.pay(declaration, actor)
        declaration.payment_batch, declaration.paid_on = batch, paid_on
        payable = domain.payable_cents(await store.lines_of_declaration(tx, declaration.id))
        await _record(
            rt,
            tx,
            declaration,
            transition,
            actor,
            DeclarationPaidV1,
            detail=f"batch {batch}, paid on {paid_on.isoformat()}, {payable} cents",
            batch=batch,
            paid_on=paid_on,
            payable_cents=payable,
        )


async def set_rate(rt: Runtime, caller: Caller, role: str, hourly_rate_cents: int) -> None:
    caller.require(FINANCE)
    async with rt.db.transaction() as tx:
        await claim(tx, store.DefaultRate, role=role)
        await store.set_rate(tx, role, hourly_rate_cents)


async def set_budget(
    rt: Runtime, caller: Caller, year: int, core_task: str, amount_cents: int, hard_limit: bool
) -> None:
    caller.require(FINANCE)
    async with rt.db.transaction() as tx:
        await claim(tx, store.BudgetLine, year=year, core_task=core_task)
        await store.set_budget(tx, year, core_task, amount_cents, hard_limit)


# Event sessions are declared only when a company hosts them: an mbo's or the hotspot's
# own people are paid through their own declarations, not given in kind.
COMPANY_HOST = "company"


async def _draft(
    tx: AsyncSession,
    rt: Runtime,
    envelope: Envelope,
    school_id: str,
    quarter: str,
    source_ref: str,
    **columns: object,
) -> None:
    """Put a line on the school's open declaration for `quarter` and announce it, in the
    inbox's transaction: the line, its event and the inbox row commit as one."""
    if await store.has_line_from(tx, source_ref):
        log.info("activity already declared", source_ref=source_ref)
        return
    now = rt.clock.now()
    declaration = await store.open_declaration(tx, school_id, quarter, now)
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
    tx.add(line)
    await rt.outbox.stage(
        tx,
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


async def _drafted_hours(tx: AsyncSession, role: str, minutes: int) -> dict:
    return _priced_hours(role, minutes, await store.rate_or_demo_default(tx, role))


async def draft_lesson_hours(
    tx: AsyncSession, rt: Runtime, event: BookingCompletedV2, envelope: Envelope
) -> None:
    # The hotspot pays its instructor for the time spent, not the students' time.
    hours = await _drafted_hours(tx, domain.INSTRUCTOR, event.instructor_minutes)
    await _draft(
        tx,
        rt,
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


async def draft_hosted_session(
    tx: AsyncSession, rt: Runtime, event: SessionHostedV1, envelope: Envelope
) -> None:
    if event.host_kind != COMPANY_HOST:
        return
    await _draft(
        tx,
        rt,
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
        **await _drafted_hours(tx, domain.COMPANY_EXPERT, event.minutes),
    )


async def draft_event_cost(
    tx: AsyncSession, rt: Runtime, event: CostRecordedV1, envelope: Envelope
) -> None:
    await _draft(
        tx,
        rt,
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


async def draft_damage_repair(
    tx: AsyncSession, rt: Runtime, event: ReservationDamageReportedV1, envelope: Envelope
) -> None:
    school = SCHOOLS_BY_ID.get(event.school_id)
    await _draft(
        tx,
        rt,
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
