"""Finance reports, free of I/O: from the lines of declarations to tables that add up.

Every report is a `Report`: rows of named columns, whose money columns (integer cents) are
totalled by summing the rows, in one place, so a report's totals are always its rows' sums.
A line counts in the quarter and year of the declaration it is on (a late line too, marked
`late_for_quarter` there), so the reports add up to the declarations' totals.

Which lines count:
- "declared": every line, whatever its declaration's status (work done and registered);
- "actual": lines on approved and paid declarations (budget committed at approval, as in
  `domain.budget_overruns`).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from services.finance.domain import DeclarationStatus, LineKind, year_of
from shared.dutch import dutch_date, euros

COMMITTED = frozenset({DeclarationStatus.APPROVED, DeclarationStatus.PAID})
CORE_TASK_CODES = ("A", "B", "C", "D", "E")

Cell = str | int


@dataclass(frozen=True)
class Fact:
    """One line of a declaration, with what the reports need of its declaration."""

    school_id: str
    quarter: str
    status: str
    core_task: str
    kind: str
    amount_cents: int
    company: str | None = None
    cofinancing_form: str | None = None
    students_reached: int | None = None


@dataclass(frozen=True)
class Report:
    title: str
    columns: tuple[str, ...]
    rows: list[dict[str, Cell]]
    # Columns that are totalled (money in cents, counts); the others label a row.
    summed: tuple[str, ...]
    warnings: list[str] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        return {c: sum(int(row[c]) for row in self.rows) for c in self.summed}


def _sum(facts: Iterable[Fact], keep: Callable[[Fact], bool] = lambda f: True) -> int:
    return sum(f.amount_cents for f in facts if keep(f))


def _by(facts: Iterable[Fact], key: Callable[[Fact], object]) -> dict:
    groups: dict = defaultdict(list)
    for fact in facts:
        groups[key(fact)].append(fact)
    return groups


def _is(kind: LineKind) -> Callable[[Fact], bool]:
    return lambda f: f.kind == kind


def _committed(fact: Fact) -> bool:
    return fact.status in COMMITTED


QUARTER_COLUMNS = (
    "school_id",
    "core_task",
    "status",
    "hours_cents",
    "material_cents",
    "cofinancing_cents",
    "total_cents",
)


def quarter_report(quarter: str, facts: Sequence[Fact]) -> Report:
    """Per school and core task: what the quarter's declarations hold, by kind of line."""
    rows = [
        {
            "school_id": school,
            "core_task": task,
            "status": group[0].status,
            "hours_cents": _sum(group, _is(LineKind.HOURS)),
            "material_cents": _sum(group, _is(LineKind.MATERIAL)),
            "cofinancing_cents": _sum(group, _is(LineKind.COFINANCING)),
            "total_cents": _sum(group),
        }
        for (school, task), group in sorted(
            _by(facts, lambda f: (f.school_id, f.core_task)).items()
        )
    ]
    return Report(
        f"Declaraties {quarter} per school en kerntaak", QUARTER_COLUMNS, rows, QUARTER_COLUMNS[3:]
    )


BUDGET_COLUMNS = ("core_task", "budget_cents", "actual_cents", "remaining_cents", "declared_cents")


def budget_report(year: int, budgets: dict[str, int], facts: Sequence[Fact]) -> Report:
    """Per core task: the year's budget, what approved declarations took of it (actual),
    what is left, and everything declared so far (pending ones included)."""
    by_task = _by(facts, lambda f: f.core_task)
    rows: list[dict[str, Cell]] = []
    warnings = []
    for task in CORE_TASK_CODES:
        budget, actual = budgets.get(task, 0), _sum(by_task[task], _committed)
        rows.append(
            {
                "core_task": task,
                "budget_cents": budget,
                "actual_cents": actual,
                "remaining_cents": budget - actual,
                "declared_cents": _sum(by_task[task]),
            }
        )
        if actual > budget:
            warnings.append(f"kerntaak {task}: {euros(actual - budget)} boven het budget")
    return Report(
        f"Budget en realisatie {year} per kerntaak",
        BUDGET_COLUMNS,
        rows,
        BUDGET_COLUMNS[1:],
        warnings,
    )


BUDGET_QUARTER_COLUMNS = ("core_task", "quarter", "budget_cents", "actual_cents", "declared_cents")


