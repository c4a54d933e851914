"""Demo data: the budget per core task and year from the seed, and the demo default rates
(the hotspot instructor's, and a company expert's for in-kind co-financing).

Loaded once: rows already there are left alone, so amounts finance changed stay changed.
"""

from sqlalchemy import select

from services.finance import domain
from services.finance.store import BudgetLine, DefaultRate
from shared import seed
from shared.service import Runtime


async def load(rt: Runtime) -> None:
    async with rt.db.transaction() as tx:
        present = set((await tx.execute(select(BudgetLine.core_task, BudgetLine.year))).all())
        tx.add_all(
            BudgetLine(core_task=b.core_task, year=b.year, amount_cents=b.amount_cents)
            for b in seed.BUDGET_LINES
            if (b.core_task, b.year) not in present
        )
        for role, cents in domain.DEFAULT_RATES_CENTS.items():
            if await tx.get(DefaultRate, role) is None:
                tx.add(DefaultRate(role=role, hourly_rate_cents=cents))
