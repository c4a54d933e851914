"""Reads of the finance store, with the rule of who may read what."""

from services.finance import domain, store
from services.finance.store import BudgetLine, Declaration, DeclarationLine
from shared.http import Caller, Problem
from shared.service import Runtime


async def declaration_lines(rt: Runtime, caller: Caller, school_id: str, quarter: str,
                            limit: int, offset: int) -> list[tuple[DeclarationLine, Declaration]]:
    if not domain.may_read_declaration(caller.role, caller.organisation, school_id):
        raise Problem(403, "Forbidden", "a school may only read its own declaration")
    async with rt.db.sessions() as session:
        return await store.lines_of(session, school_id, quarter, limit, offset)


async def budget(rt: Runtime, caller: Caller, year: int) -> list[BudgetLine]:
    caller.require(domain.FINANCE, domain.BACKOFFICE)
    async with rt.db.sessions() as session:
        return await store.budget_of(session, year)
