"""Declarations in the front end: amounts and hours as people type them, the forms of a
school's lines, corrections and payments, the charts and the report downloads."""

import httpx

from web import finance_views as fv
from web.gateway import ApiProblem
from web.tests.test_security import login
from web.views import apply_problem


def test_hours_and_signed_amounts_are_read_as_people_type_them():
    assert [fv.minutes(t) for t in ("1,5", "2", "0.25", "x", "")] == [90, 120, 15, None, None]
    assert [fv.signed_cents(t) for t in ("-25,00", "€ -3", "- 1,5", "12,50", "--1", "a")] == [
        -2500,
        -300,
        -150,
        1250,
        None,
        None,
    ]


def test_own_hours_go_to_the_api_as_minutes_of_a_role():
    form = fv.line_form(
        "hours",
        {"kerntaak": "B", "omschrijving": "Voorbereiding drones", "rol": "teacher", "uren": "1,5"},
    )
    assert form.valid
    assert fv.line_body("hours", form) == {
        "kind": "hours",
        "core_task": "B",
        "description": "Voorbereiding drones",
        "role": "teacher",
        "minutes": 90,
    }


def test_cash_cofinancing_has_an_amount_and_no_hours():
    form = fv.line_form(
        "cofinancing",
        {
            "kerntaak": "D",
            "omschrijving": "Bijdrage evenement",
            "bedrijf": "voorbeeld-bouw",
            "vorm": "cash",
            "bedrag": "250,00",
            "rol": "teacher",
            "uren": "3",
        },
    )
    assert form.valid
    assert fv.line_body("cofinancing", form) == {
        "kind": "cofinancing",
        "core_task": "D",
        "description": "Bijdrage evenement",
        "company": "voorbeeld-bouw",
        "form": "cash",
        "amount_cents": 25000,
    }


def test_a_material_line_asks_for_what_is_missing_and_keeps_what_was_typed():
    form = fv.line_form(
        "material",
        {"kerntaak": "", "omschrijving": "Filament", "bedrag": "veel", "leverancier": "Printshop"},
    )
    assert set(form.errors) == {"kerntaak", "bedrag", "factuur"}
    assert form.values["omschrijving"] == "Filament" and form.values["bedrag"] == "veel"


def test_the_apis_field_errors_of_a_line_land_on_the_form():
    form = fv.line_form(
        "hours", {"kerntaak": "A", "omschrijving": "Uren", "rol": "teacher", "uren": "9999"}
    )
    problem = ApiProblem(
        422,
        errors=[
            {
                "field": "hours.minutes",
                "code": "less_than_equal",
                "message": "Input should be less than or equal to 100000",
            }
        ],
    )
    assert apply_problem(form, problem, fv.FIELDS)
    assert form.errors == {"uren": "Dit mag hoogstens 100000 zijn."}


def test_a_correction_needs_a_reason_and_an_amount_other_than_zero():
    form = fv.correction_form({"omschrijving": "", "bedrag": "0"})
    assert set(form.errors) == {"omschrijving", "bedrag"}
    form = fv.correction_form({"omschrijving": "Een uur te veel", "bedrag": "-75,00"})
    assert fv.correction_body(form, "line-1") == {
        "corrects_line_id": "line-1",
        "description": "Een uur te veel",
        "amount_cents": -7500,
    }


def test_a_payment_needs_a_batch_and_a_day():
    form = fv.payment_form({"betaalrun": "", "betaaldatum": "15-7"})
    assert set(form.errors) == {"betaalrun", "betaaldatum"}
    form = fv.payment_form({"betaalrun": "2027-07", "betaaldatum": "2027-07-15"})
    assert fv.payment_body(form) == {"batch": "2027-07", "paid_on": "2027-07-15"}


def test_a_decision_on_a_declaration_that_moved_on_says_where_it_is_now():
    stale = ApiProblem(409, detail="een declaratie met status approved kan niet worden goedgekeurd")
    said = fv.decision_refusal(stale, {"status": "approved"})
    assert said.startswith("Dat kan niet meer: deze declaratie is inmiddels goedgekeurd.")
    own = ApiProblem(403, detail="niemand beslist over een declaratie die hij zelf heeft ingediend")
    assert fv.decision_refusal(own, {"status": "submitted"}) == (
        "Dat mag niet: niemand beslist over een declaratie die hij zelf heeft ingediend."
    )


