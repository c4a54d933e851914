"""The events registration routes: who may call them, and what reaches the events service."""

from services.gateway.settings import GatewaySettings
from services.gateway.tests.conftest import login, running

SESSION = "0b6c3a57-9d7e-4f0a-8c2b-5e4d3c2b1a09"
GROUP = {"name": "2A", "level": "vmbo-kb", "year": 2, "students": 24}


async def test_a_school_registers_and_accepts_through_the_events_service(echo, calls):
    async with running(echo) as client:
        auth = await login(client, "corlaer")
        registered = await client.post(
            "/api/v1/registrations", headers=auth, json={"session_id": SESSION, "group": GROUP}
        )
        accepted = await client.post(f"/api/v1/registrations/{SESSION}/accept", headers=auth)
    # The echo upstream answers 200 and the gateway passes the upstream's status on.
    assert (registered.status_code, accepted.status_code) == (200, 200)
    assert [(c.method, c.url.path) for c in calls] == [
        ("POST", "/registrations"),
        ("POST", f"/registrations/{SESSION}/accept"),
    ]
    events = GatewaySettings.model_fields["events_url"].default
    assert all(str(c.url).startswith(events) for c in calls)


async def test_only_the_backoffice_checks_in_and_the_code_is_validated(echo, calls):
    body = {"code": "A" * 43, "students_present": 20}
    async with running(echo) as client:
        school = await client.post(
            "/api/v1/events/girls-day-2027-04-08/check-in",
            headers=await login(client, "corlaer"),
            json=body,
        )
        backoffice = await login(client, "backoffice")
        bad = await client.post(
            "/api/v1/events/girls-day-2027-04-08/check-in",
            headers=backoffice,
            json=body | {"code": "kort"},
        )
        good = await client.post(
            "/api/v1/events/girls-day-2027-04-08/check-in", headers=backoffice, json=body
        )
    assert (school.status_code, bad.status_code, good.status_code) == (403, 422, 200)
    assert [c.url.path for c in calls] == ["/events/girls-day-2027-04-08/check-in"]
