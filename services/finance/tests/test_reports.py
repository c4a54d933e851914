"""Reports: totals that reconcile (property-based), the 10 % co-financing warning, DUS-I,
and the same figures as JSON, CSV and XLSX through the internal API."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from services.finance import demo, export, reports
from services.finance.reports import Fact
from services.finance.tests.test_declarations import (
    CASH,
    COORDINATOR,
    FINANCE,
    IN_KIND,
    MATERIAL,
    OTHER_SCHOOL,
    TEACHER_HOURS,
    post,
)
from shared.tests.callers import as_caller

PROGRAMME = as_caller("finance", "programme", "tft", "pm")
BACKOFFICE = as_caller("finance", "backoffice", "tft", "bo")

facts = st.lists(
    st.builds(
        Fact,
        school_id=st.sampled_from(["corlaer", "element", "lodenstein"]),
        quarter=st.sampled_from(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]),
        status=st.sampled_from(["draft", "submitted", "approved", "rejected", "paid"]),
        core_task=st.sampled_from("ABCDE"),
        kind=st.sampled_from(["hours", "material", "cofinancing"]),
        amount_cents=st.integers(-(10**6), 10**8),  # corrections may be negative
        company=st.sampled_from([None, "voorbeeld-bouw", "installatie-oost"]),
        cofinancing_form=st.sampled_from([None, "in-kind", "cash"]),
        students_reached=st.one_of(st.none(), st.integers(0, 200)),
    ),
    max_size=60,
)


@given(facts)
def test_every_report_adds_up_to_the_sum_of_its_lines(lines):
    declared = sum(f.amount_cents for f in lines)
    cofinancing = sum(f.amount_cents for f in lines if f.kind == "cofinancing")
    committed = sum(f.amount_cents for f in lines if f.status in ("approved", "paid"))

    per_quarter = [
        reports.quarter_report(q, [f for f in lines if f.quarter == q])
        for q in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
    ]
    assert sum(r.totals["total_cents"] for r in per_quarter) == declared
    for report in per_quarter:
        for row in report.rows:
            assert row["total_cents"] == (
                row["hours_cents"] + row["material_cents"] + row["cofinancing_cents"]
            )

    per_quarter = reports.budget_quarter_report(2026, {"A": {"2026-Q1": 10**8}}, lines).totals
    assert (per_quarter["declared_cents"], per_quarter["actual_cents"]) == (declared, committed)

    budget = reports.budget_report(2026, {"A": 10**8}, lines).totals
    assert (budget["declared_cents"], budget["actual_cents"]) == (declared, committed)
    assert budget["remaining_cents"] == 10**8 - committed

    dusi = reports.dusi_report(2026, None, {}, {}, lines).totals
    assert (dusi["declared_cents"], dusi["cofinancing_cents"]) == (declared, cofinancing)
    assert dusi["students_reached"] == sum(f.students_reached or 0 for f in lines)

    given_ = reports.cofinancing_report(2026, ["2026-Q1"], 0, 10, lines, date(2026, 1, 1))
    assert given_.totals["total_cents"] == cofinancing


@given(st.integers(0, 10**9), st.dates(date(2025, 1, 1), date(2027, 12, 31)))
def test_pro_rata_is_nothing_before_all_after_and_grows_with_the_days(amount, on):
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    due = reports.pro_rata_cents(amount, start, end, on)
    assert 0 <= due <= amount
    assert due <= reports.pro_rata_cents(amount, start, end, min(on + (end - start), end))
    if on < start:
        assert due == 0
    if on >= end:
        assert due == amount


def test_quarters_start_and_end():
    assert (reports.quarter_start("2025-Q3"), reports.quarter_end("2025-Q3")) == (
        date(2025, 7, 1),
        date(2025, 9, 30),
    )
    assert reports.quarter_end("2029-Q4") == date(2029, 12, 31)


@pytest.fixture
async def quarter(client, rt):
    """Two schools' 2026-Q4 declarations: corlaer's approved, element's a draft."""
    await demo.load(rt)
    for rate in ("teacher", "company-expert"):
        await client.put(f"/rates/{rate}", json={"hourly_rate_cents": 5001}, headers=FINANCE)
    corlaer = (
        await client.post("/declarations", json={"quarter": "2026-Q4"}, headers=COORDINATOR)
    ).json()["id"]
    for line in (MATERIAL, TEACHER_HOURS, IN_KIND, CASH):
        assert (await post(client, corlaer, "lines", COORDINATOR, line)).status_code == 201
    await post(client, corlaer, "submit", COORDINATOR)
    await post(client, corlaer, "approve", FINANCE)
    element = (
        await client.post("/declarations", json={"quarter": "2026-Q4"}, headers=OTHER_SCHOOL)
    ).json()["id"]
    await post(client, element, "lines", OTHER_SCHOOL, MATERIAL | {"core_task": "B"})
    return corlaer, element


