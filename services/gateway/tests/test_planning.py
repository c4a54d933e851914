"""Mijn planning composed by the gateway from fake bookings, loans and events: one list by
date within the asked days, asked as the school itself, and a service that fails named in
`missing` while the rest still answers."""

import httpx

from services.gateway.tests.conftest import login, running, sent_caller

BOOKING = {
    "id": "00000000-0000-4000-8000-000000000001",
    "status": "confirmed",
    "offering_title": "Inspiratieles Robotica",
    "location": "Hotspot Amersfoort",
    "room": "Lab 1",
    "starts_at": "2026-10-06T07:00:00Z",
    "ends_at": "2026-10-06T09:00:00Z",
}
LATE_BOOKING = BOOKING | {
    "id": "00000000-0000-4000-8000-000000000002",
    "starts_at": "2026-12-01T07:00:00Z",
    "ends_at": "2026-12-01T09:00:00Z",
}
RESERVATION = {
    "id": "00000000-0000-4000-8000-000000000003",
    "item_id": "drone-1",
    "item_name": "Drone",
    "status": "reserved",
    "desk_status": "reserved",
    "starts_on": "2026-10-05",
    "ends_on": "2026-10-07",
}
REGISTRATION = {
    "id": "00000000-0000-4000-8000-000000000004",
    "status": "confirmed",
    "event_title": "Girls Day",
    "session_title": None,
    "location": "Hotspot",
    "starts_at": "2026-10-20T08:00:00Z",
    "ends_at": "2026-10-20T12:00:00Z",
}
SPAN = {"from": "2026-10-01", "to": "2026-10-31"}


def services(events_up: bool, seen: list[httpx.Request]):
    answers = {
        "/bookings": [BOOKING, LATE_BOOKING],
        "/reservations": [RESERVATION],
        "/registrations": [REGISTRATION],
    }

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/registrations" and not events_up:
            return httpx.Response(500, json={"title": "boom", "status": 500})
        return httpx.Response(200, json=answers[request.url.path])

    return handle


async def test_a_schools_planning_is_one_list_by_date_within_the_days_asked():
    seen: list[httpx.Request] = []
    async with running(services(True, seen)) as client:
        answer = await client.get(
            "/api/v1/planning", params=SPAN, headers=await login(client, "corlaer")
        )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["missing"] == []
    assert [(i["type"], i["title"]) for i in body["items"]] == [
        ("reservation", "Drone"),
        ("booking", "Inspiratieles Robotica"),
        ("registration", "Girls Day"),
    ]
    assert body["items"][1]["place"] == "Hotspot Amersfoort, Lab 1"
    assert {sent_caller(r).organisation for r in seen} == {"corlaer"}
    assert all(r.url.params.get("school_id") in (None, "corlaer") for r in seen)


async def test_a_service_that_fails_is_named_and_the_rest_still_answers():
    async with running(services(False, [])) as client:
        answer = await client.get(
            "/api/v1/planning", params=SPAN, headers=await login(client, "corlaer")
        )
    assert answer.status_code == 200
    assert answer.json()["missing"] == ["events"]
    assert [i["type"] for i in answer.json()["items"]] == ["reservation", "booking"]


async def test_more_than_93_days_is_refused_in_dutch():
    async with running(services(True, [])) as client:
        answer = await client.get(
            "/api/v1/planning",
            params={"from": "2026-09-01", "to": "2026-12-31"},
            headers=await login(client, "corlaer"),
        )
    assert answer.status_code == 422 and "93 dagen" in answer.json()["detail"]