def budget_quarter_report(
    year: int, spread: dict[str, dict[str, int]], facts: Sequence[Fact]
) -> Report:
    """The budget report per quarter: each core task's yearly budget spread over the
    quarters (`spread`: task -> quarter -> cents) beside what each quarter's declarations
    took (actual) and hold (declared). A quarter outside the spread has a budget of 0."""
    by_cell = _by(facts, lambda f: (f.core_task, f.quarter))
    quarters = sorted({q for parts in spread.values() for q in parts} | {f.quarter for f in facts})
    rows: list[dict[str, Cell]] = [
        {
            "core_task": task,
            "quarter": quarter,
            "budget_cents": spread.get(task, {}).get(quarter, 0),
            "actual_cents": _sum(by_cell[task, quarter], _committed),
            "declared_cents": _sum(by_cell[task, quarter]),
        }
        for task in CORE_TASK_CODES
        for quarter in quarters
    ]
    return Report(
        f"Budget en realisatie {year} per kerntaak en kwartaal",
        BUDGET_QUARTER_COLUMNS,
        rows,
        BUDGET_QUARTER_COLUMNS[2:],
    )


def pro_rata_cents(amount_cents: int, start: date, end: date, on: date) -> int:
    """The part of `amount_cents` due by the end of day `on` for a period from `start` to
    `end` (both included), by whole days, rounded down: nobody is behind by a fraction."""
    days = (end - start).days + 1
    elapsed = min(max((on - start).days + 1, 0), days)
    return amount_cents * elapsed // days


def quarter_start(quarter: str) -> date:
    return date(year_of(quarter), 3 * int(quarter[-1]) - 2, 1)


def quarter_end(quarter: str) -> date:
    number = int(quarter[-1])
    first_of_next = (
        date(year_of(quarter) + 1, 1, 1)
        if number == 4
        else date(year_of(quarter), 3 * number + 1, 1)
    )
    return first_of_next - timedelta(days=1)


COFINANCING_COLUMNS = ("company", "in_kind_cents", "cash_cents", "total_cents", "approved_cents")


def cofinancing_report(
    year: int,
    quarters: Sequence[str],
    required_cents: int,
    percent: int,
    facts: Sequence[Fact],
    on: date,
) -> Report:
    """Per company: what it gave in kind and in cash this year, against the requirement
    (`percent` of the programme budget) due pro rata by `on` over the plan's `quarters`."""
    given = [f for f in facts if f.kind == LineKind.COFINANCING]
    rows = [
        {
            "company": company or "onbekend",
            "in_kind_cents": _sum(group, lambda f: f.cofinancing_form == "in-kind"),
            "cash_cents": _sum(group, lambda f: f.cofinancing_form == "cash"),
            "total_cents": _sum(group),
            "approved_cents": _sum(group, _committed),
        }
        for company, group in sorted(_by(given, lambda f: f.company or "").items())
    ]
    report = Report(
        f"Cofinanciering bedrijven {year} ({percent} %)",
        COFINANCING_COLUMNS,
        rows,
        COFINANCING_COLUMNS[1:],
    )
    due = (
        pro_rata_cents(required_cents, quarter_start(quarters[0]), quarter_end(quarters[-1]), on)
        if quarters
        else 0
    )
    registered = report.totals["total_cents"]
    if registered < due:
        report.warnings.append(
            f"achter op schema: {euros(registered)} geregistreerd, {euros(due)} verwacht op "
            f"{dutch_date(on)} (van {euros(required_cents)} in {year})"
        )
    return report


DUSI_COLUMNS = (
    "core_task",
    "name",
    "budget_cents",
    "actual_cents",
    "declared_cents",
    "cofinancing_cents",
    "students_reached",
)


def dusi_report(
    year: int,
    through: str | None,
    names: dict[str, str],
    budgets: dict[str, int],
    facts: Sequence[Fact],
    cofinancing_warnings: Sequence[str] = (),
) -> Report:
    """The DUS-I accountability per core task: budget, actual (approved), declared,
    co-financing and reach (students of lessons and hosted sessions). A progress report
    runs `through` a quarter of the year; the annual report takes the whole year."""
    if through is not None:
        facts = [f for f in facts if f.quarter <= through]
    by_task = _by(facts, lambda f: f.core_task)
    rows = [
        {
            "core_task": task,
            "name": names.get(task, task),
            "budget_cents": budgets.get(task, 0),
            "actual_cents": _sum(by_task[task], _committed),
            "declared_cents": _sum(by_task[task]),
            "cofinancing_cents": _sum(by_task[task], _is(LineKind.COFINANCING)),
            "students_reached": sum(f.students_reached or 0 for f in by_task[task]),
        }
        for task in CORE_TASK_CODES
    ]
    kind = f"voortgangsrapportage t/m {through}" if through else "jaarrapportage"
    return Report(
        f"DUS-I {kind} {year}", DUSI_COLUMNS, rows, DUSI_COLUMNS[2:], list(cofinancing_warnings)
    )