async def test_the_quarter_report_adds_up_to_the_declarations_totals(client, quarter):
    report = (
        await client.get("/reports/quarter", params={"quarter": "2026-Q4"}, headers=FINANCE)
    ).json()
    declarations = (
        await client.get("/declarations", params={"quarter": "2026-Q4"}, headers=FINANCE)
    ).json()
    assert report["totals"]["total_cents"] == sum(d["total_cents"] for d in declarations)
    assert [(r["school_id"], r["core_task"], r["status"]) for r in report["rows"]] == [
        ("corlaer", "A", "approved"),
        ("corlaer", "B", "approved"),
        ("corlaer", "C", "approved"),
        ("element", "B", "draft"),
    ]
    # 90 min teacher (7 502) on A; in-kind 120 min (10 002) on B; material and cash on C.
    assert report["totals"] == {
        "hours_cents": 7_502,
        "material_cents": 2 * 12_345,
        "cofinancing_cents": 10_002 + 250_000,
        "total_cents": 7_502 + 2 * 12_345 + 260_002,
    }


async def test_csv_and_xlsx_hold_the_apis_rows_and_totals(client, quarter):
    params = {"quarter": "2026-Q4"}
    api = (await client.get("/reports/quarter", params=params, headers=FINANCE)).json()

    answer = await client.get(
        "/reports/quarter", params=params | {"format": "csv"}, headers=FINANCE
    )
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="declaraties-2026-Q4.csv"' in answer.headers["content-disposition"]
    header, *rows, totals = list(csv.reader(io.StringIO(answer.text)))
    assert header == api["columns"] and len(rows) == len(api["rows"])
    last = dict(zip(header, totals, strict=True))
    assert last["total_cents"] == str(api["totals"]["total_cents"])

    answer = await client.get(
        "/reports/quarter", params=params | {"format": "xlsx"}, headers=FINANCE
    )
    assert answer.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(answer.content)).active
    title, header, *rows, totals = list(sheet.iter_rows(values_only=True))
    assert title[0] == api["title"] and list(header) == api["columns"]
    assert [dict(zip(header, row, strict=True)) for row in rows] == api["rows"]
    assert totals[0] == "Totaal"
    last = dict(zip(header, totals, strict=True))
    assert {c: last[c] for c in api["totals"]} == api["totals"]
    assert sum(row[header.index("total_cents")] for row in rows) == api["totals"]["total_cents"]


async def test_budget_against_actual_counts_approved_declarations_only(client, quarter):
    report = (await client.get("/reports/budget", params={"year": 2026}, headers=PROGRAMME)).json()
    by_task = {r["core_task"]: r for r in report["rows"]}
    assert by_task["B"]["declared_cents"] == 10_002 + 12_345  # element's draft counts here
    assert by_task["B"]["actual_cents"] == 10_002  # but only corlaer's approval takes budget
    assert by_task["B"]["remaining_cents"] == by_task["B"]["budget_cents"] - 10_002
    assert report["totals"]["budget_cents"] == 247_000_000 and report["warnings"] == []


