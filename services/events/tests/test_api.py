"""The events service's own HTTP API (what the gateway forwards to) on a migrated SQLite
store: the new reads and writes answer in the shapes the gateway's clients get."""

from datetime import UTC, datetime

import pytest

from services.events import api
from services.events.tests.scenario import schedule_meeting
from shared.tests.callers import as_caller


def _caller(role: str, organisation: str, actor: str | None = None) -> dict[str, str]:
    return as_caller("events", role, organisation, actor)


@pytest.fixture
async def client(rt, api_client):
    return await api_client("events", api.routes, rt)


async def test_a_person_registers_for_the_meeting_and_the_event_counts_them(rt, client):
    # The API runs on the real clock: a meeting a week from today.
    meeting = await schedule_meeting(rt, capacity=150, now=datetime.now(UTC))
    anna = _caller("company", "voorbeeld-bouw", "anna")
    answer = await client.post(
        f"/events/{meeting}/attendees",
        headers=anna,
        json={"name": "Anna de Vries", "email": "Anna@Bouw.nl"},
    )
    event = (await client.get(f"/events/{meeting}", headers=anna)).json()
    assert answer.status_code == 201, answer.text
    assert (answer.json()["email"], event["persons_registered"]) == ("anna@bouw.nl", 1)
    cancelled = await client.post(f"/attendees/{answer.json()['id']}/cancel", headers=anna)
    assert cancelled.json()["status"] == "cancelled"


async def test_a_bad_cost_is_a_problem_and_an_unknown_session_a_404(client):
    backoffice = _caller("backoffice", "backoffice")
    cost = {
        "description": "Bus",
        "amount_cents": 0,
        "supplier": "BV",
        "invoice_reference": "F1",
        "incurred_on": "2027-01-01",
    }
    bad = await client.post("/events/girls-day/costs", headers=backoffice, json=cost)
    unknown = await client.post(
        "/sessions/0b6c3a57-9d7e-4f0a-8c2b-5e4d3c2b1a09/held", headers=backoffice, json={}
    )
    assert (bad.status_code, unknown.status_code) == (422, 404)
    assert unknown.headers["content-type"].startswith("application/problem+json")
