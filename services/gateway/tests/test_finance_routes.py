"""The declaration workflow through the gateway: who may call which step, and what it sends."""

import json

import httpx
import pytest

from services.gateway.tests.conftest import login, running

DECLARATION = "0b7e4c1e-4d2a-4b7f-9a61-0a5e1c2d3e4f"
STEPS = f"/finance/declarations/{DECLARATION}"
MATERIAL = {
    "kind": "material",
    "core_task": "C",
    "description": "Filament",
    "amount_cents": 12_345,
    "supplier": "Printshop",
    "invoice_reference": "F-1",
}
CORRECTION = {
    "corrects_line_id": "5d0c7a52-9a3e-4f0e-8f7e-2b1d0c3e4a5b",
    "amount_cents": -250,
    "description": "Te veel uren",
}
PAYMENT = {"batch": "2027-01", "paid_on": "2027-01-15"}


async def test_each_step_reaches_finance_with_its_body(echo, calls):
    async with running(echo) as client:
        school, finance = await login(client, "corlaer"), await login(client, "finance")
        requests = [
            (school, "POST", "/finance/declarations", {"quarter": "2026-Q4"}),
            (school, "POST", f"{STEPS}/lines", MATERIAL),
            (school, "POST", f"{STEPS}/corrections", CORRECTION),
            (school, "POST", f"{STEPS}/submit", None),
            (finance, "POST", f"{STEPS}/reject", {"reason": "bon ontbreekt"}),
            (finance, "POST", f"{STEPS}/approve", None),
            (finance, "POST", f"{STEPS}/pay", PAYMENT),
            (school, "GET", f"{STEPS}/audit", None),
            (finance, "PUT", "/finance/rates/teacher", {"hourly_rate_cents": 5000}),
            (finance, "PUT", "/finance/budget/2026/A", {"amount_cents": 1, "hard_limit": True}),
        ]
        for auth, method, path, body in requests:
            answer = await client.request(method, "/api/v1" + path, json=body, headers=auth)
            assert answer.is_success, (path, answer.text)
    assert [(c.method, c.url.port, c.url.path) for c in calls] == [
        (method, 8104, path.removeprefix("/finance")) for _, method, path, _ in requests
    ]
    assert json.loads(calls[1].content) == MATERIAL | {"late_for_quarter": None}
    assert json.loads(calls[2].content) == CORRECTION
    assert json.loads(calls[6].content) == PAYMENT


async def test_a_school_lists_only_its_own_declarations(echo, calls):
    async with running(echo) as client:
        auth = await login(client, "trivium")
        own = await client.get("/api/v1/finance/declarations?quarter=2026-Q4", headers=auth)
        other = await client.get("/api/v1/finance/declarations?school_id=nxt", headers=auth)
    assert own.status_code == 200 and other.status_code == 403
    assert dict(calls[0].url.params) == {
        "school_id": "trivium",
        "quarter": "2026-Q4",
        "limit": "50",
        "offset": "0",
    }


@pytest.mark.parametrize(
    ("username", "method", "path", "body"),
    [
        ("corlaer", "POST", f"{STEPS}/approve", None),
        ("corlaer", "POST", f"{STEPS}/reject", {"reason": "eigen declaratie"}),
        ("corlaer", "POST", f"{STEPS}/pay", PAYMENT),
        ("corlaer", "PUT", "/finance/rates/teacher", {"hourly_rate_cents": 1}),
        ("corlaer", "PUT", "/finance/budget/2026/A", {"amount_cents": 1}),
        ("finance", "POST", f"{STEPS}/submit", None),
        ("finance", "POST", f"{STEPS}/lines", MATERIAL),
        ("finance", "POST", f"{STEPS}/corrections", CORRECTION),
        ("backoffice", "POST", f"{STEPS}/approve", None),
    ],
)
async def test_roles_are_checked_before_forwarding(echo, calls, username, method, path, body):
    async with running(echo) as client:
        answer = await client.request(
            method, "/api/v1" + path, json=body, headers=await login(client, username)
        )
    assert answer.status_code == 403 and calls == []


@pytest.mark.parametrize(
    "body",
    [
        MATERIAL | {"amount_cents": 0},
        MATERIAL | {"kind": "travel"},
        {"kind": "hours", "core_task": "F", "description": "Les", "role": "teacher", "minutes": 60},
    ],
)
async def test_bad_lines_stop_at_the_gateway(echo, calls, body):
    async with running(echo) as client:
        answer = await client.post(
            f"/api/v1{STEPS}/lines", json=body, headers=await login(client, "corlaer")
        )
    assert answer.status_code == 422 and calls == []


@pytest.mark.parametrize("username", ["finance", "backoffice", "programma"])
async def test_finance_backoffice_and_programme_read_reports(echo, calls, username):
    async with running(echo) as client:
        auth = await login(client, username)
        for path in (
            "quarter?quarter=2026-Q4",
            "budget?year=2026",
            "cofinancing?year=2026&on=2026-07-01",
            "dusi?year=2026&through=2026-Q2",
        ):
            answer = await client.get(f"/api/v1/finance/reports/{path}", headers=auth)
            assert answer.status_code == 200, answer.text
    assert [(c.url.path, dict(c.url.params)) for c in calls] == [
        ("/reports/quarter", {"quarter": "2026-Q4", "format": "json"}),
        ("/reports/budget", {"year": "2026", "format": "json"}),
        ("/reports/cofinancing", {"year": "2026", "on": "2026-07-01", "format": "json"}),
        ("/reports/dusi", {"year": "2026", "through": "2026-Q2", "format": "json"}),
    ]


@pytest.mark.parametrize("username", ["corlaer", "voorbeeld-bouw"])
async def test_schools_and_companies_read_no_reports(echo, calls, username):
    async with running(echo) as client:
        answer = await client.get(
            "/api/v1/finance/reports/budget?year=2026", headers=await login(client, username)
        )
    assert answer.status_code == 403 and calls == []


async def test_a_report_in_an_unknown_format_stops_at_the_gateway(echo, calls):
    async with running(echo) as client:
        answer = await client.get(
            "/api/v1/finance/reports/budget?year=2026&format=pdf",
            headers=await login(client, "finance"),
        )
    assert answer.status_code == 422 and calls == []


@pytest.mark.parametrize(
    "media_type",
    [
        "text/csv; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
)
async def test_a_report_download_reaches_the_client_as_finance_sent_it(media_type):
    disposition = 'attachment; filename="budget-2026.csv"'

    def download(request):
        return httpx.Response(
            200,
            content=b"core_task,budget_cents\nA,1\n",
            headers={"content-type": media_type, "content-disposition": disposition},
        )

    async with running(download) as client:
        answer = await client.get(
            "/api/v1/finance/reports/budget?year=2026&format=csv",
            headers=await login(client, "finance"),
        )
    assert answer.status_code == 200 and answer.content == b"core_task,budget_cents\nA,1\n"
    assert answer.headers["content-type"] == media_type
    assert answer.headers["content-disposition"] == disposition
