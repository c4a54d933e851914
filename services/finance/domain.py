"""Finance rules, free of I/O: quarters, money, the declaration workflow and the budget check.

Workflow of a school's quarterly declaration:

    draft --submit (school)--> submitted --approve (finance)--> approved --pay (finance)--> paid
                                         --reject (finance)--> rejected --submit--> submitted

A rejected declaration is editable again, like a draft: the school adds (correcting) lines
and submits it anew. Lines are never edited or removed; once submitted, a declaration's
lines are locked. A mistake is put right with a correcting line (negative to take money off)
that names the line it corrects, on the school's open declaration. Work that turns up for a
locked quarter (a lesson completed late, a forgotten invoice) lands on the school's next
open declaration as a line marked with the quarter it belongs to (`late_for_quarter`), so an
approved or paid total never moves.
"""

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from shared.domain import AMSTERDAM, BACKOFFICE, COMPANY, FINANCE, PROGRAMME, SCHOOL, Refused
from shared.dutch import euros

QUARTER_PATTERN = r"^\d{4}-Q[1-4]$"

# The role whose time a hotspot lesson costs, as a key in the default rates.
INSTRUCTOR = "instructor"
# The role whose time a company gives in kind when it hosts an event session.
COMPANY_EXPERT = "company-expert"
# Demo defaults, not agreed tariffs: finance maintains the real rates in the default_rates
# table, which win over these values once it holds a row for the role. Events arrive whether
# or not finance has set a rate yet, and must not wait for one.
DEFAULT_RATES_CENTS = {INSTRUCTOR: 7500, COMPANY_EXPERT: 7500}


class DeclarationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


# A school may add lines while its declaration is one of these.
EDITABLE = frozenset({DeclarationStatus.DRAFT, DeclarationStatus.REJECTED})


class LineKind(StrEnum):
    HOURS = "hours"
    MATERIAL = "material"
    # A company's contribution to the programme: counts against the budget and the 10 %
    # co-financing requirement, but the lead school pays nobody for it.
    COFINANCING = "cofinancing"


class CoFinancingForm(StrEnum):
    IN_KIND = "in-kind"  # hours of the company's people x the role's default rate
    CASH = "cash"


class Action(StrEnum):
    """What happened to a declaration, as the audit trail and the event types name it."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


class Sheet(Protocol):
    """What the workflow rules need to know of a declaration (the stored row fits)."""

    school_id: str
    status: str
    submitted_by: str | None


@dataclass(frozen=True)
class Actor:
    id: str
    role: str
    organisation: str


@dataclass(frozen=True)
class Transition:
    action: Action
    from_status: DeclarationStatus
    to_status: DeclarationStatus


def _require_status(sheet: Sheet, allowed: Collection[DeclarationStatus], doing: str) -> None:
    if sheet.status not in allowed:
        raise Refused(f"een declaratie met status {sheet.status} kan niet worden {doing}")


def _require_own_school(sheet: Sheet, actor: Actor) -> None:
    if actor.role != SCHOOL or actor.organisation != sheet.school_id:
        raise Refused("alleen de school zelf werkt aan haar declaratie", 403)


def _require_finance(actor: Actor) -> None:
    if actor.role != FINANCE:
        raise Refused("alleen financiën beslist over declaraties en betaalt ze uit", 403)


def _move(sheet: Sheet, action: Action, to: DeclarationStatus) -> Transition:
    return Transition(action, DeclarationStatus(sheet.status), to)


def check_line_addable(sheet: Sheet, actor: Actor) -> None:
    _require_own_school(sheet, actor)
    _require_status(sheet, EDITABLE, "aangevuld")


def check_late_quarter(late_for_quarter: str | None, quarter: str) -> None:
    """A late line names a quarter before the declaration's own ("2026-Q4" < "2027-Q1")."""
    if late_for_quarter is not None and late_for_quarter >= quarter:
        raise Refused("een late regel hoort bij een kwartaal vóór dat van de declaratie", 422)


