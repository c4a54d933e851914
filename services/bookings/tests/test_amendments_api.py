"""The backoffice's changes to offers and sessions through the service's HTTP API: bad input
is a problem naming its field, and only the backoffice changes anything."""

import pytest

from services.bookings import api
from services.bookings.tests.scenario import plan_session, two_hours_on_an_open_day
from shared.tests.callers import as_caller

BACKOFFICE = as_caller("bookings", "backoffice", "backoffice", "planner")
SCHOOL = as_caller("bookings", "school", "corlaer")


@pytest.fixture
async def client(rt, api_client):
    return await api_client("bookings", api.routes, rt)


async def offering_of(client, session_id) -> str:
    for offering in (await client.get("/offerings", headers=SCHOOL)).json():
        sessions = (
            await client.get(f"/offerings/{offering['id']}/sessions", headers=SCHOOL)
        ).json()
        if any(s["id"] == str(session_id) for s in sessions):
            return offering["id"]
    raise AssertionError("no offering plans the session")


async def test_an_offer_is_edited_then_withdrawn(rt, client):
    offering_id = await offering_of(client, await plan_session(rt, capacity=30))

    nothing = await client.patch(f"/offerings/{offering_id}", headers=BACKOFFICE, json={})
    assert nothing.status_code == 422
    assert "noem minstens één veld om te wijzigen" in nothing.json()["errors"][0]["message"]
    edited = await client.patch(
        f"/offerings/{offering_id}",
        headers=BACKOFFICE,
        json={"title": "Robotica en AI", "capacity": None},
    )
    assert edited.status_code == 200
    assert (edited.json()["title"], edited.json()["capacity"]) == ("Robotica en AI", 30)
    assert (
        await client.post(f"/offerings/{offering_id}/withdraw", headers=SCHOOL)
    ).status_code == 403
    withdrawn = await client.post(f"/offerings/{offering_id}/withdraw", headers=BACKOFFICE)
    assert withdrawn.json()["withdrawn"] is True


async def test_a_cancellation_needs_its_reason_and_a_cancelled_session_leaves_the_list(rt, client):
    session_id = await plan_session(rt, capacity=30)
    offering_id = await offering_of(client, session_id)

    no_reason = await client.post(
        f"/sessions/{session_id}/cancel", headers=BACKOFFICE, json={"reason": ""}
    )
    assert no_reason.status_code == 422
    assert [e["field"] for e in no_reason.json()["errors"]] == ["reason"]
    cancelled = await client.post(
        f"/sessions/{session_id}/cancel", headers=BACKOFFICE, json={"reason": "De docent is ziek"}
    )
    assert cancelled.status_code == 200 and cancelled.json()[0]["id"] == str(session_id)
    assert (await client.get(f"/offerings/{offering_id}/sessions", headers=SCHOOL)).json() == []


async def test_a_move_onto_a_taken_room_is_a_conflict_naming_it(rt, client):
    session_id = await plan_session(rt, capacity=30)
    other_id = await plan_session(rt, capacity=30)
    other = (
        await client.get(
            f"/offerings/{await offering_of(client, other_id)}/sessions", headers=SCHOOL
        )
    ).json()[0]
    starts, ends = two_hours_on_an_open_day()

    clash = await client.post(
        f"/sessions/{session_id}/move",
        headers=BACKOFFICE,
        json={"starts_at": starts.isoformat(), "ends_at": ends.isoformat(), "room": other["room"]},
    )

    assert clash.status_code == 409
    assert clash.json()["detail"].startswith(f"lokaal {other['room']} is op dat moment al")
    assert clash.json()["conflict"]["session_id"] == str(other_id)
