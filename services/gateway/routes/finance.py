"""Budgets, rates and the schools' quarterly declarations (finance service)."""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Body, Path, Query

from services.gateway.auth import BACKOFFICE, COMPANY, FINANCE, PROGRAMME, Principal
from services.gateway.routes.common import Gate, OrgId, Page, as_json, own_school, router
from shared.contracts.common import CoreTask
from shared.contracts.requests.finance import (
    BudgetChange,
    Correction,
    NewDeclaration,
    NewDeclarationLine,
    Payment,
    RateChange,
    Rejection,
)
from shared.http import Problem

Quarter = Annotated[str | None, Query(max_length=16)]
QUARTER = r"^\d{4}-Q[1-4]$"
ReportYear = Annotated[int, Query(ge=2000, le=2100)]
RateRole = Annotated[str, Path(pattern=r"^[a-z][a-z-]{1,39}$")]
# CSV and XLSX come back as attachments, which the relay passes through (upstream.py).
Format = Annotated[Literal["json", "csv", "xlsx"], Query()]


def routes(gate: Gate) -> APIRouter:
    api, forward = router(), gate.forward
    anyone, school, finance = gate.anyone, gate.school, gate.finance

    @api.get("/finance/declaration-lines", tags=["finance"])
    async def declaration_lines(
        school_id: OrgId = None, quarter: Quarter = None, who: Principal = anyone
    ):
        params = {"school_id": own_school(who, school_id), "quarter": quarter}
        return await forward("finance", "GET", "/declaration-lines", who, params=params)

    @api.get("/finance/cofinancing", tags=["finance", "companies"])
    async def company_cofinancing(
        organisation: OrgId = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        who: Principal = gate.guard(COMPANY, FINANCE, BACKOFFICE, PROGRAMME),
    ):
        """A company's co-financing of a year (default this year), line by line with its
        totals in kind and in cash, for the yearly talk with the programme. A company contact
        reads its own company's (naming another is 403); the others name `organisation`."""
        if who.role == COMPANY and organisation not in (None, who.organisation):
            raise Problem(403, "Forbidden", "een bedrijf ziet alleen zijn eigen cofinanciering")
        return await forward(
            "finance",
            "GET",
            "/cofinancing",
            who,
            params={"organisation": organisation, "year": year},
        )

    @api.get("/finance/budget", tags=["finance"])
    async def budget(year: int | None = Query(None, ge=2000, le=2100), who: Principal = anyone):
        return await forward("finance", "GET", "/budget", who, params={"year": year})

    @api.get("/finance/budget/{year}/{core_task}", tags=["finance"])
    async def budget_line(
        year: Annotated[int, Path(ge=2000, le=2100)], core_task: CoreTask, who: Principal = anyone
    ):
        return await forward("finance", "GET", f"/budget/{year}/{core_task}", who)

    @api.put("/finance/budget/{year}/{core_task}", tags=["finance"])
    async def set_budget(
        year: Annotated[int, Path(ge=2000, le=2100)],
        core_task: CoreTask,
        body: BudgetChange,
        who: Principal = finance,
    ):
        """`hard_limit` stops approvals past the budget; without it they only warn."""
        return await forward(
            "finance", "PUT", f"/budget/{year}/{core_task}", who, body=as_json(body)
        )

    @api.get("/finance/rates/{role}", tags=["finance"])
    async def rate(role: RateRole, who: Principal = anyone):
        """Finance's hourly rate for the role; 404 while the demo default holds."""
        return await forward("finance", "GET", f"/rates/{role}", who)

    @api.put("/finance/rates/{role}", tags=["finance"])
    async def set_rate(role: RateRole, body: RateChange, who: Principal = finance):
        return await forward("finance", "PUT", f"/rates/{role}", who, body=as_json(body))

    @api.get("/finance/declarations", tags=["finance"])
    async def declarations(
        paging: Page, school_id: OrgId = None, quarter: Quarter = None, who: Principal = anyone
    ):
        params = {"school_id": own_school(who, school_id), "quarter": quarter, **paging}
        return await forward("finance", "GET", "/declarations", who, params=params)

    @api.post("/finance/declarations", tags=["finance"])
    async def declaration_of_quarter(body: NewDeclaration, who: Principal = school):
        """The school's declaration of the quarter, created as a draft when it has none."""
        return await forward("finance", "POST", "/declarations", who, body=as_json(body))

    @api.get("/finance/declarations/{declaration_id}", tags=["finance"])
    async def declaration(declaration_id: UUID, who: Principal = anyone):
        return await forward("finance", "GET", f"/declarations/{declaration_id}", who)

    @api.get("/finance/declarations/{declaration_id}/audit", tags=["finance"])
    async def declaration_audit(declaration_id: UUID, who: Principal = anyone):
        return await forward("finance", "GET", f"/declarations/{declaration_id}/audit", who)

    @api.post("/finance/declarations/{declaration_id}/lines", status_code=201, tags=["finance"])
    async def declaration_line(
        declaration_id: UUID, body: Annotated[NewDeclarationLine, Body()], who: Principal = school
    ):
        return await forward(
            "finance", "POST", f"/declarations/{declaration_id}/lines", who, body=as_json(body)
        )

    @api.post(
        "/finance/declarations/{declaration_id}/corrections", status_code=201, tags=["finance"]
    )
    async def declaration_correction(
        declaration_id: UUID, body: Correction, who: Principal = school
    ):
        """A correcting line (negative allowed) for an earlier line; lines are never edited."""
        return await forward(
            "finance",
            "POST",
            f"/declarations/{declaration_id}/corrections",
            who,
            body=as_json(body),
        )

    @api.post("/finance/declarations/{declaration_id}/submit", tags=["finance"])
    async def submit_declaration(declaration_id: UUID, who: Principal = school):
        return await forward("finance", "POST", f"/declarations/{declaration_id}/submit", who)

    @api.post("/finance/declarations/{declaration_id}/approve", tags=["finance"])
    async def approve_declaration(declaration_id: UUID, who: Principal = finance):
        """Approved with `budget_warnings`, or 409 past a hard budget limit."""
        return await forward("finance", "POST", f"/declarations/{declaration_id}/approve", who)

    @api.post("/finance/declarations/{declaration_id}/reject", tags=["finance"])
    async def reject_declaration(declaration_id: UUID, body: Rejection, who: Principal = finance):
        return await forward(
            "finance", "POST", f"/declarations/{declaration_id}/reject", who, body=as_json(body)
        )

    @api.post("/finance/declarations/{declaration_id}/pay", tags=["finance"])
    async def pay_declaration(declaration_id: UUID, body: Payment, who: Principal = finance):
        return await forward(
            "finance", "POST", f"/declarations/{declaration_id}/pay", who, body=as_json(body)
        )

    readers = gate.guard(FINANCE, BACKOFFICE, PROGRAMME)

    async def report(name: str, who: Principal, **params: object):
        return await forward("finance", "GET", f"/reports/{name}", who, params=params)

    @api.get("/finance/reports/quarter", tags=["finance"])
    async def quarter_report(
        quarter: Annotated[str, Query(pattern=QUARTER)],
        format: Format = "json",
        who: Principal = readers,
    ):
        """Per school and core task of a quarter; `format` csv or xlsx downloads it."""
        return await report("quarter", who, quarter=quarter, format=format)

    @api.get("/finance/reports/budget", tags=["finance"])
    async def budget_report(
        year: ReportYear,
        per_quarter: bool = False,
        format: Format = "json",
        who: Principal = readers,
    ):
        """Budget against actual (approved and paid) per core task of a year; with
        `per_quarter`, the budget spread per quarter beside each quarter's figures."""
        return await report(
            "budget", who, year=year, per_quarter=per_quarter or None, format=format
        )

    @api.get("/finance/reports/cofinancing", tags=["finance"])
    async def cofinancing_report(
        year: ReportYear, on: date | None = None, format: Format = "json", who: Principal = readers
    ):
        """Companies' co-financing against the 10 % requirement, pro rata by `on`."""
        return await report("cofinancing", who, year=year, on=on, format=format)

    @api.get("/finance/reports/dusi", tags=["finance"])
    async def dusi_report(
        year: ReportYear,
        through: Annotated[str | None, Query(pattern=QUARTER)] = None,
        on: date | None = None,
        format: Format = "json",
        who: Principal = readers,
    ):
        """DUS-I progress report (`through` a quarter) or annual report per core task."""
        return await report("dusi", who, year=year, through=through, on=on, format=format)

    return api
