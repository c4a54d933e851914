"""Programme KPIs composed by the gateway from fake bookings and events reach: the figures
per school, level, profile, activity and core task add up the known rows, with the plan's
targets beside them; the same figures download as CSV and XLSX; only programme, admin and
backoffice get them; a service that fails is named in `missing`."""

import csv
import io

import httpx
import pytest
from openpyxl import load_workbook

from services.gateway.app import app as gateway_app
from services.gateway.kpis import Kpis
from services.gateway.tests.conftest import login, running, sent_caller, settings

# Completed bookings of 2026 as bookings counts them: a masterklas series (4 lessons, one
# group), a po lessenserie, an inspiratieles of a D&P school without a profile.
BOOKINGS = [
    {
        "school_id": "corlaer",
        "level": "vmbo-kb",
        "profile": "PIE",
        "kind": "masterclass",
        "core_task": "A",
        "groups": 1,
        "lessons": 4,
        "students": 22,
    },
    {
        "school_id": "po-demo-1",
        "level": "po",
        "profile": None,
        "kind": "po_series",
        "core_task": "B",
        "groups": 1,
        "lessons": 4,
        "students": 27,
    },
    {
        "school_id": "oostwende",
        "level": "vmbo-tl",
        "profile": "D&P",
        "kind": "inspiration_lesson",
        "core_task": "B",
        "groups": 2,
        "lessons": 2,
        "students": 40,
    },
]
# Attendance checked in at events of 2026.
EVENTS = [
    {
        "event_id": "girlsday-2026",
        "event_title": "Girls Day",
        "school_id": "corlaer",
        "level": "vmbo-kb",
        "profile": "BWI",
        "groups": 2,
        "students": 41,
    },
    {
        "event_id": "girlsday-2026",
        "event_title": "Girls Day",
        "school_id": "po-demo-2",
        "level": "po",
        "profile": None,
        "groups": 1,
        "students": 25,
    },
]


SERVICE_AT = {8101: "bookings", 8103: "events"}  # the fakes see the default addresses


def services(seen: list[httpx.Request], failing: str | None = None):
    answers = {"bookings": BOOKINGS, "events": EVENTS}

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        service = SERVICE_AT[request.url.port]
        if service == failing:
            return httpx.Response(500, json={"title": "boom", "status": 500})
        return httpx.Response(200, json=answers[service])

    return handle


async def _kpis(client, username: str, headers: dict | None = None, **params) -> httpx.Response:
    return await client.get(
        "/api/v1/programme/kpis",
        params={"year": 2026} | params,
        headers=await login(client, username) | (headers or {}),
    )


async def test_the_figures_add_up_the_reach_of_bookings_and_events_beside_the_plan():
    seen: list[httpx.Request] = []
    async with running(services(seen)) as client:
        answer = await _kpis(client, "programma")
    assert answer.status_code == 200, answer.text
    k = answer.json()
    assert (k["year"], k["year_kind"], k["first_day"], k["last_day"], k["missing"]) == (
        2026,
        "kalenderjaar",
        "2026-01-01",
        "2026-12-31",
        [],
    )
    assert k["totals"] == {"groups": 7, "sessions": 13, "students": 155}
    schools = {s["school_id"]: s for s in k["per_school"]}
    assert (schools["corlaer"]["students"], schools["corlaer"]["sessions"]) == (63, 6)
    # Figure 2 beside each hard-tech school (Corlaer: BWI 40 + PIE 60), also when unreached.
    assert schools["corlaer"]["plan_2023_students"] == 100
    assert (schools["lodenstein"]["students"], schools["lodenstein"]["plan_2023_students"]) == (
        0,
        282,
    )
    assert schools["oostwende"]["plan_2023_students"] is None
    assert [(v["level"], v["students"]) for v in k["per_level"]] == [
        ("po", 52),
        ("vmbo-kb", 63),
        ("vmbo-tl", 40),
    ]
    profiles = {p["profile"]: (p["students"], p["plan_2023_students"]) for p in k["per_profile"]}
    assert profiles == {
        "BWI": (41, 272),
        "M&T": (0, 120),
        "PIE": (22, 198),
        "MVI": (0, 23),
        "D&P": (40, None),
        None: (52, None),
    }
    assert {a["activity"]: a["students"] for a in k["per_activity"]} == {
        "event": 66,
        "inspiration_lesson": 40,
        "masterclass": 22,
        "po_series": 27,
    }
    tasks = {t["core_task"]: t for t in k["per_core_task"]}
    assert [(c, tasks[c]["students"]) for c in "ABCDE"] == [
        ("A", 22),
        ("B", 67),
        ("C", 0),
        ("D", 66),
        ("E", 0),
    ]
    assert "De week van de techniek uitvoeren" in tasks["D"]["plan_activities"]
    kpis = {i["key"]: i for i in k["kpis"]}
    tech = kpis["technische-profielen"]
    assert (tech["target"], tech["reached"]) == (613, 41 + 22)
    assert "613 vmbo leerlingen een technisch profiel" in tech["plan"]
    assert (kpis["po-scholen"]["target"], kpis["po-scholen"]["reached"]) == (44, 2)
    assert (kpis["doorstroom-M&T"]["baseline"], kpis["doorstroom-M&T"]["target"]) == (72, 80)
    assert kpis["doorstroom-TL"]["reached"] == 40  # vmbo-tl is a level
    assert kpis["doorstroom-D&P"]["reached"] == 40
    # Each service asked once, for the year, as the programme itself.
    assert sorted(r.url.path for r in seen if r.url.path == "/reach") == ["/reach", "/reach"]
    assert {r.url.params["year"] for r in seen if r.url.path == "/reach"} == {"2026"}
    assert {sent_caller(r).actor for r in seen if r.url.path == "/reach"} == {"programma"}


