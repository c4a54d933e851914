"""Use cases of finance: each is one unit of work that changes a declaration, writes its
audit entry and stages the event announcing it, all in one transaction."""

from datetime import date
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from services.finance import domain, store
from services.finance.domain import Actor, LineKind, Transition
from services.finance.store import AuditEntry, Declaration, DeclarationLine
from shared.contracts.finance import (
    DeclarationApprovedV1,
    DeclarationPaidV1,
    DeclarationRejectedV1,
    DeclarationSubmittedV1,
    DeclarationTransitionV1,
)
from shared.contracts.requests.finance import (
    CoFinancingLine,
    Correction,
    MaterialLine,
    StaffHoursLine,
)
from shared.domain import FINANCE, SCHOOL, Refused
from shared.http import Caller
from shared.service import Runtime
from shared.store.versions import claim

NewLine = MaterialLine | StaffHoursLine | CoFinancingLine


def actor_of(caller: Caller) -> Actor:
    return Actor(caller.actor, caller.role, caller.organisation)


async def _declaration(session: AsyncSession, declaration_id: UUID, **lock: bool) -> Declaration:
    found = await store.declaration(session, declaration_id, **lock)
    if found is None:
        raise Refused("deze declaratie bestaat niet", 404)
    return found


async def declaration_of_quarter(rt: Runtime, caller: Caller, quarter: str) -> Declaration:
    """The caller's school's declaration of a quarter, created as a draft if it has none."""
    caller.require(SCHOOL)
    async with rt.db.transaction() as session:
        return await store.draft_declaration(session, caller.organisation, quarter, rt.clock.now())


async def _hours(session: AsyncSession, role: str, minutes: int) -> dict:
    """Hours priced at the default rate finance keeps for the role."""
    rate = await store.default_rate(session, role)
    if rate is None:
        raise Refused(f"financiën heeft geen standaardtarief voor de rol {role}", 422)
    return dict(
        minutes=minutes,
        hourly_rate_cents=rate,
        role=role,
        amount_cents=domain.amount_cents(minutes, rate),
    )


async def _priced(session: AsyncSession, body: NewLine) -> dict:
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
        return dict(kind=LineKind.HOURS, **await _hours(session, body.role, body.minutes))
    # In kind: a role and minutes (the request's validator holds them to its form).
    given = (
        await _hours(session, body.role, body.minutes)
        if body.role is not None and body.minutes is not None
        else dict(minutes=0, hourly_rate_cents=0, amount_cents=body.amount_cents)
    )
    return dict(
        kind=LineKind.COFINANCING, company=body.company, cofinancing_form=body.form, **given
    )


async def add_line(
    rt: Runtime, caller: Caller, declaration_id: UUID, body: NewLine
) -> DeclarationLine:
    async with rt.db.transaction() as session:
        declaration = await _declaration(session, declaration_id, for_share=True)
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
            **await _priced(session, body),
        )
        session.add(line)
    return line


async def correct(
    rt: Runtime, caller: Caller, declaration_id: UUID, body: Correction
) -> DeclarationLine:
    """A correcting line on the school's open declaration for one of its earlier lines: of
    the same kind and core task, so totals per core task and co-financing move with it."""
    async with rt.db.transaction() as session:
        declaration = await _declaration(session, declaration_id, for_share=True)
        domain.check_line_addable(declaration, actor_of(caller))
        found = await store.line_to_correct(session, body.corrects_line_id)
        if found is None:
            raise Refused("deze school heeft zo'n regel niet", 404)
        corrected, holder = found
        net = domain.total_cents([corrected, *await store.corrections_of(session, corrected.id)])
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
        session.add(line)
    return line


async def _record(
    rt: Runtime,
    session: AsyncSession,
    declaration: Declaration,
    transition: Transition,
    actor: Actor,
    event: type[DeclarationTransitionV1],
    detail: str = "",
    **facts: object,
) -> None:
    """Apply a transition: new status, the event that announces it and its audit entry."""
    total = domain.total_cents(await store.lines_of_declaration(session, declaration.id))
    [envelope] = await rt.outbox.stage(
        session,
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
    session.add(
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
    async with rt.db.transaction() as session:
        declaration = await _declaration(session, declaration_id, for_update=True)
        transition = domain.submit(declaration, actor)
        declaration.submitted_by = actor.id
        await _record(rt, session, declaration, transition, actor, DeclarationSubmittedV1)


async def approve(rt: Runtime, caller: Caller, declaration_id: UUID) -> list[str]:
    """Approve, committing the budget; return the warnings of soft limits it went over."""
    actor = actor_of(caller)
    async with rt.db.transaction() as session:
        declaration = await _declaration(session, declaration_id, for_update=True)
        transition = domain.approve(declaration, actor)
        year = domain.year_of(declaration.quarter)
        budgets = await store.budgets(session, year)  # locks the year's budget first
        declared = domain.totals_per_core_task(
            await store.lines_of_declaration(session, declaration.id)
        )
        committed = await store.committed_per_core_task(session, year)
        warnings = domain.check_budget(domain.budget_overruns(declared, committed, budgets))
        await _record(
            rt,
            session,
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
    async with rt.db.transaction() as session:
        declaration = await _declaration(session, declaration_id, for_update=True)
        transition = domain.reject(declaration, actor, reason)
        declaration.rejection_reason = reason
        await _record(
            rt,
            session,
            declaration,
            transition,
            actor,
            DeclarationRejectedV1,
            detail=reason,
            reason=reason,
        )


async def pay(rt: Runtime, caller: Caller, declaration_id: UUID, batch: str, paid_on: date) -> None:
    actor = actor_of(caller)
    async with rt.db.transaction() as session:
        declaration = await _declaration(session, declaration_id, for_update=True)
        transition = domain.pay(declaration, actor)
        declaration.payment_batch, declaration.paid_on = batch, paid_on
        payable = domain.payable_cents(await store.lines_of_declaration(session, declaration.id))
        await _record(
            rt,
            session,
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
    async with rt.db.transaction() as session:
        await claim(session, store.DefaultRate, role=role)
        await store.set_rate(session, role, hourly_rate_cents)


async def set_budget(
    rt: Runtime, caller: Caller, year: int, core_task: str, amount_cents: int, hard_limit: bool
) -> None:
    caller.require(FINANCE)
    async with rt.db.transaction() as session:
        await claim(session, store.BudgetLine, year=year, core_task=core_task)
        await store.set_budget(session, year, core_task, amount_cents, hard_limit)
