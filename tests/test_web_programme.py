"""Programme monitoring against the real platform (PostgreSQL, Kafka, every service, the
gateway and the web app): a known year of reach, 2028, which no other test uses: Corlaer's
class of 24 completes an inspiratieles for PIE with 21 present, Het Element's class of 18
(BWI) is checked in at an event with 17. Its KPIs through the gateway for each role (a school
and a company refused), and the programme's page in Chromium at desktop and phone size with
the figures beside the plan's, the charts, and both downloads."""

import csv
import io
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser import SCREENSHOTS, SIZES, post
from tests.harness import Platform
from tests.test_first_flow import bookings_clock_at
from tests.test_web_events import new_event

pytestmark = pytest.mark.integration
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YEAR = 2028
LESSON_DAY, EVENT_DAY = date(2028, 3, 7), date(2028, 4, 11)  # open days (a Tuesday each)


def completed_lesson(platform: Platform, tag: str) -> None:
    backoffice = platform.token("backoffice")
    offer = post(
        f"{platform.gateway}/offerings",
        backoffice,
        {
            "id": f"kpi-{tag}",
            "kind": "inspiration_lesson",
            "title": f"Inspiratieles KPI {tag}",
            "audience": ["vmbo-kb"],
            "profile": "PIE",
            "session_minutes": 120,
            "capacity": 30,
        },
    )
    assert offer.status_code == 201, offer.text
    starts = datetime.combine(LESSON_DAY, time(10), AMSTERDAM).astimezone(UTC)
    session = post(
        f"{platform.gateway}/offerings/kpi-{tag}/sessions",
        backoffice,
        {
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "room": f"lokaal-{tag}",
            "instructor": f"instructeur-{tag}",
            "capacity": 30,
        },
    )
    assert session.status_code == 201, session.text
    booked = post(
        f"{platform.gateway}/bookings",
        platform.token("corlaer"),
        {
            "session_id": session.json()["id"],
            "group": {"name": "3K", "level": "vmbo-kb", "year": 3, "students": 24},
        },
    )
    assert booked.json()["status"] == "confirmed", booked.text
    with bookings_clock_at(platform, starts.isoformat()):
        done = post(
            f"{platform.gateway}/bookings/{booked.json()['id']}/complete",
            backoffice,
            {"students_reached": 21},
        )
    assert done.status_code == 200, done.text


def attended_event(platform: Platform) -> None:
    event, session = new_event(
        platform, datetime.combine(EVENT_DAY, time(9), AMSTERDAM), level="vmbo-bb"
    )
    registered = post(
        f"{platform.gateway}/registrations",
        platform.token("element"),
        {
            "session_id": session["id"],
            "profile": "BWI",
            "group": {"name": "2E", "level": "vmbo-bb", "year": 2, "students": 18},
        },
    )
    assert registered.status_code == 201, registered.text
    checked = post(
        f"{platform.gateway}/events/{event['id']}/check-in",
        platform.token("backoffice"),
        {"code": registered.json()["check_in_code"], "students_present": 17},
    )
    assert checked.status_code == 200, checked.text


@pytest.fixture(scope="module")
def measured(platform):
    tag = uuid.uuid4().hex[:8]
    completed_lesson(platform, tag)
    attended_event(platform)
    return platform


def kpis_of(platform: Platform, username: str, **params) -> httpx.Response:
    return httpx.get(
        f"{platform.gateway}/programme/kpis",
        headers=platform.token(username),
        params={"year": YEAR} | params,
    )


