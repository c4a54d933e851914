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
    CoreTask("A", "Technieklessen voor de harde techniekscholen",
             "Technieklessen op harde techniekscholen", (
                 "Investeren in technieklokalen",
                 "Zorgen voor up-to-date lessen BWI, PIE, M&T, MVI",
                 "Stages voor leerlingen PIE, BWI en M&T in leerjaar 4",
                 "VO-lessen op externe locaties; keuzevak CNC-techniek voor meerdere scholen",
                 "Inzet extra instructeurs op de harde techniekscholen",
                 "Samenwerken met het MBO",
                 "Opleiden",
             )),
    CoreTask("B", "Technisch onderwijs voor de hele regio", "Technieklessen voor de regio", (
        "Uitbreiden, verdiepen en verbreden van lessen en lessenseries voor het po",
        "Lessen aanbieden voor het po op de Hotspot",
        "Lessen aanbieden voor het vo",
        "Lessenserie aanbieden op po-scholen/harde vmbo-scholen",
        "Gebruik/uitleen apparatuur/auto's",
        "Huur locatie",
        "Ontwikkelen lessen voor TL",
    )),
    # Plan C lists no separate activities; these are its section headings.
    CoreTask("C", "Vernieuwend onderwijs en experimenten", "Experimenten", (
        "Techniekbazen",
        "Expeditie T is for Tech",
        "Plastic fantastic",
        "Expeditie Regionaal",
    )),
    CoreTask("D", "Evenementen in de regio", "Evenementen", (
        "Bedrijfsbezoeken beschikbaar stellen",
        "De week van de techniek uitvoeren",
        "Techevents uitvoeren",
        "Jaarvergadering T is for Tech",
        "T is for Tech op pad",
    )),
    CoreTask("E", "Centrale Organisatie", "Centrale organisatie", (
        "Financiën", "ICT", "Communicatie", "Penvoerder", "Backoffice", "Programma management",
    )),
)
CORE_TASKS_BY_CODE: dict[str, CoreTask] = {t.code: t for t in CORE_TASKS}

# Plan period 2025-2029: four budget years ("de komende 4 jaren", section 5), labelled by the
# calendar year they start in.
BUDGET_YEARS: tuple[int, ...] = (2025, 2026, 2027, 2028)

COMPANY_COFINANCING_PERCENT = 10
COMPANY_COFINANCING_PER_YEAR_CENTS = 247_000_00  # EUR 247,000 (section 5)
# Derived: EUR 247,000 is 10 % of the yearly programme budget -> EUR 2,470,000 a year.
TOTAL_BUDGET_PER_YEAR_CENTS = (
    COMPANY_COFINANCING_PER_YEAR_CENTS * 100 // COMPANY_COFINANCING_PERCENT
)
TOTAL_BUDGET_CENTS = TOTAL_BUDGET_PER_YEAR_CENTS * len(BUDGET_YEARS)

# GENERATED placeholder split (figure 11 is a chart without numbers in the text).
BUDGET_SHARE_PERCENT: dict[str, int] = {"A": 40, "B": 30, "C": 10, "D": 8, "E": 12}


def _budget_lines() -> tuple[BudgetLine, ...]:
    return tuple(
        BudgetLine(code, year, TOTAL_BUDGET_PER_YEAR_CENTS * share // 100)
        for year in BUDGET_YEARS
        for code, share in BUDGET_SHARE_PERCENT.items()
    )


BUDGET_LINES: tuple[BudgetLine, ...] = _budget_lines()


def budget_cents(core_task: str, year: int) -> int:
    return sum(b.amount_cents for b in BUDGET_LINES if b.core_task == core_task and b.year == year)