@pytest.mark.parametrize("asked", [{"format": "csv"}, {"headers": {"Accept": "text/csv"}}])
async def test_csv_holds_the_same_figures(asked):
    async with running(services([])) as client:
        answer = await _kpis(client, "admin", **asked)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="kpis-2026.csv"' in answer.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(answer.text)))
    assert ["Per school", "corlaer", "3", "6", "63", "100"] in lines
    assert ["Per kerntaak", "D", "3", "3", "66"] == lines[-2][:5]
    tech = next(line for line in lines if line[:2] == ["Doelen", "technische-profielen"])
    assert tech[4:7] == ["leerlingen", "613", "63"]


@pytest.mark.parametrize(
    "asked",
    [
        {"format": "xlsx"},
        {
            "headers": {
                "Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        },
    ],
)
async def test_xlsx_holds_the_same_figures_a_sheet_per_table(asked):
    async with running(services([])) as client:
        answer = await _kpis(client, "backoffice", **asked)
    assert answer.status_code == 200, answer.text
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == [
        "Doelen",
        "Per school",
        "Per niveau",
        "Per profiel",
        "Per activiteit",
        "Per kerntaak",
    ]
    levels = [list(r) for r in book["Per niveau"].iter_rows(values_only=True)]
    assert levels == [
        ["niveau", "groepen", "sessies", "leerlingen"],
        ["po", 2, 5, 52],
        ["vmbo-kb", 3, 6, 63],
        ["vmbo-tl", 2, 2, 40],
    ]
    profiles = {r[0]: r[3] for r in book["Per profiel"].iter_rows(min_row=2, values_only=True)}
    assert profiles["zonder profiel"] == 52


@pytest.mark.parametrize(
    "username", ["corlaer", "voorbeeld-bouw", "finance", "docent-corlaer", "gemeente-amersfoort"]
)
async def test_schools_companies_and_others_are_refused_and_nothing_is_asked(username):
    seen: list[httpx.Request] = []
    async with running(services(seen)) as client:
        answer = await _kpis(client, username)
    assert answer.status_code == 403
    assert "mag dit niet" in answer.json()["detail"]
    assert [r for r in seen if r.url.path == "/reach"] == []


async def test_a_service_that_fails_is_named_and_its_part_left_out():
    async with running(services([], failing="events")) as client:
        answer = await _kpis(client, "programma")
    assert answer.status_code == 200
    assert answer.json()["missing"] == ["events"]
    assert answer.json()["totals"]["students"] == 22 + 27 + 40


async def test_a_year_out_of_range_is_refused_at_its_field():
    async with running(services([])) as client:
        answer = await _kpis(client, "programma", year=1999)
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["query.year"]


def test_the_openapi_document_shows_an_example_of_each_format():
    operation = gateway_app(settings()).openapi()["paths"]["/api/v1/programme/kpis"]["get"]
    content = operation["responses"]["200"]["content"]
    example = Kpis.model_validate(content["application/json"]["example"])
    assert example.totals.students == 22 + 27 + 41
    assert content["text/csv; charset=utf-8"]["example"].startswith("Doelen,")
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in content
    assert [p["name"] for p in operation["parameters"]] == ["year", "format"]