@pytest.mark.parametrize("username", ["programma", "admin", "backoffice"])
def test_the_kpis_count_the_known_year_for_each_role_that_may_read_them(measured, username):
    answer = kpis_of(measured, username)
    assert answer.status_code == 200, answer.text
    k = answer.json()
    assert k["missing"] == []
    assert k["totals"] == {"groups": 2, "sessions": 2, "students": 21 + 17}
    schools = {s["school_id"]: (s["students"], s["plan_2023_students"]) for s in k["per_school"]}
    assert schools["corlaer"] == (21, 100) and schools["element"] == (17, 74)
    assert {v["level"]: v["students"] for v in k["per_level"]} == {"vmbo-bb": 17, "vmbo-kb": 21}
    profiles = {p["profile"]: p["students"] for p in k["per_profile"]}
    assert (profiles["PIE"], profiles["BWI"], profiles["M&T"]) == (21, 17, 0)
    assert {a["activity"]: a["students"] for a in k["per_activity"]} == {
        "inspiration_lesson": 21,
        "event": 17,
    }
    assert {t["core_task"]: t["students"] for t in k["per_core_task"]} == {
        "A": 21,
        "B": 0,
        "C": 0,
        "D": 17,
        "E": 0,
    }
    tech = next(i for i in k["kpis"] if i["key"] == "technische-profielen")
    assert (tech["target"], tech["reached"]) == (613, 38)


@pytest.mark.parametrize("username", ["corlaer", "voorbeeld-bouw", "finance"])
def test_a_school_a_company_and_finance_are_refused(measured, username):
    answer = kpis_of(measured, username)
    assert answer.status_code == 403
    assert "mag dit niet" in answer.json()["detail"]


def test_csv_and_xlsx_through_the_gateway_hold_the_same_year(measured):
    as_csv = kpis_of(measured, "programma", format="csv")
    assert ["Per school", "corlaer", "1", "1", "21", "100"] in list(
        csv.reader(io.StringIO(as_csv.text))
    )
    as_xlsx = httpx.get(
        f"{measured.gateway}/programme/kpis",
        params={"year": YEAR},
        headers=measured.token("programma")
        | {"Accept": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
    )
    levels = load_workbook(io.BytesIO(as_xlsx.content))["Per niveau"]
    assert list(levels.iter_rows(min_row=2, values_only=True)) == [
        ("vmbo-bb", 1, 1, 17),
        ("vmbo-kb", 1, 1, 21),
    ]


@pytest.mark.parametrize("size", SIZES)
def test_the_programme_reads_reach_beside_the_plan_and_downloads_it(measured, visits, size):
    tab = visits(size)
    page = tab.login("programma")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmamonitoring")
    expect(page.locator(".tft-lead")).to_contain_text(f"kalenderjaar {date.today().year}")
    # htmx swaps the figures in place
    page.get_by_label("Jaar", exact=True).select_option(str(YEAR))
    expect(page.locator(".tft-lead")).to_contain_text(f"kalenderjaar {YEAR}")
    expect(page.locator(".tft-totals")).to_contain_text("38")
    assert page.url.endswith(f"/programma?jaar={YEAR}")
    tab.checked()
    goals = page.get_by_role("table", name="Doelen uit het plan")
    expect(goals.get_by_role("row").filter(has_text="613 vmbo leerlingen")).to_contain_text("38")
    per_school = page.get_by_role("table", name="Leerlingen bereikt per school")
    expect(per_school.get_by_role("row").filter(has_text="Corlaer College")).to_contain_text("21")
    expect(per_school.get_by_role("row").filter(has_text="Corlaer College")).to_contain_text("100")
    expect(page.locator("svg.tft-chart")).to_have_count(5)
    page.screenshot(path=SCREENSHOTS / f"programma-monitoring-{size}.png", full_page=True)
    with page.expect_download() as csv_download:
        page.get_by_role("link", name=f"Download {YEAR} als CSV").click()
    lines = list(csv.reader(io.StringIO(csv_download.value.path().read_text())))
    assert ["Per profiel", "PIE", "1", "1", "21", "198"] in lines
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name=f"Download {YEAR} als Excel (XLSX)").click()
    book = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()))
    assert [r[0] for r in book["Per activiteit"].iter_rows(min_row=2, values_only=True)] == [
        "event",
        "inspiration_lesson",
    ]


def test_a_school_gets_no_programme_page(platform, visits):
    tab = visits("phone")
    tab.login("corlaer")
    answer = tab.page.goto(f"{platform.web}/programma?jaar={YEAR}")
    assert answer is not None and answer.status == 403
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    # The browser reports the refusal itself on its console: the one error expected here.
    assert [e for e in tab.errors if "403" not in e] == []
    tab.errors.clear()
    tab.checked()
