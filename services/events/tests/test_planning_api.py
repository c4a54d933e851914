"""The backoffice plans events and sessions, and reads who comes, through the events
service's HTTP API on a real, migrated PostgreSQL store."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.events import api
from services.events.tests.scenario import migrated_runtime, staged
from shared.tests.callers import as_caller, service_app

pytestmark = pytest.mark.integration

# The API runs on the real clock: an event a month from now, open for registration now.
NOW = datetime.now(UTC).replace(microsecond=0)
STARTS = NOW + timedelta(days=30)
BACKOFFICE = as_caller("events", "backoffice", "backoffice")


def caller(role: str, organisation: str) -> dict[str, str]:
    return as_caller("events", role, organisation)


@pytest.fixture
async def rt(fresh_database):
    runtime = await migrated_runtime(fresh_database("tft_events_planning"))
    yield runtime
    await runtime.db.dispose()


@pytest.fixture
async def client(rt):
    app = service_app("events", api.routes, rt)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://events"
    ) as http:
        yield http


def event_body(title: str = "Girls Day", **more) -> dict:
    return {
        "title": title,
        "description": "Meiden ontdekken techniek.",
        "starts_at": STARTS.isoformat(),
        "ends_at": (STARTS + timedelta(hours=6)).isoformat(),
        "audience": ["vmbo-kb", "vmbo-gl"],
        "capacity": 120,
        "location": "Hotspot T is for Tech",
    } | more


def session_body(host: str = "voorbeeld-bouw", capacity: int = 30, **more) -> dict:
    return {
        "title": f"Workshop bij {host}",
        "host_kind": "company",
        "host": host,
        "host_name": host.replace("-", " ").title(),
        "capacity": capacity,
        "audience": ["vmbo-kb"],
        "opens_at": (NOW - timedelta(days=1)).isoformat(),
        "closes_at": (STARTS - timedelta(days=7)).isoformat(),
        "starts_at": (STARTS + timedelta(hours=1)).isoformat(),
        "ends_at": (STARTS + timedelta(hours=3)).isoformat(),
        "location": "Werkplaats",
    } | more


async def plan(client, **session) -> tuple[str, str]:
    event = await client.post("/events", json=event_body(), headers=BACKOFFICE)
    assert event.status_code == 201, event.text
    added = await client.post(
        f"/events/{event.json()['id']}/sessions", json=session_body(**session), headers=BACKOFFICE
    )
    assert added.status_code == 201, added.text
    return event.json()["id"], added.json()["id"]


async def register(client, school: str, session_id: str, students: int, name: str = "3B"):
    answer = await client.post(
        "/registrations",
        headers=caller("school", school),
        json={
            "session_id": session_id,
            "group": {"name": name, "level": "vmbo-kb", "year": 3, "students": students},
        },
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_the_backoffice_plans_an_event_and_a_session_and_the_platform_hears_of_both(
    rt, client
):
    event_id, session_id = await plan(client)
    sessions = (await client.get(f"/events/{event_id}/sessions", headers=BACKOFFICE)).json()
    assert event_id == f"girls-day-{STARTS.date().isoformat()}" or event_id.startswith("girls-day-")
    assert [(s["id"], s["location"], s["seats_left"]) for s in sessions] == [
        (session_id, "Werkplaats", 30)
    ]
    [scheduled] = await staged(rt, "scheduled", "event")
    [planned] = await staged(rt, "planned", "session")
    assert (scheduled["event_id"], planned["session_id"], planned["location"]) == (
        event_id,
        session_id,
        "Werkplaats",
    )


async def test_a_school_may_not_plan_and_a_bad_plan_is_a_dutch_problem(client):
    event_id, _ = await plan(client)
    by_school = await client.post(
        "/events", json=event_body("Techevent"), headers=caller("school", "corlaer")
    )
    again = await client.post("/events", json=event_body(), headers=BACKOFFICE)
    outside = await client.post(
        f"/events/{event_id}/sessions",
        headers=BACKOFFICE,
        json=session_body(ends_at=(STARTS + timedelta(days=1)).isoformat()),
    )
    unknown = await client.post(
        "/events/geen-evenement/sessions", json=session_body(), headers=BACKOFFICE
    )
    assert [a.status_code for a in (by_school, again, outside, unknown)] == [403, 409, 422, 404]
    assert outside.headers["content-type"].startswith("application/problem+json")
    assert outside.json()["detail"].startswith("De sessie (")
    assert again.json()["detail"].startswith(f"Er is al een evenement {event_id}")


async def test_capacity_never_drops_below_the_seats_taken_and_a_larger_one_offers_seats(rt, client):
    _, session_id = await plan(client, capacity=30)
    await register(client, "corlaer", session_id, 20)
    waiting = await register(client, "element", session_id, 15, "4K")
    assert waiting["status"] == "waitlisted"

    below = await client.patch(f"/sessions/{session_id}", json={"capacity": 19}, headers=BACKOFFICE)
    raised = await client.patch(
        f"/sessions/{session_id}", json={"capacity": 40}, headers=BACKOFFICE
    )
    offered = await client.get(
        f"/registrations/{waiting['id']}", headers=caller("school", "element")
    )

    assert (below.status_code, raised.status_code) == (409, 200)
    assert below.json()["detail"] == (
        "De capaciteit (19) kan niet lager zijn dan de plaatsen die al bezet zijn (20)."
    )
    assert (raised.json()["seats_left"], offered.json()["status"]) == (5, "offered")
    [changed] = await staged(rt, "changed", "session")
    assert (changed["capacity"], changed["changed"]) == (40, ["capacity"])


async def test_an_event_keeps_its_sessions_inside_it(rt, client):
    event_id, _ = await plan(client)
    shorter = await client.patch(
        f"/events/{event_id}",
        headers=BACKOFFICE,
        json={"ends_at": (STARTS + timedelta(hours=2)).isoformat()},
    )
    larger = await client.patch(f"/events/{event_id}", json={"capacity": 150}, headers=BACKOFFICE)
    assert (shorter.status_code, larger.status_code) == (422, 200)
    assert larger.json()["capacity"] == 150
    [changed] = await staged(rt, "changed", "event")
    assert changed["changed"] == ["capacity"]


async def test_who_comes_per_session_and_a_company_sees_only_the_sessions_it_hosts(client):
    event_id, bouw = await plan(client, capacity=20)
    metaal = (
        await client.post(
            f"/events/{event_id}/sessions",
            headers=BACKOFFICE,
            json=session_body("voorbeeld-metaal"),
        )
    ).json()["id"]
    await register(client, "corlaer", bouw, 20)
    await register(client, "nxt", bouw, 10, "3A")
    await register(client, "element", metaal, 12, "4K")

    everyone = await client.get(f"/events/{event_id}/registrations", headers=BACKOFFICE)
    company = await client.get(
        f"/events/{event_id}/registrations", headers=caller("company", "voorbeeld-bouw")
    )
    school = await client.get(
        f"/events/{event_id}/registrations", headers=caller("school", "corlaer")
    )

    assert (everyone.status_code, company.status_code, school.status_code) == (200, 200, 403)
    seen = {
        s["id"]: [
            (
                r["school_id"],
                r["group"]["students"],
                r["status"],
                r["waitlist_position"],
                r["checked_in"],
            )
            for r in s["registrations"]
        ]
        for s in everyone.json()["sessions"]
    }
    assert seen == {
        bouw: [("corlaer", 20, "confirmed", None, False), ("nxt", 10, "waitlisted", 1, False)],
        metaal: [("element", 12, "confirmed", None, False)],
    }
    assert [s["id"] for s in company.json()["sessions"]] == [bouw]
    assert "check_in_code" not in str(company.json())


async def test_a_school_reads_its_registration_with_what_it_comes_to(client):
    event_id, session_id = await plan(client)
    registered = await register(client, "corlaer", session_id, 20)
    [listed] = (await client.get("/registrations", headers=caller("school", "corlaer"))).json()
    for read in (registered, listed):
        assert (read["event_title"], read["session_title"], read["location"]) == (
            "Girls Day",
            "Workshop bij voorbeeld-bouw",
            "Werkplaats",
        )
        assert datetime.fromisoformat(read["starts_at"]) == STARTS + timedelta(hours=1)
        assert read["status"] == "confirmed"
