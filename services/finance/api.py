"""Internal HTTP API of finance; the gateway exposes it as /api/v1/finance/... ."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from services.finance import commands, domain, export, queries
from services.finance.domain import QUARTER_PATTERN
from services.finance.reports import Report
from services.finance.store import AuditEntry, Declaration, DeclarationLine
from shared.contracts.common import CoreTask, Offset, Text
from shared.contracts.requests.finance import (
    BudgetChange,
    Correction,
    NewDeclaration,
    NewDeclarationLine,
    Payment,
    RateChange,
    Rejection,
)
from shared.domain import local_date
from shared.http import Caller, current_caller
from shared.service import Runtime


class DeclarationLineOut(BaseModel):
    id: UUID
    declaration_id: UUID
    school_id: str
    quarter: str
    kind: str
    core_task: str
    description: str
    minutes: int
    hourly_rate_cents: int
    amount_cents: int
    source_event_id: str | None
    booking_id: UUID | None
    role: str | None
    supplier: str | None
    invoice_reference: str | None
    added_by: str | None
    late_for_quarter: str | None
    source_ref: str | None
    company: str | None
    cofinancing_form: str | None
    students_reached: int | None
    corrects_line_id: UUID | None
    status: str
    created_at: datetime

    @classmethod
    def of(cls, line: DeclarationLine, declaration: Declaration) -> "DeclarationLineOut":
        return cls(
            id=line.id,
            declaration_id=declaration.id,
            school_id=declaration.school_id,
            quarter=declaration.quarter,
            kind=line.kind,
            core_task=line.core_task,
            description=line.description,
            minutes=line.minutes,
            hourly_rate_cents=line.hourly_rate_cents,
            amount_cents=line.amount_cents,
            source_event_id=line.source_event_id,
            booking_id=line.booking_id,
            role=line.role,
            supplier=line.supplier,
            invoice_reference=line.invoice_reference,
            added_by=line.added_by,
            late_for_quarter=line.late_for_quarter,
            source_ref=line.source_ref,
            company=line.company,
            cofinancing_form=line.cofinancing_form,
            students_reached=line.students_reached,
            corrects_line_id=line.corrects_line_id,
            status=declaration.status,
            created_at=line.created_at,
        )


class DeclarationSummaryOut(BaseModel):
    id: UUID
    school_id: str
    quarter: str
    status: str
    total_cents: int
    submitted_by: str | None
    rejection_reason: str | None
    payment_batch: str | None
    paid_on: date | None
    created_at: datetime

    @classmethod
    def of(cls, d: Declaration, total_cents: int) -> "DeclarationSummaryOut":
        return cls(
            id=d.id,
            school_id=d.school_id,
            quarter=d.quarter,
            status=d.status,
            total_cents=total_cents,
            submitted_by=d.submitted_by,
            rejection_reason=d.rejection_reason,
            payment_batch=d.payment_batch,
            paid_on=d.paid_on,
            created_at=d.created_at,
        )


class DeclarationOut(DeclarationSummaryOut):
    totals_per_core_task: dict[str, int]
    # total_cents = payable_cents + cofinancing_cents: co-financing counts against budgets
    # and the 10 % requirement, but nobody is paid for it.
    payable_cents: int
    cofinancing_cents: int
    lines: list[DeclarationLineOut]
    # Set by an approval that took core tasks over their (soft) yearly budget.
    budget_warnings: list[str] = []

    @classmethod
    def with_lines(
        cls, d: Declaration, lines: list[DeclarationLine], budget_warnings: Sequence[str] = ()
    ) -> "DeclarationOut":
        summary = DeclarationSummaryOut.of(d, domain.total_cents(lines))
        return cls(
            **summary.model_dump(),
            totals_per_core_task=domain.totals_per_core_task(lines),
            payable_cents=domain.payable_cents(lines),
            cofinancing_cents=domain.cofinancing_cents(lines),
            lines=[DeclarationLineOut.of(line, d) for line in lines],
            budget_warnings=list(budget_warnings),
        )


class CofinancingLineOut(BaseModel):
    """One contribution of a company: what for, when, in which form, how much."""

    quarter: str
    core_task: str
    description: str
    form: str | None
    minutes: int
    amount_cents: int
    # The declaration's status: counted once approved (or paid).
    status: str
    created_at: datetime


class CompanyCofinancingOut(BaseModel):
    """A company's co-financing of a year, for the yearly talk with the programme."""

    company: str
    year: int
    in_kind_cents: int
    cash_cents: int
    total_cents: int
    lines: list[CofinancingLineOut]

    @classmethod
    def of(
        cls, company: str, year: int, found: Sequence[tuple[DeclarationLine, Declaration]]
    ) -> "CompanyCofinancingOut":
        lines = [
            CofinancingLineOut(
                quarter=d.quarter,
                core_task=line.core_task,
                description=line.description,
                form=line.cofinancing_form,
                minutes=line.minutes,
                amount_cents=line.amount_cents,
                status=d.status,
                created_at=line.created_at,
            )
            for line, d in found
        ]

        def total(form: str | None = None) -> int:
            return sum(x.amount_cents for x in lines if form in (None, x.form))

        return cls(
            company=company,
            year=year,
            in_kind_cents=total(domain.CoFinancingForm.IN_KIND),
            cash_cents=total(domain.CoFinancingForm.CASH),
            total_cents=total(),
            lines=lines,
        )


