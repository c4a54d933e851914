"""The gateway's events routes (services/gateway/routes/events.py): who may call them and
what reaches the events service. The gateway runs in-process against a recording upstream."""

from services.gateway.tests.conftest import login, running, sent_caller
from shared.http import Caller

ATTENDEE = "0b6c3a57-9d7e-4f0a-8c2b-5e4d3c2b1a09"
MEETING = "jaarvergadering-2027-06-10"


async def test_any_signed_in_person_registers_for_the_meeting_with_a_valid_address(echo, calls):
    body = {"name": "Anna de Vries", "email": "anna@voorbeeld-bouw.nl"}
    async with running(echo) as client:
        answers = [
            await client.post(
                f"/api/v1/events/{MEETING}/attendees", json=body, headers=await login(client, user)
            )
            for user in ("voorbeeld-bouw", "programma", "corlaer", "backoffice")
        ]
        bad = await client.post(
            f"/api/v1/events/{MEETING}/attendees",
            json=body | {"email": "anna"},
            headers=await login(client, "voorbeeld-bouw"),
        )
        anonymous = await client.post(f"/api/v1/events/{MEETING}/attendees", json=body)
    assert [a.status_code for a in answers] == [200] * 4
    assert (bad.status_code, anonymous.status_code) == (422, 401)
    assert {sent_caller(c).role for c in calls} == {"company", "programme", "school", "backoffice"}


async def test_own_registrations_are_listed_and_cancelled_through_the_events_service(echo, calls):
    async with running(echo) as client:
        auth = await login(client, "voorbeeld-bouw")
        await client.get("/api/v1/attendees", params={"event_id": MEETING}, headers=auth)
        await client.post(f"/api/v1/attendees/{ATTENDEE}/cancel", headers=auth)
    assert [(c.method, c.url.path, c.url.params.get("event_id")) for c in calls] == [
        ("GET", "/attendees", MEETING),
        ("POST", f"/attendees/{ATTENDEE}/cancel", None),
    ]


async def test_reach_is_for_backoffice_programme_and_a_school_for_its_own(echo, calls):
    async with running(echo) as client:
        figures = {
            user: await client.get(
                "/api/v1/event-reach",
                params={"school_id": "element"},
                headers=await login(client, user),
            )
            for user in ("backoffice", "programma", "element", "corlaer", "voorbeeld-bouw")
        }
    assert {user: a.status_code for user, a in figures.items()} == {
        "backoffice": 200,
        "programma": 200,
        "element": 200,
        "corlaer": 403,
        "voorbeeld-bouw": 403,
    }
    assert {c.url.params["school_id"] for c in calls} == {"element"}


async def test_reach_of_a_calendar_year_is_passed_on(echo, calls):
    async with running(echo) as client:
        auth = await login(client, "programma")
        of_year = await client.get("/api/v1/event-reach", params={"year": 2027}, headers=auth)
        too_early = await client.get("/api/v1/event-reach", params={"year": 1999}, headers=auth)
    assert (of_year.status_code, too_early.status_code) == (200, 422)
    assert [c.url.params.get("year") for c in calls] == ["2027"]


async def test_the_backoffice_records_hosting_and_costs_and_finance_reads_costs(echo, calls):
    cost = {
        "description": "Busvervoer",
        "amount_cents": 45000,
        "supplier": "Touringcar BV",
        "invoice_reference": "F2027-0113",
        "incurred_on": "2027-05-27",
    }
    async with running(echo) as client:
        backoffice, school = await login(client, "backoffice"), await login(client, "corlaer")
        answers = [
            await client.post(
                f"/api/v1/event-sessions/{ATTENDEE}/held", json={"minutes": 90}, headers=backoffice
            ),
            await client.post(f"/api/v1/event-sessions/{ATTENDEE}/held", json={}, headers=school),
            await client.post(
                "/api/v1/events/techevent-2027-05-27/costs", json=cost, headers=backoffice
            ),
            await client.post(
                "/api/v1/events/techevent-2027-05-27/costs",
                json=cost | {"amount_cents": -1},
                headers=backoffice,
            ),
            await client.get(
                "/api/v1/events/techevent-2027-05-27/costs", headers=await login(client, "finance")
            ),
        ]
    assert [a.status_code for a in answers] == [200, 403, 200, 422, 200]
    assert [(c.method, c.url.path) for c in calls] == [
        ("POST", f"/sessions/{ATTENDEE}/held"),
        ("POST", "/events/techevent-2027-05-27/costs"),
        ("GET", "/events/techevent-2027-05-27/costs"),
    ]


async def test_a_company_is_shown_only_its_own_hosted_sessions(echo, calls):
    async with running(echo) as client:
        own = await client.get(
            "/api/v1/hosted-sessions",
            params={"host": "voorbeeld-ict"},
            headers=await login(client, "voorbeeld-bouw"),
        )
        chosen = await client.get(
            "/api/v1/hosted-sessions",
            params={"host": "voorbeeld-ict"},
            headers=await login(client, "backoffice"),
        )
        school = await client.get("/api/v1/hosted-sessions", headers=await login(client, "corlaer"))
    assert (own.status_code, chosen.status_code, school.status_code) == (200, 200, 403)
    assert [c.url.params["host"] for c in calls] == ["voorbeeld-bouw", "voorbeeld-ict"]


async def test_only_the_backoffice_plans_events_and_sessions_through_the_gateway(echo, calls):
    event = {
        "title": "Girls Day",
        "starts_at": "2028-04-13T09:00:00+02:00",
        "ends_at": "2028-04-13T15:00:00+02:00",
        "audience": ["vmbo-kb"],
        "capacity": 120,
        "location": "Hotspot",
    }
    async with running(echo) as client:
        school, company = await login(client, "corlaer"), await login(client, "voorbeeld-bouw")
        backoffice = await login(client, "backoffice")
        refused = [
            await client.post("/api/v1/events", json=event, headers=who)
            for who in (school, company)
        ]
        refused.append(
            await client.patch(
                f"/api/v1/event-sessions/{ATTENDEE}", json={"capacity": 40}, headers=school
            )
        )
        naive = await client.post(
            "/api/v1/events", headers=backoffice, json=event | {"starts_at": "2028-04-13T09:00:00"}
        )
        made = await client.post("/api/v1/events", json=event, headers=backoffice)
        moved = await client.patch(
            f"/api/v1/event-sessions/{ATTENDEE}", json={"capacity": 40}, headers=backoffice
        )
    assert [a.status_code for a in refused] == [403, 403, 403]
    assert (naive.status_code, made.status_code, moved.status_code) == (422, 200, 200)
    assert [(c.method, c.url.path) for c in calls] == [
        ("POST", "/events"),
        ("PATCH", f"/sessions/{ATTENDEE}"),
    ]


async def test_who_comes_is_asked_as_the_company_itself_and_never_by_a_school(echo, calls):
    async with running(echo) as client:
        company = await client.get(
            f"/api/v1/events/{MEETING}/registrations", headers=await login(client, "voorbeeld-bouw")
        )
        school = await client.get(
            f"/api/v1/events/{MEETING}/registrations", headers=await login(client, "corlaer")
        )
    assert (company.status_code, school.status_code) == (200, 403)
    [asked] = calls
    assert (asked.url.path, sent_caller(asked)) == (
        f"/events/{MEETING}/registrations",
        Caller("voorbeeld-bouw", "company", "voorbeeld-bouw"),
    )
