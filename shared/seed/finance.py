"""Core tasks A-E, their budget, and the companies' co-financing.

Source: "Activiteitenplan T is for Tech op hoofdlijnen" (core tasks, "Te ondernemen
activiteiten"), section 5 "Bedrijfsleven" (co-financing) and figure 11.

What the document does and does not give:
- Co-financing by companies: "De cofinanciering (10%, jaarlijks EUR 247.000)" (section 5), for
  "de komende 4 jaren". That fixes the yearly programme total at 10 x EUR 247,000.
- The split over the core tasks is only shown as a chart (figure 11, "procentuele verdeling
  van de gelden"); its percentages are not in the text. BUDGET_SHARE_PERCENT below is a
  GENERATED placeholder: replace it with figure 11's numbers when they are known.
"""

from __future__ import annotations

from .models import BudgetLine, CoreTask

CORE_TASKS: tuple[CoreTask, ...] = (
    CoreTask(
        "A",
        "Technieklessen voor de harde techniekscholen",
        "Technieklessen op harde techniekscholen",
        (
            "Investeren in technieklokalen",
            "Zorgen voor up-to-date lessen BWI, PIE, M&T, MVI",
            "Stages voor leerlingen PIE, BWI en M&T in leerjaar 4",
            "VO-lessen op externe locaties; keuzevak CNC-techniek voor meerdere scholen",
            "Inzet extra instructeurs op de harde techniekscholen",
            "Samenwerken met het MBO",
            "Opleiden",
        ),
    ),
    CoreTask(
        "B",
        "Technisch onderwijs voor de hele regio",
        "Technieklessen voor de regio",
        (
            "Uitbreiden, verdiepen en verbreden van lessen en lessenseries voor het po",
            "Lessen aanbieden voor het po op de Hotspot",
            "Lessen aanbieden voor het vo",
            "Lessenserie aanbieden op po-scholen/harde vmbo-scholen",
            "Gebruik/uitleen apparatuur/auto's",
            "Huur locatie",
            "Ontwikkelen lessen voor TL",
        ),
    ),
    # Plan C lists no separate activities; these are its section headings.
    CoreTask(
        "C",
        "Vernieuwend onderwijs en experimenten",
        "Experimenten",
        (
            "Techniekbazen",
            "Expeditie T is for Tech",
            "Plastic fantastic",
            "Expeditie Regionaal",
        ),
    ),
    CoreTask(
        "D",
        "Evenementen in de regio",
        "Evenementen",
        (
            "Bedrijfsbezoeken beschikbaar stellen",
            "De week van de techniek uitvoeren",
            "Techevents uitvoeren",
            "Jaarvergadering T is for Tech",
            "T is for Tech op pad",
        ),
    ),
    CoreTask(
        "E",
        "Centrale Organisatie",
        "Centrale organisatie",
        (
            "Financiën",
            "ICT",
            "Communicatie",
            "Penvoerder",
            "Backoffice",
            "Programma management",
        ),
    ),
)
CORE_TASKS_BY_CODE: dict[str, CoreTask] = {t.code: t for t in CORE_TASKS}

# Plan period "2025 - 2029": four school years, "de komende 4 jaren" (section 5), from
# August 2025 to July 2029. The plan is silent on when in 2025 the money starts and on how it
# spreads over time. Assumed (GENERATED, replace when the DUS-I grant letter says otherwise):
# evenly per quarter over the sixteen quarters 2025-Q3 .. 2029-Q2 (the school years rounded to
# quarters). Declarations and budgets count calendar years (a quarter "2026-Q4" belongs to
# 2026), so the calendar years 2025 and 2029 carry half a plan year each, 2026-2028 a full one.
PLAN_YEARS = 4
PLAN_QUARTERS: tuple[str, ...] = tuple(
    f"{2025 + (2 + i) // 4}-Q{(2 + i) % 4 + 1}" for i in range(PLAN_YEARS * 4)
)
BUDGET_YEARS: tuple[int, ...] = tuple(sorted({int(q[:4]) for q in PLAN_QUARTERS}))

COMPANY_COFINANCING_PERCENT = 10
COMPANY_COFINANCING_PER_YEAR_CENTS = 247_000_00  # EUR 247,000 (section 5)
# Derived: EUR 247,000 is 10 % of the yearly programme budget -> EUR 2,470,000 a year.
TOTAL_BUDGET_PER_YEAR_CENTS = (
    COMPANY_COFINANCING_PER_YEAR_CENTS * 100 // COMPANY_COFINANCING_PERCENT
)
TOTAL_BUDGET_CENTS = TOTAL_BUDGET_PER_YEAR_CENTS * PLAN_YEARS

# GENERATED placeholder split (figure 11 is a chart without numbers in the text).
BUDGET_SHARE_PERCENT: dict[str, int] = {"A": 40, "B": 30, "C": 10, "D": 8, "E": 12}


def plan_quarters(year: int) -> tuple[str, ...]:
    """The quarters of a calendar year that the plan period covers (none outside it)."""
    return tuple(q for q in PLAN_QUARTERS if q.startswith(f"{year}-"))


def quarter_budget_cents(core_task: str, quarter: str) -> int:
    """A core task's budget for one plan quarter: a quarter of its yearly share (exact)."""
    if quarter not in PLAN_QUARTERS:
        return 0
    yearly = TOTAL_BUDGET_PER_YEAR_CENTS * BUDGET_SHARE_PERCENT[core_task] // 100
    return yearly // 4


def cofinancing_required_cents(year: int) -> int:
    """The companies' co-financing due in a calendar year: EUR 247,000 per plan year, pro
    rata over the plan quarters that year holds."""
    return COMPANY_COFINANCING_PER_YEAR_CENTS * len(plan_quarters(year)) // 4


def _budget_lines() -> tuple[BudgetLine, ...]:
    return tuple(
        BudgetLine(code, year, sum(quarter_budget_cents(code, q) for q in plan_quarters(year)))
        for year in BUDGET_YEARS
        for code in BUDGET_SHARE_PERCENT
    )


BUDGET_LINES: tuple[BudgetLine, ...] = _budget_lines()


def budget_cents(core_task: str, year: int) -> int:
    return sum(b.amount_cents for b in BUDGET_LINES if b.core_task == core_task and b.year == year)