class AuditEntryOut(BaseModel):
    at: datetime
    actor: str
    role: str
    action: str
    from_status: str
    to_status: str
    total_cents: int
    detail: str
    event_id: str | None

    @classmethod
    def of(cls, e: AuditEntry) -> "AuditEntryOut":
        return cls(
            at=e.at,
            actor=e.actor,
            role=e.role,
            action=e.action,
            from_status=e.from_status,
            to_status=e.to_status,
            total_cents=e.total_cents,
            detail=e.detail,
            event_id=e.event_id,
        )


class BudgetLineOut(BaseModel):
    core_task: str
    year: int
    amount_cents: int
    hard_limit: bool
    # The yearly amount spread evenly over the plan's quarters of the year.
    per_quarter: dict[str, int]

    @classmethod
    def of(cls, core_task: str, year: int, amount_cents: int, hard_limit: bool) -> "BudgetLineOut":
        return cls(
            core_task=core_task,
            year=year,
            amount_cents=amount_cents,
            hard_limit=hard_limit,
            per_quarter=domain.spread_over_quarters(amount_cents, queries.budget_quarters(year)),
        )


Year = Annotated[int, Path(ge=2000, le=2100)]
ReportYear = Annotated[int, Query(ge=2000, le=2100)]
Format = Annotated[Literal["json", "csv", "xlsx"], Query()]


def download(report: Report, format: str, name: str) -> Response:
    """The report in the asked format; CSV and XLSX as attachments named after it."""
    if format == "json":
        return JSONResponse(export.as_json(report))
    content, media_type = (
        (export.as_csv(report), export.CSV)
        if format == "csv"
        else (export.as_xlsx(report), export.XLSX)
    )
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'},
    )


Role = Annotated[str, Path(pattern=r"^[a-z][a-z-]{1,39}$")]


