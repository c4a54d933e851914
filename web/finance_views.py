"""View models of the quarterly declarations: the forms of a school's lines, corrections and
finance's payment; the budget and co-financing charts; report downloads. No I/O here."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from web import formatting
from web.charts import Bar, Chart
from web.gateway import ApiProblem
from web.views import API_FIELDS, Form, cents, parse_day

CORE_TASKS = ("A", "B", "C", "D", "E")
LINE_KINDS = {"hours": "Eigen uren", "material": "Materiaal", "cofinancing": "Cofinanciering"}
# The roles whose time a school declares; finance keeps the hourly rate of each.
STAFF_ROLES = {
    "teacher": "Docent",
    "instructor": "Instructeur",
    "company-expert": "Expert van een bedrijf",
}
COFINANCING_FORMS = {"in-kind": "In natura (uren van het bedrijf)", "cash": "In geld"}
ACTIONS = {
    "submitted": "Ingediend",
    "approved": "Goedgekeurd",
    "rejected": "Afgewezen",
    "paid": "Uitbetaald",
}
EDITABLE = ("draft", "rejected")
# The plan: companies co-finance 10 % of the programme budget.
COFINANCING_PERCENT = 10

# The API's field names of a line (`hours.minutes`, `material.supplier`, ...) and of a
# correction and a payment, to the forms' fields.
_LINE_FIELDS = {
    "core_task": "kerntaak",
    "description": "omschrijving",
    "minutes": "uren",
    "role": "rol",
    "amount_cents": "bedrag",
    "supplier": "leverancier",
    "invoice_reference": "factuur",
    "company": "bedrijf",
    "form": "vorm",
    "late_for_quarter": "kwartaal",
    "batch": "betaalrun",
    "paid_on": "betaaldatum",
    "corrects_line_id": "regel",
}
FIELDS = (
    API_FIELDS
    | _LINE_FIELDS
    | {f"{kind}.{api}": name for kind in LINE_KINDS for api, name in _LINE_FIELDS.items()}
)

_HOURS = re.compile(r"^(\d{1,4})(?:[,.](\d{1,2}))?$")
_SIGNED_EUROS = re.compile(r"^(-)?\s*(?:€\s*)?(-)?\s*(.+)$")
_COMPANY = re.compile(r"^[a-z0-9-]{1,80}$")


def recent_quarters(day: date, count: int = 6) -> list[str]:
    """This quarter and the ones before it, newest first."""
    codes, year, number = [], day.year, (day.month - 1) // 3 + 1
    for _ in range(count):
        codes.append(f"{year}-Q{number}")
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return codes


def minutes(text: str) -> int | None:
    """ "1,5" or "2" hours in whole minutes; None when it is no number of hours."""
    found = _HOURS.match(text.strip())
    if found is None:
        return None
    fraction = found.group(2) or "0"
    return int(found.group(1)) * 60 + round(int(fraction) * 60 / 10 ** len(fraction))


def signed_cents(text: str) -> int | None:
    """ "-12,50" or "€ -12,50" (money off) or "12,50" in cents; None when it is no amount."""
    found = _SIGNED_EUROS.match(text.strip())
    if found is None or (found.group(1) and found.group(2)):
        return None
    amount = cents(found.group(3))
    return None if amount is None else -amount if found.group(1) or found.group(2) else amount


# -- a school's lines -----------------------------------------------------------------------

LINE_LABELS = {
    "hours": {
        "kerntaak": "Kerntaak",
        "omschrijving": "Omschrijving",
        "rol": "Functie",
        "uren": "Aantal uren",
    },
    "material": {
        "kerntaak": "Kerntaak",
        "omschrijving": "Omschrijving",
        "bedrag": "Bedrag",
        "leverancier": "Leverancier",
        "factuur": "Factuurnummer",
    },
    "cofinancing": {
        "kerntaak": "Kerntaak",
        "omschrijving": "Omschrijving",
        "bedrijf": "Bedrijf",
        "vorm": "Vorm",
        "rol": "Functie",
        "uren": "Aantal uren",
        "bedrag": "Bedrag",
    },
}


def line_form(kind: str, values: dict[str, str]) -> Form:
    """A new line of `kind`, checked for what the API needs to be asked at all; its rules
    (rates, limits) are the API's, whose answer lands on the same form."""
    labels = LINE_LABELS[kind]
    form = Form({k: values.get(k, "").strip() for k in labels}, labels=dict(labels))
    v, errors = form.values, form.errors
    if v["kerntaak"] not in CORE_TASKS:
        errors["kerntaak"] = "Kies de kerntaak waar dit bij hoort."
    if len(v["omschrijving"]) < 3:
        errors["omschrijving"] = "Beschrijf wat er gedaan of gekocht is (minstens 3 tekens)."
    in_kind = kind == "hours" or (kind == "cofinancing" and v["vorm"] == "in-kind")
    if kind == "cofinancing":
        if not _COMPANY.match(v["bedrijf"]):
            errors["bedrijf"] = "Vul de code van het bedrijf in, bijvoorbeeld voorbeeld-bouw."
        if v["vorm"] not in COFINANCING_FORMS:
            errors["vorm"] = "Kies in natura of in geld."
    if in_kind:
        if v["rol"] not in STAFF_ROLES:
            errors["rol"] = "Kies de functie van wie de uren maakte."
        if not minutes(v["uren"]):
            errors["uren"] = "Vul het aantal uren in, bijvoorbeeld 1,5."
    elif not cents(v["bedrag"]) and (kind == "material" or v["vorm"] == "cash"):
        errors["bedrag"] = "Vul een bedrag in euro in, bijvoorbeeld 45,00."
    if kind == "material":
        for name, what in (("leverancier", "de leverancier"), ("factuur", "het factuurnummer")):
            if not v[name]:
                errors[name] = f"Vul {what} in."
    return form