def test_a_correction_names_the_line_it_corrects():
    rows = fv.line_rows(
        [
            {"id": "a", "kind": "hours", "description": "Les drones", "corrects_line_id": None},
            {"id": "b", "kind": "hours", "description": "Te veel", "corrects_line_id": "a"},
        ]
    )
    assert [(r.kind, r.corrects, r.correctable) for r in rows] == [
        ("Eigen uren", None, True),
        ("Correctie", "Les drones", False),
    ]


def test_the_budget_chart_sets_actual_against_budget_per_kerntaak():
    chart = fv.budget_chart(
        2027, {"rows": [{"core_task": "A", "budget_cents": 100_000, "actual_cents": 25_000}]}
    )
    (bar,) = chart.bars
    assert (bar.label, bar.value, bar.target) == ("Kerntaak A", 25_000, 100_000)
    assert chart.shown(bar.value) == "€ 250,00"


def test_cofinancing_is_set_against_ten_percent_of_the_years_budget():
    chart = fv.cofinancing_chart(
        2027,
        {
            "rows": [{"company": "voorbeeld-bouw", "total_cents": 5_000}],
            "totals": {"total_cents": 5_000},
        },
        {"totals": {"budget_cents": 2_470_000_00}},
        {"voorbeeld-bouw": "Voorbeeld Bouw"},
    )
    assert [(b.label, b.value, b.target) for b in chart.bars] == [
        ("Voorbeeld Bouw", 5_000, None),
        ("Alle bedrijven samen", 5_000, 247_000_00),
    ]


def test_downloads_have_dutch_names_and_refuse_what_is_not_a_report():
    assert fv.download("dusi", "2027", "2027-Q2", "xlsx") == fv.Download(
        "/finance/reports/dusi",
        {"year": "2027", "through": "2027-Q2", "format": "xlsx"},
        "dusi-voortgangsrapportage-2027-tm-Q2.xlsx",
    )
    assert fv.download("kwartaal", "2027", "2027-Q3", "csv").filename == (
        "declaraties-per-school-2027-Q3.csv"
    )
    for wrong in [
        ("budget", "2027", "", "pdf"),
        ("budget", "27", "", "csv"),
        ("dusi", "2027", "2026-Q1", "csv"),
        ("kwartaal", "2027", "", "csv"),
        ("geheim", "2027", "", "csv"),
    ]:
        assert fv.download(*wrong) is None, wrong


def test_a_report_download_passes_the_gateways_file_on_under_a_dutch_name(client, gateway):
    gateway.answers["/finance/reports/budget"] = httpx.Response(
        200,
        content=b"core_task,budget_cents\nA,100\n",
        headers={"content-type": "text/csv; charset=utf-8"},
    )
    login(client, "finance")
    answer = client.get("/financien/rapportages/download?rapport=budget&jaar=2027&formaat=csv")
    assert answer.status_code == 200
    assert answer.content == b"core_task,budget_cents\nA,100\n"
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="budget-en-realisatie-2027.csv"'
    )
    asked = gateway.calls[-1]
    assert asked.url.params["format"] == "csv" and asked.url.params["year"] == "2027"


def test_a_download_the_gateway_refuses_is_a_page_not_a_file(client, gateway):
    gateway.answers["/finance/reports/budget"] = httpx.Response(
        403, json={"title": "Forbidden", "status": 403, "detail": "Dat mag jij niet zien."}
    )
    login(client, "finance")
    answer = client.get("/financien/rapportages/download?rapport=budget&jaar=2027&formaat=csv")
    assert answer.status_code == 403 and "Dat mag jij niet zien." in answer.text
    assert "attachment" not in answer.headers.get("content-disposition", "")


def test_hours_of_a_role_without_a_rate_are_refused_at_the_role():
    form = fv.line_form(
        "hours", {"kerntaak": "A", "omschrijving": "Uren", "rol": "teacher", "uren": "2"}
    )
    problem = ApiProblem(422, detail="financiën heeft geen standaardtarief voor de rol teacher")
    assert fv.unpriced_role(form, problem)
    assert form.errors["rol"].startswith("Financiën heeft voor deze functie nog geen uurtarief")
    assert not fv.unpriced_role(fv.correction_form({}), problem)