async def test_the_budget_per_quarter_spreads_the_year_beside_each_quarters_figures(
    client, quarter
):
    report = (
        await client.get(
            "/reports/budget", params={"year": 2026, "per_quarter": True}, headers=PROGRAMME
        )
    ).json()
    rows = {(r["core_task"], r["quarter"]): r for r in report["rows"]}
    assert len(rows) == 5 * 4
    assert rows["A", "2026-Q1"]["budget_cents"] == 98_800_000 // 4
    assert (rows["B", "2026-Q4"]["actual_cents"], rows["B", "2026-Q4"]["declared_cents"]) == (
        10_002,
        10_002 + 12_345,
    )
    yearly = (await client.get("/reports/budget", params={"year": 2026}, headers=PROGRAMME)).json()
    for column in ("budget_cents", "actual_cents", "declared_cents"):
        assert report["totals"][column] == yearly["totals"][column]


@pytest.mark.parametrize(
    ("on", "behind"),
    [
        (date(2026, 7, 1), False),  # 182 of 365 days: EUR 123,161.64 due, exactly what is there
        (date(2026, 7, 2), True),
    ],
)
async def test_cofinancing_warns_when_the_year_is_behind_pro_rata(client, rt, on, behind):
    await demo.load(rt)
    declaration = (
        await client.post("/declarations", json={"quarter": "2026-Q2"}, headers=COORDINATOR)
    ).json()["id"]
    given_ = CASH | {"amount_cents": 12_316_164 - 250_000}
    for line in (CASH, given_):
        assert (await post(client, declaration, "lines", COORDINATOR, line)).status_code == 201
    report = (
        await client.get(
            "/reports/cofinancing", params={"year": 2026, "on": on.isoformat()}, headers=BACKOFFICE
        )
    ).json()
    assert report["rows"] == [
        {
            "company": "voorbeeld-bouw",
            "in_kind_cents": 0,
            "cash_cents": 12_316_164,
            "total_cents": 12_316_164,
            "approved_cents": 0,
        }
    ]
    assert bool(report["warnings"]) is behind
    if behind:
        assert report["warnings"][0].startswith("achter op schema: € 123.161,64 geregistreerd, € ")


async def test_the_dusi_report_per_core_task_with_reach(client, quarter):
    params = {"year": 2026, "on": "2026-12-31"}
    annual = (await client.get("/reports/dusi", params=params, headers=PROGRAMME)).json()
    assert annual["title"] == "DUS-I jaarrapportage 2026"
    assert [r["core_task"] for r in annual["rows"]] == ["A", "B", "C", "D", "E"]
    by_task = {r["core_task"]: r for r in annual["rows"]}
    assert by_task["C"]["cofinancing_cents"] == 250_000
    assert by_task["A"]["name"] == "Technieklessen op harde techniekscholen"
    assert annual["totals"]["declared_cents"] == 7_502 + 2 * 12_345 + 260_002
    assert any("achter op schema" in w for w in annual["warnings"])
    progress = (
        await client.get("/reports/dusi", params=params | {"through": "2026-Q3"}, headers=PROGRAMME)
    ).json()
    assert progress["totals"]["declared_cents"] == 0
    wrong_year = await client.get(
        "/reports/dusi", params=params | {"through": "2027-Q1"}, headers=PROGRAMME
    )
    assert wrong_year.status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/reports/quarter?quarter=2026-Q4",
        "/reports/budget?year=2026",
        "/reports/cofinancing?year=2026",
        "/reports/dusi?year=2026",
    ],
)
async def test_schools_and_companies_do_not_read_reports(client, path):
    for headers in (COORDINATOR, as_caller("finance", "company", "voorbeeld-bouw", "c")):
        assert (await client.get(path, headers=headers)).status_code == 403


def test_text_from_elsewhere_never_becomes_a_spreadsheet_formula():
    report = reports.cofinancing_report(
        2026,
        [],
        0,
        10,
        [
            Fact(
                "lodenstein", "2026-Q4", "draft", "D", "cofinancing", 500, '=HYPERLINK("x")', "cash"
            )
        ],
        date(2026, 12, 31),
    )
    sheet = load_workbook(io.BytesIO(export.as_xlsx(report))).active
    company = sheet.cell(row=3, column=1)
    assert (company.data_type, company.value) == ("s", '\'=HYPERLINK("x")')
    [_, row, _] = list(csv.reader(io.StringIO(export.as_csv(report).decode())))
    assert row[0] == '\'=HYPERLINK("x")' and row[1:4] == ["0", "500", "500"]