def check_correction(
    corrected_school: str,
    school: str,
    corrects_a_correction: bool,
    net_cents: int,
    amount_cents: int,
) -> None:
    """A correcting line adjusts one of the school's own original lines by `amount_cents`
    (negative takes money off); `net_cents` is that line with its earlier corrections.
    Whatever the corrections, a line never nets below zero."""
    if corrected_school != school:
        raise Refused("deze school heeft zo'n regel niet", 404)
    if corrects_a_correction:
        raise Refused("corrigeer de oorspronkelijke regel, niet een correctie ervan", 422)
    if amount_cents == 0:
        raise Refused("een correctie verandert het bedrag", 422)
    if net_cents + amount_cents < 0:
        raise Refused(f"de regel zou op {euros(net_cents + amount_cents)} uitkomen: onder nul", 422)


def submit(sheet: Sheet, actor: Actor) -> Transition:
    _require_own_school(sheet, actor)
    _require_status(sheet, EDITABLE, "ingediend")
    return _move(sheet, Action.SUBMITTED, DeclarationStatus.SUBMITTED)


def _check_decision(sheet: Sheet, actor: Actor, doing: str) -> None:
    _require_finance(actor)
    _require_status(sheet, {DeclarationStatus.SUBMITTED}, doing)
    # Roles alone do not do: one person may hold a school's and finance's account.
    if actor.id == sheet.submitted_by:
        raise Refused("niemand beslist over een declaratie die hij zelf heeft ingediend", 403)


def approve(sheet: Sheet, actor: Actor) -> Transition:
    _check_decision(sheet, actor, "goedgekeurd")
    return _move(sheet, Action.APPROVED, DeclarationStatus.APPROVED)


def reject(sheet: Sheet, actor: Actor, reason: str) -> Transition:
    _check_decision(sheet, actor, "afgekeurd")
    if not reason.strip():
        raise Refused("een afkeuring heeft een reden nodig", 422)
    return _move(sheet, Action.REJECTED, DeclarationStatus.REJECTED)


def pay(sheet: Sheet, actor: Actor) -> Transition:
    _require_finance(actor)
    _require_status(sheet, {DeclarationStatus.APPROVED}, "betaald")
    return _move(sheet, Action.PAID, DeclarationStatus.PAID)


class Priced(Protocol):
    @property
    def core_task(self) -> str: ...
    @property
    def amount_cents(self) -> int: ...


def total_cents(lines: Iterable[Priced]) -> int:
    """A declaration's total is the sum of its (already rounded) lines, nothing else."""
    return sum(line.amount_cents for line in lines)


def totals_per_core_task(lines: Iterable[Priced]) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for line in lines:
        totals[line.core_task] += line.amount_cents
    return dict(sorted(totals.items()))


class Kinded(Priced, Protocol):
    @property
    def kind(self) -> str: ...


def cofinancing_cents(lines: Iterable[Kinded]) -> int:
    return sum(line.amount_cents for line in lines if line.kind == LineKind.COFINANCING)


def payable_cents(lines: Iterable[Kinded]) -> int:
    """What the lead school pays out for a declaration: everything but co-financing."""
    return sum(line.amount_cents for line in lines if line.kind != LineKind.COFINANCING)


def damage_core_task(hard_tech_school: bool) -> str:
    """Repairs of lent equipment: core task A at a hard-tech school, B (the region) elsewhere."""
    return "A" if hard_tech_school else "B"


@dataclass(frozen=True)
class Budget:
    amount_cents: int
    hard_limit: bool


@dataclass(frozen=True)
class Overrun:
    core_task: str
    budget_cents: int
    committed_cents: int  # approved and paid before this declaration
    declared_cents: int  # this declaration
    hard_limit: bool

    def describe(self) -> str:
        over = self.committed_cents + self.declared_cents - self.budget_cents
        return f"kerntaak {self.core_task} komt {euros(over)} boven het jaarbudget"


