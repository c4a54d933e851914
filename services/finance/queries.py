"""Reads of the finance store, with the rule of who may read what."""

from datetime import date
from uuid import UUID

from services.finance import domain, reports, store
from services.finance.reports import Report
from services.finance.store import AuditEntry, BudgetLine, Declaration, DeclarationLine
from shared.domain import SCHOOL, Refused
from shared.http import Caller
from shared.seed import finance as plan
from shared.service import Runtime
from shared.store.versions import tagged


def _check_reader(caller: Caller, school_id: str) -> None:
    if not domain.may_read_declaration(caller.role, caller.organisation, school_id):
        raise Refused("een school leest alleen haar eigen declaratie", 403)


async def declaration_lines(
    rt: Runtime, caller: Caller, school_id: str, quarter: str, limit: int, offset: int
) -> list[tuple[DeclarationLine, Declaration]]:
    _check_reader(caller, school_id)
    async with rt.db.sessions() as tx:
        return await store.lines_of(tx, school_id, quarter, limit, offset)


async def declarations(
    rt: Runtime, caller: Caller, school_id: str | None, quarter: str | None, limit: int, offset: int
) -> list[tuple[Declaration, int]]:
    """A school lists its own declarations whether or not it names itself."""
    if caller.role == SCHOOL:
        school_id = school_id or caller.organisation
    if school_id is not None:
        _check_reader(caller, school_id)
    else:
        caller.require(*domain.READERS)
    async with rt.db.sessions() as tx:
        return await store.declarations(tx, school_id, quarter, limit, offset)


async def _readable(tx, caller: Caller, declaration_id: UUID) -> Declaration:
    found = await store.declaration(tx, declaration_id)
    if found is None:
        raise Refused("deze declaratie bestaat niet", 404)
    _check_reader(caller, found.school_id)
    return found


async def declaration(
    rt: Runtime, caller: Caller, declaration_id: UUID
) -> tuple[Declaration, list[DeclarationLine]]:
    async with rt.db.sessions() as tx:
        found = await _readable(tx, caller, declaration_id)
        return found, await store.lines_of_declaration(tx, declaration_id)


async def audit(rt: Runtime, caller: Caller, declaration_id: UUID) -> list[AuditEntry]:
    async with rt.db.sessions() as tx:
        await _readable(tx, caller, declaration_id)
        return await store.audit_of(tx, declaration_id)


async def budget(rt: Runtime, caller: Caller, year: int) -> list[BudgetLine]:
    caller.require(*domain.READERS)
    async with rt.db.sessions() as tx:
        return await store.budget_of(tx, year)


async def budget_line(rt: Runtime, caller: Caller, year: int, core_task: str) -> BudgetLine:
    caller.require(*domain.READERS)
    async with rt.db.sessions() as tx:
        found = await tx.get(BudgetLine, (core_task, year))
    if found is None:
        raise Refused("voor deze kerntaak is in dit jaar geen budget gezet", 404)
    return tagged(found)


async def rate(rt: Runtime, caller: Caller, role: str) -> int:
    """Finance's hourly rate for the role (404 while the demo default holds)."""
    caller.require(*domain.READERS)
    async with rt.db.sessions() as tx:
        found = await tx.get(store.DefaultRate, role)
    if found is None:
        raise Refused("voor deze rol is nog geen tarief gezet", 404)
    return tagged(found).hourly_rate_cents


def budget_quarters(year: int) -> tuple[str, ...]:
    """The quarters a year's budget is spread over: those of the plan period in that year,
    or all four for a year outside it (a budget finance set beyond the plan)."""
    return plan.plan_quarters(year) or domain.quarters_of_year(year)


async def quarter_report(rt: Runtime, caller: Caller, quarter: str) -> Report:
    caller.require(*domain.READERS)
    async with rt.db.sessions() as tx:
        return reports.quarter_report(quarter, await store.facts(tx, quarter))


async def _year(rt: Runtime, year: int) -> tuple[dict[str, int], list[reports.Fact]]:
    async with rt.db.sessions() as tx:
        return (await store.budget_amounts(tx, year), await store.facts(tx, f"{year}-Q%"))


async def budget_report(rt: Runtime, caller: Caller, year: int, per_quarter: bool) -> Report:
    caller.require(*domain.READERS)
    budgets, facts = await _year(rt, year)
    if not per_quarter:
        return reports.budget_report(year, budgets, facts)
    spread = {
        task: domain.spread_over_quarters(cents, budget_quarters(year))
        for task, cents in budgets.items()
    }
    return reports.budget_quarter_report(year, spread, facts)


def _cofinancing(year: int, facts: list[reports.Fact], on: date) -> Report:
    return reports.cofinancing_report(
        year,
        plan.plan_quarters(year),
        plan.cofinancing_required_cents(year),
        plan.COMPANY_COFINANCING_PERCENT,
        facts,
        on,
    )


async def cofinancing_report(rt: Runtime, caller: Caller, year: int, on: date) -> Report:
    caller.require(*domain.READERS)
    _, facts = await _year(rt, year)
    return _cofinancing(year, facts, on)


async def cofinancing_of(
    rt: Runtime, caller: Caller, company: str | None, year: int
) -> tuple[str, list[tuple[DeclarationLine, Declaration]]]:
    """(the company, its co-financing lines of the year): a company reads only its own."""
    company = domain.cofinancing_reader(caller.role, caller.organisation, company)
    async with rt.db.sessions() as tx:
        return company, await store.cofinancing_of(tx, company, year)


async def dusi_report(
    rt: Runtime, caller: Caller, year: int, through: str | None, on: date
) -> Report:
    """DUS-I progress report (`through` a quarter of `year`) or annual report (None)."""
    if through is not None and domain.year_of(through) != year:
        raise Refused("een voortgangsrapport loopt tot een kwartaal van zijn eigen jaar", 422)
    caller.require(*domain.READERS)
    budgets, facts = await _year(rt, year)
    names = {t.code: t.short_title for t in plan.CORE_TASKS}
    return reports.dusi_report(
        year, through, names, budgets, facts, _cofinancing(year, facts, on).warnings
    )