def line_body(kind: str, form: Form) -> dict[str, Any]:
    v = form.values
    body: dict[str, Any] = {
        "kind": kind,
        "core_task": v["kerntaak"],
        "description": v["omschrijving"],
    }
    if kind == "material":
        return body | {
            "amount_cents": cents(v["bedrag"]),
            "supplier": v["leverancier"],
            "invoice_reference": v["factuur"],
        }
    if kind == "cofinancing":
        body |= {"company": v["bedrijf"], "form": v["vorm"]}
        if v["vorm"] == "cash":
            return body | {"amount_cents": cents(v["bedrag"])}
    return body | {"role": v["rol"], "minutes": minutes(v["uren"])}


def unpriced_role(form: Form, problem: ApiProblem) -> bool:
    """Hours of a role finance keeps no hourly rate for: said at the role."""
    if problem.status != 422 or "rol" not in form.values or "tarief" not in problem.detail:
        return False
    form.errors["rol"] = (
        "Financiën heeft voor deze functie nog geen uurtarief. Kies een "
        "andere functie, of vraag financiën het tarief vast te leggen."
    )
    return True


CORRECTION_LABELS = {"omschrijving": "Waarom deze correctie", "bedrag": "Correctiebedrag"}


def correction_form(values: dict[str, str]) -> Form:
    form = Form(
        {k: values.get(k, "").strip() for k in CORRECTION_LABELS}, labels=dict(CORRECTION_LABELS)
    )
    if len(form.values["omschrijving"]) < 3:
        form.errors["omschrijving"] = "Schrijf waarom de regel gecorrigeerd wordt."
    amount = signed_cents(form.values["bedrag"])
    if not amount:
        form.errors["bedrag"] = (
            "Vul het bedrag in waarmee de regel verandert, bijvoorbeeld "
            "-25,00 om er geld af te halen."
        )
    return form


def correction_body(form: Form, line_id: str) -> dict[str, Any]:
    return {
        "corrects_line_id": line_id,
        "description": form.values["omschrijving"],
        "amount_cents": signed_cents(form.values["bedrag"]),
    }


# -- finance's decisions ---------------------------------------------------------------------

PAYMENT_LABELS = {"betaalrun": "Betaalrun", "betaaldatum": "Betaaldatum"}


def payment_form(values: dict[str, str]) -> Form:
    form = Form({k: values.get(k, "").strip() for k in PAYMENT_LABELS}, labels=dict(PAYMENT_LABELS))
    if not form.values["betaalrun"]:
        form.errors["betaalrun"] = "Vul de betaalrun in, bijvoorbeeld 2027-07."
    if parse_day(form.values["betaaldatum"]) is None:
        form.errors["betaaldatum"] = "Vul de dag van betalen in, bijvoorbeeld 2027-07-15."
    return form


def payment_body(form: Form) -> dict[str, str]:
    return {"batch": form.values["betaalrun"], "paid_on": form.values["betaaldatum"]}