def routes(rt: Runtime) -> APIRouter:
    router = APIRouter()

    async def show(
        who: Caller, declaration_id: UUID, warnings: Sequence[str] = ()
    ) -> DeclarationOut:
        declaration, lines = await queries.declaration(rt, who, declaration_id)
        return DeclarationOut.with_lines(declaration, lines, warnings)

    @router.get("/declaration-lines", response_model=list[DeclarationLineOut])
    async def declaration_lines(
        school_id: Text = Query(min_length=1, max_length=80),
        quarter: str = Query(pattern=QUARTER_PATTERN, examples=["2026-Q4"]),
        limit: int = Query(500, ge=1, le=1000),
        offset: Offset = 0,
        who: Caller = Depends(current_caller),
    ):
        rows = await queries.declaration_lines(rt, who, school_id, quarter, limit, offset)
        return [DeclarationLineOut.of(line, declaration) for line, declaration in rows]

    @router.get("/declarations", response_model=list[DeclarationSummaryOut])
    async def declarations(
        school_id: Text | None = Query(None, min_length=1, max_length=80),
        quarter: str | None = Query(None, pattern=QUARTER_PATTERN),
        limit: int = Query(100, ge=1, le=1000),
        offset: Offset = 0,
        who: Caller = Depends(current_caller),
    ):
        rows = await queries.declarations(rt, who, school_id, quarter, limit, offset)
        return [DeclarationSummaryOut.of(d, total) for d, total in rows]

    @router.post("/declarations", response_model=DeclarationOut)
    async def declaration_of_quarter(body: NewDeclaration, who: Caller = Depends(current_caller)):
        """The school's declaration of the quarter; created as a draft when it has none."""
        declaration = await commands.declaration_of_quarter(rt, who, body.quarter)
        return await show(who, declaration.id)

    @router.get("/declarations/{declaration_id}", response_model=DeclarationOut)
    async def declaration(declaration_id: UUID, who: Caller = Depends(current_caller)):
        return await show(who, declaration_id)

    @router.get("/declarations/{declaration_id}/audit", response_model=list[AuditEntryOut])
    async def audit(declaration_id: UUID, who: Caller = Depends(current_caller)):
        return [AuditEntryOut.of(e) for e in await queries.audit(rt, who, declaration_id)]

    @router.post(
        "/declarations/{declaration_id}/lines", status_code=201, response_model=DeclarationLineOut
    )
    async def add_line(
        declaration_id: UUID,
        body: Annotated[NewDeclarationLine, Body()],
        who: Caller = Depends(current_caller),
    ):
        line = await commands.add_line(rt, who, declaration_id, body)
        declaration, _ = await queries.declaration(rt, who, declaration_id)
        return DeclarationLineOut.of(line, declaration)

    @router.post(
        "/declarations/{declaration_id}/corrections",
        status_code=201,
        response_model=DeclarationLineOut,
    )
    async def correct(
        declaration_id: UUID, body: Correction, who: Caller = Depends(current_caller)
    ):
        """A correcting line for an earlier line of the school (never an edit of it)."""
        line = await commands.correct(rt, who, declaration_id, body)
        declaration, _ = await queries.declaration(rt, who, declaration_id)
        return DeclarationLineOut.of(line, declaration)

    @router.post("/declarations/{declaration_id}/submit", response_model=DeclarationOut)
    async def submit(declaration_id: UUID, who: Caller = Depends(current_caller)):
        await commands.submit(rt, who, declaration_id)
        return await show(who, declaration_id)

    @router.post("/declarations/{declaration_id}/approve", response_model=DeclarationOut)
    async def approve(declaration_id: UUID, who: Caller = Depends(current_caller)):
        """Approved; `budget_warnings` names core tasks taken over a soft yearly budget.
        409 where that would pass a hard limit finance has set."""
        warnings = await commands.approve(rt, who, declaration_id)
        return await show(who, declaration_id, warnings)

    @router.post("/declarations/{declaration_id}/reject", response_model=DeclarationOut)
    async def reject(declaration_id: UUID, body: Rejection, who: Caller = Depends(current_caller)):
        await commands.reject(rt, who, declaration_id, body.reason)
        return await show(who, declaration_id)

    @router.post("/declarations/{declaration_id}/pay", response_model=DeclarationOut)
    async def pay(declaration_id: UUID, body: Payment, who: Caller = Depends(current_caller)):
        await commands.pay(rt, who, declaration_id, body.batch, body.paid_on)
        return await show(who, declaration_id)

    @router.get("/rates/{role}", response_model=RateChange)
    async def rate(role: Role, who: Caller = Depends(current_caller)):
        return RateChange(hourly_rate_cents=await queries.rate(rt, who, role))

    @router.put("/rates/{role}", response_model=RateChange)
    async def set_rate(role: Role, body: RateChange, who: Caller = Depends(current_caller)):
        await commands.set_rate(rt, who, role, body.hourly_rate_cents)
        return body

    @router.get("/budget", response_model=list[BudgetLineOut])
    async def budget(year: int = Query(ge=2000, le=2100), who: Caller = Depends(current_caller)):
        return [
            BudgetLineOut.of(b.core_task, b.year, b.amount_cents, b.hard_limit)
            for b in await queries.budget(rt, who, year)
        ]

    @router.get("/budget/{year}/{core_task}", response_model=BudgetLineOut)
    async def budget_line(year: Year, core_task: CoreTask, who: Caller = Depends(current_caller)):
        b = await queries.budget_line(rt, who, year, core_task)
        return BudgetLineOut.of(b.core_task, b.year, b.amount_cents, b.hard_limit)

    @router.put("/budget/{year}/{core_task}", response_model=BudgetLineOut)
    async def set_budget(
        year: Year, core_task: CoreTask, body: BudgetChange, who: Caller = Depends(current_caller)
    ):
        await commands.set_budget(rt, who, year, core_task, body.amount_cents, body.hard_limit)
        return BudgetLineOut.of(core_task, year, body.amount_cents, body.hard_limit)

    @router.get("/reports/quarter")
    async def quarter_report(
        quarter: str = Query(pattern=QUARTER_PATTERN),
        format: Format = "json",
        who: Caller = Depends(current_caller),
    ):
        """Per school and core task: hours, material, co-financing and total of a quarter."""
        report = await queries.quarter_report(rt, who, quarter)
        return download(report, format, f"declaraties-{quarter}")

    @router.get("/reports/budget")
    async def budget_report(
        year: ReportYear,
        per_quarter: bool = False,
        format: Format = "json",
        who: Caller = Depends(current_caller),
    ):
        """Per core task: budget, actual (approved and paid), remaining and declared; with
        `per_quarter`, the budget spread per quarter beside each quarter's figures."""
        report = await queries.budget_report(rt, who, year, per_quarter)
        name = f"budget-{year}" + ("-per-kwartaal" if per_quarter else "")
        return download(report, format, name)

    @router.get("/reports/cofinancing")
    async def cofinancing_report(
        year: ReportYear,
        on: date | None = None,
        format: Format = "json",
        who: Caller = Depends(current_caller),
    ):
        """Per company: co-financing given; warns when the year is behind its 10 %,
        pro rata by `on` (default today, Amsterdam)."""
        report = await queries.cofinancing_report(rt, who, year, on or local_date(rt.clock.now()))
        return download(report, format, f"cofinanciering-{year}")

    @router.get("/cofinancing", response_model=CompanyCofinancingOut)
    async def company_cofinancing(
        organisation: Text | None = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        who: Caller = Depends(current_caller),
    ):
        """A company's co-financing lines and totals of a year (default this year): a
        company contact sees its own company's only."""
        year = year or local_date(rt.clock.now()).year
        company, found = await queries.cofinancing_of(rt, who, organisation, year)
        return CompanyCofinancingOut.of(company, year, found)

    @router.get("/reports/dusi")
    async def dusi_report(
        year: ReportYear,
        through: str | None = Query(None, pattern=QUARTER_PATTERN),
        on: date | None = None,
        format: Format = "json",
        who: Caller = Depends(current_caller),
    ):
        """DUS-I progress report (`through` a quarter) or annual report (whole year)."""
        report = await queries.dusi_report(rt, who, year, through, on or local_date(rt.clock.now()))
        return download(report, format, f"dusi-{year}" + (f"-t-m-{through}" if through else ""))

    return router
