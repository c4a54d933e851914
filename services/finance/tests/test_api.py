"""The internal API as the gateway calls it: the caller in a token for the service."""

from datetime import UTC, datetime

import pytest

from services.finance import demo, handlers
from services.finance.store import BudgetLine
from services.finance.tests.test_handlers import completed, count, envelope_of
from shared import seed
from shared.seed import finance as plan
from shared.tests.callers import as_caller


def as_role(role: str, organisation: str = "") -> dict[str, str]:
    return as_caller("finance", role, organisation, "test")


@pytest.fixture
async def drafted(rt):
    event = completed(starts_at=datetime(2026, 11, 5, 9, 0, tzinfo=UTC))
    envelope = envelope_of(event)
    async with rt.db.transaction() as tx:
        await handlers.booking_completed(rt)(tx, event, envelope)
    return event, envelope


async def test_a_school_reads_its_own_lines(client, drafted):
    event, envelope = drafted
    response = await client.get(
        "/declaration-lines",
        params={"school_id": "corlaer", "quarter": "2026-Q4"},
        headers=as_role("school", "corlaer"),
    )
    assert response.status_code == 200
    [line] = response.json()
    assert line["school_id"] == "corlaer" and line["quarter"] == "2026-Q4"
    assert line["amount_cents"] == 15000 and line["status"] == "draft"
    assert line["source_event_id"] == envelope.id
    assert line["booking_id"] == str(event.booking_id)


async def test_a_school_may_not_read_another_schools_lines(client, drafted):
    response = await client.get(
        "/declaration-lines",
        params={"school_id": "corlaer", "quarter": "2026-Q4"},
        headers=as_role("school", "element"),
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("role", ["finance", "backoffice"])
async def test_finance_and_backoffice_read_any_school(client, drafted, role):
    response = await client.get(
        "/declaration-lines",
        params={"school_id": "corlaer", "quarter": "2026-Q4"},
        headers=as_role(role),
    )
    assert response.status_code == 200 and len(response.json()) == 1


async def test_another_quarter_has_no_lines(client, drafted):
    response = await client.get(
        "/declaration-lines",
        params={"school_id": "corlaer", "quarter": "2027-Q1"},
        headers=as_role("finance"),
    )
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("quarter", ["2026-Q5", "2026-4", "Q4-2026"])
async def test_a_malformed_quarter_is_refused(client, quarter):
    response = await client.get(
        "/declaration-lines",
        params={"school_id": "corlaer", "quarter": quarter},
        headers=as_role("finance"),
    )
    assert response.status_code == 422


async def test_no_identity_no_answer(client):
    response = await client.get(
        "/declaration-lines", params={"school_id": "corlaer", "quarter": "2026-Q4"}
    )
    assert response.status_code == 401


async def test_budget_per_core_task_from_the_demo_data(client, rt):
    await demo.load(rt)
    await demo.load(rt)  # loading twice changes nothing
    assert await count(rt, BudgetLine) == len(seed.BUDGET_LINES)

    response = await client.get("/budget", params={"year": 2026}, headers=as_role("finance"))
    assert response.status_code == 200
    budget = response.json()
    assert [b["core_task"] for b in budget] == ["A", "B", "C", "D", "E"]
    assert {b["amount_cents"] for b in budget if b["core_task"] == "A"} == {
        seed.budget_cents("A", 2026)
    }


async def test_a_school_does_not_read_the_budget(client):
    response = await client.get(
        "/budget", params={"year": 2026}, headers=as_role("school", "corlaer")
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("year", "quarters"),
    [
        (2025, ["2025-Q3", "2025-Q4"]),  # the plan starts with the school year 2025/26
        (2026, ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]),
        (2029, ["2029-Q1", "2029-Q2"]),  # and ends with 2028/29
    ],
)
async def test_the_plans_budget_covers_2025_to_2029_spread_per_quarter(client, rt, year, quarters):
    await demo.load(rt)
    response = await client.get("/budget", params={"year": year}, headers=as_role("programme"))
    assert response.status_code == 200
    for line in response.json():
        assert list(line["per_quarter"]) == quarters
        assert sum(line["per_quarter"].values()) == line["amount_cents"]
        assert set(line["per_quarter"].values()) == {
            plan.quarter_budget_cents(line["core_task"], quarters[0])
        }
    assert sum(line["amount_cents"] for line in response.json()) == (
        seed.TOTAL_BUDGET_PER_YEAR_CENTS * len(quarters) // 4
    )


async def test_the_plans_four_years_add_up_to_its_total(client, rt):
    await demo.load(rt)
    total = 0
    for year in plan.BUDGET_YEARS:
        response = await client.get("/budget", params={"year": year}, headers=as_role("finance"))
        total += sum(line["amount_cents"] for line in response.json())
    assert total == plan.TOTAL_BUDGET_CENTS == 4 * seed.TOTAL_BUDGET_PER_YEAR_CENTS