def budget_overruns(
    declared: dict[str, int], committed: dict[str, int], budgets: dict[str, Budget]
) -> list[Overrun]:
    """Core tasks this declaration would take over their yearly budget if approved.

    Budget is committed at approval (as OCA budgeting does): `committed` holds what approved
    and paid declarations of the year already take. A core task without a budget line is
    not checked: the plan budgets all five, so a missing one is finance's choice.
    """
    return [
        Overrun(
            task,
            budgets[task].amount_cents,
            committed.get(task, 0),
            cents,
            budgets[task].hard_limit,
        )
        for task, cents in sorted(declared.items())
        if task in budgets and committed.get(task, 0) + cents > budgets[task].amount_cents
    ]


def check_budget(overruns: list[Overrun]) -> list[str]:
    """Refuse where finance set a hard limit; otherwise the warnings to show."""
    hard = [o.describe() for o in overruns if o.hard_limit]
    if hard:
        raise Refused(
            "goedkeuren gaat over een harde budgetgrens: " + "; ".join(hard), overruns=hard
        )
    return [o.describe() for o in overruns]


def spread_over_quarters(amount_cents: int, quarters: Sequence[str]) -> dict[str, int]:
    """A yearly amount in equal parts over `quarters`; the cents that do not divide go one
    each to the earliest quarters, so the parts always add up to the amount."""
    if not quarters:
        return {}
    part, rest = divmod(amount_cents, len(quarters))
    return {q: part + (i < rest) for i, q in enumerate(sorted(quarters))}


def quarters_of_year(year: int) -> tuple[str, ...]:
    return tuple(f"{year}-Q{n}" for n in range(1, 5))


def year_of(quarter: str) -> int:
    return int(quarter[:4])


def next_quarter(quarter: str) -> str:
    year, number = year_of(quarter), int(quarter[-1])
    return f"{year + 1}-Q1" if number == 4 else f"{year}-Q{number + 1}"


def quarter_of(moment: datetime) -> str:
    """The quarter ("2026-Q4") of the local date in Amsterdam, where the lesson took place.

    A lesson on 31 December at 23:30 local time is 22:30 UTC the same day, but one on
    1 January at 00:30 local is still 31 December in UTC: the local date decides.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the quarter needs an aware time")
    return quarter_of_date(moment.astimezone(AMSTERDAM).date())


def quarter_of_date(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def amount_cents(minutes: int, hourly_rate_cents: int) -> int:
    """The one rounding rule for time: minutes * rate / 60, rounded half up to whole cents.

    Integer arithmetic only (no floats, no Decimal context): floor((m * r + 30) / 60) is
    floor(m * r / 60 + 1/2), so an exact half cent rounds up. Each line is rounded once;
    totals are sums of rounded lines, so a declaration adds up to what its lines show.
    """
    if minutes < 0 or hourly_rate_cents < 0:
        raise ValueError("minutes and rates are never negative")
    return (minutes * hourly_rate_cents + 30) // 60


def hours_line_description(offering_title: str, group_name: str) -> str:
    return f"Technieklessen hotspot: {offering_title} ({group_name})"


# Roles that read every school's declarations, the budget and the reports (changing nothing
# but what finance itself does).
READERS = (FINANCE, BACKOFFICE, PROGRAMME)


def may_read_declaration(role: str, organisation: str, school_id: str) -> bool:
    """Finance, the backoffice and programme management read every school's lines; a school
    only its own."""
    if role in READERS:
        return True
    return role == SCHOOL and organisation == school_id


def cofinancing_reader(role: str, organisation: str, company: str | None) -> str:
    """Whose co-financing the caller reads: a company contact its own company's (for the
    yearly talk the plan describes: "jaarlijks achteraf met de deelnemende bedrijven
    besproken"), finance, the backoffice and programme management any company's."""
    if role == COMPANY:
        if company not in (None, organisation):
            raise Refused("een bedrijf ziet alleen zijn eigen cofinanciering", 403)
        return organisation
    if role not in READERS:
        raise Refused(f"de rol {role} ziet geen cofinanciering", 403)
    if company is None:
        raise Refused("noem het bedrijf (organisation)", 422, field="organisation")
    return company
