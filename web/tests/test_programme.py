"""Programme monitoring's view: the KPIs as charts with the plan's figures as targets and the
organisations' names, and the years to choose."""

import httpx
import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from web.gateway import Gateway
from web.programme import monitoring, years
from web.settings import WebSettings
from web.tests.conftest import fake_token
from web.tests.test_security import login

KPIS = {
    "per_school": [
        {"school_id": "corlaer", "students": 21, "plan_2023_students": 100},
        {"school_id": "po-demo-1", "students": 27, "plan_2023_students": None},
    ],
    "per_level": [{"level": "po", "students": 27}, {"level": "vmbo-kb", "students": 21}],
    "per_profile": [
        {"profile": "PIE", "students": 21, "plan_2023_students": 198},
        {"profile": None, "students": 27, "plan_2023_students": None},
    ],
    "per_activity": [
        {"activity": "event", "students": 5},
        {"activity": "masterclass", "students": 21},
    ],
    "per_core_task": [{"core_task": "A", "title": "Technieklessen", "students": 21}],
}


def test_each_chart_shows_the_reach_with_the_plans_figure_as_its_target():
    charts = {c.title: c for c in monitoring(KPIS, {"corlaer": "Corlaer College"}).charts}
    schools = charts["Leerlingen bereikt per school"].bars
    assert [(b.label, b.value, b.target) for b in schools] == [
        ("Corlaer College", 21, 100),
        ("po-demo-1", 27, None),
    ]
    profiles = charts["Leerlingen bereikt per profiel"].bars
    assert [(b.label, b.target) for b in profiles] == [("PIE", 198), ("Zonder profiel", None)]
    assert [b.label for b in charts["Leerlingen bereikt per activiteit"].bars] == [
        "Evenement",
        "Masterklas",
    ]
    assert [b.label for b in charts["Leerlingen bereikt per kerntaak"].bars] == ["Kerntaak A"]


def test_the_years_are_the_plans_and_this_one_newest_first():
    assert years(2026) == [2029, 2028, 2027, 2026, 2025]
    assert years(2031)[:2] == [2031, 2029]


@pytest.fixture
def client_for_programme(sessions_url) -> TestClient:
    """Signed in as programme management; a year in which one school was reached."""
    year = KPIS | {
        "per_level": [],
        "missing": [],
        "kpis": [],
        "totals": {"groups": 1, "sessions": 4, "students": 21},
        "per_core_task": [
            {
                "core_task": "A",
                "title": "Technieklessen",
                "students": 21,
                "groups": 1,
                "sessions": 4,
                "plan_activities": ["Opleiden"],
                "plan_period": "Continue 2025 tot 2029",
            }
        ],
    }
    answers = {
        "/api/v1/programme/kpis": year,
        "/api/v1/organisations": [],
        "/api/v1/auth/token": {"access_token": fake_token("programme", "tft"), "expires_in": 3600},
    }
    gateway = Gateway(
        "http://gateway",
        5,
        httpx.MockTransport(
            lambda request: (
                httpx.Response(200, json=answers[request.url.path])
                if request.url.path in answers
                else httpx.Response(404, json={"status": 404})
            )
        ),
    )
    client = TestClient(
        create_app(WebSettings(web_secure_cookies=False, database_url=sessions_url), gateway),
        base_url="http://web",
        follow_redirects=False,
    )
    login(client, "programma")
    return client


def test_a_chart_without_bars_is_left_out_of_the_page(client_for_programme):
    page = client_for_programme.get("/programma?jaar=2026")
    assert page.status_code == 200
    assert "Leerlingen bereikt per school" in page.text
    assert "Leerlingen bereikt per niveau" not in page.text  # no level reached this year