def decision_refusal(problem: ApiProblem, now: dict[str, Any]) -> str:
    """Why a decision on a declaration was refused, with `now` the declaration as it is."""
    if problem.status == 409 and now["status"] != "submitted":
        status = formatting.label(formatting.DECLARATION_STATUSES, now["status"]).lower()
        return (
            f"Dat kan niet meer: deze declaratie is inmiddels {status}. Hieronder zie je "
            "hoe ze er nu voor staat."
        )
    if problem.status == 403 and problem.detail:
        return f"Dat mag niet: {problem.detail}."
    if problem.status == 409 and problem.detail:
        return f"Dat lukte niet: {problem.detail}."
    return "Het platform kon dit niet uitvoeren. Probeer het zo opnieuw."


# -- a declaration's lines, as the pages show them ---------------------------------------------


@dataclass(frozen=True)
class LineRow:
    line: dict[str, Any]
    # The description of the line this one corrects, when it corrects one.
    corrects: str | None

    @property
    def kind(self) -> str:
        return (
            "Correctie"
            if self.line["corrects_line_id"]
            else LINE_KINDS.get(self.line["kind"], self.line["kind"])
        )

    @property
    def correctable(self) -> bool:
        return not self.line["corrects_line_id"]


def line_rows(lines: list[dict[str, Any]]) -> list[LineRow]:
    described = {str(line["id"]): line["description"] for line in lines}
    return [
        LineRow(
            line,
            described.get(str(line["corrects_line_id"]), "een eerdere regel")
            if line["corrects_line_id"]
            else None,
        )
        for line in lines
    ]


# -- reports ---------------------------------------------------------------------------------


def _amount(cents: float) -> str:
    """A bar's figure (whole cents) as an amount."""
    return formatting.amount(int(cents))


def budget_chart(year: int, report: dict[str, Any]) -> Chart:
    """Per kerntaak what approved declarations took (the bar) against its budget (the mark)."""
    return Chart(
        f"Budget en realisatie {year} per kerntaak",
        [
            Bar(f"Kerntaak {row['core_task']}", row["actual_cents"], row["budget_cents"])
            for row in report["rows"]
        ],
        _amount,
        target_label="Budget",
    )


def cofinancing_chart(
    year: int, report: dict[str, Any], budget: dict[str, Any], names: dict[str, str]
) -> Chart:
    """What each company gave (by its name in `names`), and all of them together against
    10 % of the year's budget."""
    required = budget["totals"]["budget_cents"] * COFINANCING_PERCENT // 100
    bars = [
        Bar(names.get(str(row["company"]), str(row["company"])), row["total_cents"])
        for row in report["rows"]
    ]
    bars.append(Bar("Alle bedrijven samen", report["totals"]["total_cents"], required))
    return Chart(
        f"Cofinanciering {year} tegen {COFINANCING_PERCENT} % van het budget",
        bars,
        _amount,
        target_label=f"{COFINANCING_PERCENT} % van het budget",
    )


@dataclass(frozen=True)
class Download:
    """A report of the finance API as a file with a Dutch name."""

    path: str
    params: dict[str, str]
    filename: str


QUARTER = re.compile(r"^\d{4}-Q[1-4]$")
FORMATS = ("csv", "xlsx")


def download(report: str, year: str, quarter: str, format: str) -> Download | None:
    """The download asked for, or None when the report, year, quarter or format is not one."""
    if format not in FORMATS or not re.fullmatch(r"20\d\d", year):
        return None
    if quarter and not (QUARTER.match(quarter) and quarter.startswith(year)):
        return None
    if report == "kwartaal" and quarter:
        return Download(
            "/finance/reports/quarter",
            {"quarter": quarter, "format": format},
            f"declaraties-per-school-{quarter}.{format}",
        )
    if report == "budget":
        return Download(
            "/finance/reports/budget",
            {"year": year, "format": format},
            f"budget-en-realisatie-{year}.{format}",
        )
    if report == "cofinanciering":
        return Download(
            "/finance/reports/cofinancing",
            {"year": year, "format": format},
            f"cofinanciering-{year}.{format}",
        )
    if report == "dusi":
        name = (
            f"dusi-voortgangsrapportage-{year}-tm-{quarter[-2:]}"
            if quarter
            else f"dusi-jaarrapportage-{year}"
        )
        return Download(
            "/finance/reports/dusi",
            {"year": year, "through": quarter, "format": format},
            f"{name}.{format}",
        )
    return None
