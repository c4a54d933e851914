"""Who may call which route: a table of route x role, checked against the gateway with a
fake upstream that answers every forwarded call with 200.

Every route under /api/v1 must have a row (a new route without one fails
`test_every_route_has_a_row`). A row names the roles that get through the gateway's guard;
the others get 403, a caller without a token 401 (unless the row is PUBLIC). Getting through
means the service is asked, as the caller: the services then check the object itself (their
own tests), so `OTHERS_IDS` checks that the gateway sends who really calls, never the owner
named in the path or query, and refuses where it checks the organisation itself.

To add a route: one line in MATRIX, e.g. `"POST /api/v1/things": {BACKOFFICE},`.
"""

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from services.gateway.auth import (
    ADMIN,
    BACKOFFICE,
    COMPANY,
    FINANCE,
    MUNICIPALITY,
    PROGRAMME,
    SCHOOL,
    TEACHER,
    Principal,
    TokenService,
)
from services.gateway.docs import example
from services.gateway.keys import SigningKey
from services.gateway.tests.conftest import running, sent_caller

KEY = SigningKey.generate()
KEY_FILE = Path(tempfile.mkdtemp(prefix="tft-matrix-")) / "key.pem"
KEY_FILE.write_bytes(KEY.pem())
TOKENS = TokenService(KEY, 3600)

# One caller per role (demo people): the school is corlaer, the company voorbeeld-bouw.
CALLERS = {
    BACKOFFICE: Principal("backoffice", BACKOFFICE, BACKOFFICE),
    SCHOOL: Principal("corlaer", SCHOOL, "corlaer"),
    FINANCE: Principal("finance", FINANCE, FINANCE),
    COMPANY: Principal("voorbeeld-bouw", COMPANY, "voorbeeld-bouw"),
    PROGRAMME: Principal("programma", PROGRAMME, "tft"),
    ADMIN: Principal("admin", ADMIN, "tft"),
    TEACHER: Principal("docent-corlaer", TEACHER, "corlaer"),
    MUNICIPALITY: Principal("gemeente-amersfoort", MUNICIPALITY, "gemeente-amersfoort"),
}
ANYONE = frozenset(CALLERS)
NO_LIMITS = {
    "rate_per_subject": 1e6,
    "burst_per_subject": 10**6,
    "rate_per_address": 1e6,
    "burst_per_address": 10**6,
}
PUBLIC = "public"  # no token needed at all

MATRIX: dict[str, Any] = {
    "DELETE /api/v1/calendar/closed-periods/{closure_id}": {BACKOFFICE},
    "DELETE /api/v1/calendar/quotas/{school_id}/{school_year}": {BACKOFFICE},
    "DELETE /api/v1/calendar/school-days/{school_id}/{day}": {BACKOFFICE},
    "GET /api/v1/asyncapi.json": PUBLIC,
    "GET /api/v1/attendees": ANYONE,
    "GET /api/v1/audit": {ADMIN},
    "GET /api/v1/auth/jwks.json": PUBLIC,
    "GET /api/v1/availability": ANYONE,
    "GET /api/v1/bookings": {BACKOFFICE, SCHOOL, TEACHER, COMPANY, PROGRAMME, ADMIN},
    "GET /api/v1/bookings/{booking_id}": ANYONE,
    "GET /api/v1/calendar/closed-periods": ANYONE,
    "GET /api/v1/calendar/quotas": ANYONE,
    "GET /api/v1/calendar/rules": ANYONE,
    "GET /api/v1/calendar/school-days/{school_id}/{day}": ANYONE,
    "GET /api/v1/calendar/quotas/{school_id}/{school_year}": ANYONE,
    "GET /api/v1/event-sessions/{session_id}": ANYONE,
    "GET /api/v1/finance/rates/{role}": ANYONE,
    "GET /api/v1/finance/budget/{year}/{core_task}": ANYONE,
    "GET /api/v1/calendar/school-days": ANYONE,
    "GET /api/v1/damage-reports": {BACKOFFICE},
    "GET /api/v1/equipment": ANYONE,
    "GET /api/v1/equipment/{item_id}": ANYONE,
    "GET /api/v1/equipment/{item_id}/availability": ANYONE,
    "GET /api/v1/event-reach": {BACKOFFICE, SCHOOL, PROGRAMME},
    "GET /api/v1/events": ANYONE,
    "GET /api/v1/events/{event_id}": ANYONE,
    "GET /api/v1/events/{event_id}/costs": {BACKOFFICE, FINANCE, PROGRAMME},
    "GET /api/v1/events/{event_id}/registrations": {BACKOFFICE, COMPANY, PROGRAMME},
    "GET /api/v1/events/{event_id}/sessions": ANYONE,
    "GET /api/v1/finance/budget": ANYONE,
    "GET /api/v1/finance/cofinancing": {BACKOFFICE, COMPANY, FINANCE, PROGRAMME},
    "GET /api/v1/finance/declaration-lines": ANYONE,
    "GET /api/v1/finance/declarations": ANYONE,
    "GET /api/v1/finance/declarations/{declaration_id}": ANYONE,
    "GET /api/v1/finance/declarations/{declaration_id}/audit": ANYONE,
    "GET /api/v1/finance/reports/budget": {BACKOFFICE, FINANCE, PROGRAMME},
    "GET /api/v1/finance/reports/cofinancing": {BACKOFFICE, FINANCE, PROGRAMME},
    "GET /api/v1/finance/reports/dusi": {BACKOFFICE, FINANCE, PROGRAMME},
    "GET /api/v1/finance/reports/quarter": {BACKOFFICE, FINANCE, PROGRAMME},
    "GET /api/v1/hosted-sessions": {BACKOFFICE, COMPANY, PROGRAMME},
    "GET /api/v1/loans/policy": ANYONE,
    "GET /api/v1/notifications": ANYONE,
    "GET /api/v1/announcements": {BACKOFFICE, PROGRAMME},
    "GET /api/v1/notifications/failed": {BACKOFFICE},
    "GET /api/v1/notifications/preferences": ANYONE,
    "GET /api/v1/offering-proposals": {BACKOFFICE, COMPANY, PROGRAMME, ADMIN},
    "GET /api/v1/offerings": ANYONE,
    "GET /api/v1/offerings/{offering_id}": ANYONE,
    "GET /api/v1/offerings/{offering_id}/sessions": ANYONE,
    "GET /api/v1/openapi.json": PUBLIC,
    "GET /api/v1/organisations": ANYONE,
    "GET /api/v1/organisations/{organisation_id}": ANYONE,
    "GET /api/v1/people": ANYONE,
    "GET /api/v1/people/{person_id}": ANYONE,
    "GET /api/v1/overdue-loans": {BACKOFFICE},
    "GET /api/v1/planning": {SCHOOL},
    "GET /api/v1/programme/kpis": {PROGRAMME, ADMIN, BACKOFFICE},
    "GET /api/v1/registrations": {BACKOFFICE, SCHOOL},
    "GET /api/v1/registrations/{registration_id}": {BACKOFFICE, SCHOOL},
    "GET /api/v1/reservations": ANYONE,
    "GET /api/v1/reservations/{reservation_id}": {BACKOFFICE, SCHOOL},
    "GET /api/v1/sessions": ANYONE,
    "PATCH /api/v1/equipment/{item_id}": {BACKOFFICE},
    "PATCH /api/v1/event-sessions/{session_id}": {BACKOFFICE},
    "PATCH /api/v1/events/{event_id}": {BACKOFFICE},
    "PATCH /api/v1/offerings/{offering_id}": {BACKOFFICE},
    "POST /api/v1/attendees/{attendee_id}/cancel": ANYONE,
    "POST /api/v1/auth/token": PUBLIC,
    "POST /api/v1/bookings": {BACKOFFICE, SCHOOL, TEACHER},
    "POST /api/v1/bookings/{booking_id}/accept": {COMPANY},
    "POST /api/v1/bookings/{booking_id}/cancel": {BACKOFFICE, SCHOOL, TEACHER},
    "POST /api/v1/bookings/{booking_id}/complete": {BACKOFFICE},
    "POST /api/v1/bookings/{booking_id}/decline": {COMPANY},
    "POST /api/v1/bookings/{booking_id}/no-show": {BACKOFFICE},
    "POST /api/v1/calendar/closed-periods": {BACKOFFICE},
    "POST /api/v1/equipment": {BACKOFFICE},
    "POST /api/v1/equipment/{item_id}/repaired": {BACKOFFICE},
    "POST /api/v1/equipment/{item_id}/retire": {BACKOFFICE},
    "POST /api/v1/events": {BACKOFFICE},
    "POST /api/v1/events/{event_id}/sessions": {BACKOFFICE},
    "POST /api/v1/event-sessions/{session_id}/held": {BACKOFFICE},
    "POST /api/v1/events/{event_id}/attendees": ANYONE,
    "POST /api/v1/events/{event_id}/check-in": {BACKOFFICE},
    "POST /api/v1/events/{event_id}/costs": {BACKOFFICE},
    "POST /api/v1/finance/declarations": {SCHOOL},
    "POST /api/v1/finance/declarations/{declaration_id}/approve": {FINANCE},
    "POST /api/v1/finance/declarations/{declaration_id}/corrections": {SCHOOL},
    "POST /api/v1/finance/declarations/{declaration_id}/lines": {SCHOOL},
    "POST /api/v1/finance/declarations/{declaration_id}/pay": {FINANCE},
    "POST /api/v1/finance/declarations/{declaration_id}/reject": {FINANCE},
    "POST /api/v1/finance/declarations/{declaration_id}/submit": {SCHOOL},
    "POST /api/v1/invitations/accept": PUBLIC,
    "POST /api/v1/notifications/{notification_id}/read": ANYONE,
    "POST /api/v1/announcements": {BACKOFFICE, PROGRAMME},
    "POST /api/v1/offering-proposals": {COMPANY},
    "POST /api/v1/offering-proposals/{offering_id}/approve": {BACKOFFICE},
    "POST /api/v1/offering-proposals/{offering_id}/decline": {BACKOFFICE},
    "POST /api/v1/offerings": {BACKOFFICE},
    "POST /api/v1/offerings/{offering_id}/series": {BACKOFFICE},
    "POST /api/v1/offerings/{offering_id}/sessions": {BACKOFFICE},
    "POST /api/v1/offerings/{offering_id}/withdraw": {BACKOFFICE},
    "POST /api/v1/organisations": {BACKOFFICE},
    "POST /api/v1/people/invitations": {BACKOFFICE, ADMIN},
    "POST /api/v1/people/{person_id}/deactivate": {BACKOFFICE, ADMIN},
    "POST /api/v1/registrations": {BACKOFFICE, SCHOOL},
    "POST /api/v1/registrations/{registration_id}/accept": {SCHOOL},
    "POST /api/v1/registrations/{registration_id}/cancel": {BACKOFFICE, SCHOOL},
    "POST /api/v1/reservations": {BACKOFFICE, SCHOOL},
    "POST /api/v1/reservations/{reservation_id}/cancel": {BACKOFFICE, SCHOOL},
    "POST /api/v1/reservations/{reservation_id}/check-out": {BACKOFFICE},
    "POST /api/v1/reservations/{reservation_id}/extend": {BACKOFFICE, SCHOOL},
    "POST /api/v1/reservations/{reservation_id}/return": {BACKOFFICE},
    "POST /api/v1/sessions/{session_id}/cancel": {BACKOFFICE},
    "POST /api/v1/sessions/{session_id}/move": {BACKOFFICE},
    "PUT /api/v1/calendar/quotas/{school_id}/{school_year}": {BACKOFFICE},
    "PUT /api/v1/calendar/rules": {BACKOFFICE},
    "PUT /api/v1/calendar/school-days/{school_id}/{day}": {BACKOFFICE},
    "PUT /api/v1/finance/budget/{year}/{core_task}": {FINANCE},
    "PUT /api/v1/finance/rates/{role}": {FINANCE},
    "PUT /api/v1/loans/policy": {BACKOFFICE},
    "PUT /api/v1/notifications/preferences": ANYONE,
    "PUT /api/v1/organisations/{organisation_id}": {BACKOFFICE},
}

# Someone else's id: (caller's role, method, path, expected status). 403 where the gateway
# itself knows the owner (a school's records by school_id); otherwise the call is forwarded
# as the caller and the service decides (its own tests cover that).
OTHERS_IDS = [
    (SCHOOL, "GET", "/api/v1/finance/declaration-lines?school_id=lodenstein", 403),
    (SCHOOL, "GET", "/api/v1/finance/declarations?school_id=lodenstein", 403),
    (SCHOOL, "GET", "/api/v1/bookings?school_id=lodenstein", 403),
    (TEACHER, "GET", "/api/v1/bookings?school_id=lodenstein", 403),
    (SCHOOL, "GET", "/api/v1/reservations?school_id=lodenstein", 403),
    (SCHOOL, "GET", "/api/v1/sessions?from=2026-09-01&to=2026-09-30&school_id=lodenstein", 403),
    (SCHOOL, "GET", "/api/v1/finance/declarations/0b7e0e0c-0000-4000-8000-000000000001", 200),
    (SCHOOL, "GET", "/api/v1/bookings/0b7e0e0c-0000-4000-8000-000000000002", 200),
    (COMPANY, "GET", "/api/v1/events/girlsday-2025", 200),
    (COMPANY, "GET", "/api/v1/finance/cofinancing?organisation=voorbeeld-metaal", 403),
]


def api_routes(app: FastAPI) -> list[str]:
    """ "METHOD /path" of every route under /api/v1, included routers too."""
    return sorted(
        f"{method} {route.path}"
        for route in iter_route_contexts(app.routes)
        if (route.path or "").startswith("/api/v1")
        for method in route.methods or ()
        if method != "HEAD"
    )


def request_for(app: FastAPI, route: str) -> tuple[str, str, Any]:
    """A request the route's validation accepts, from the OpenAPI document's schemas."""
    method, template = route.split(" ", 1)
    document = app.openapi()
    schemas = document.get("components", {}).get("schemas", {})
    operation = document["paths"].get(template, {}).get(method.lower(), {})
    path, query = template, {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            path = path.replace(
                f"{{{parameter['name']}}}", str(example(parameter["schema"], schemas))
            )
        elif parameter["in"] == "query" and parameter.get("required"):
            query[parameter["name"]] = example(parameter["schema"], schemas)
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    return method, path + ("?" + urlencode(query) if query else ""), body.get("example")


def bearer(who: Principal) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS.issue(who)}"}


def forwarding(calls: list[httpx.Request]):
    def upstream(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={})

    return upstream


async def test_every_route_has_a_row_and_every_row_a_route(echo):
    async with running(echo, jwt_key_file=KEY_FILE) as client:
        routes = set(api_routes(client._transport.app))  # noqa: SLF001 - the app under test
    assert sorted(routes - MATRIX.keys()) == [], "routes without a row in MATRIX"
    assert sorted(MATRIX.keys() - routes) == [], "rows in MATRIX for routes that are gone"


@pytest.mark.parametrize("role", [*CALLERS, None], ids=[*CALLERS, "no token"])
async def test_each_role_gets_through_exactly_where_its_row_says(role, calls):
    """Allowed: the service is asked (as this caller). Not: 403 (401 without a token), and
    the service never hears of it."""
    mismatches = []
    async with running(forwarding(calls), jwt_key_file=KEY_FILE, **NO_LIMITS) as client:
        app = client._transport.app  # noqa: SLF001
        headers = bearer(CALLERS[role]) if role else {}
        for route, allowed in MATRIX.items():
            method, path, body = request_for(app, route)
            before = len(calls)
            answer = await client.request(method, path, json=body, headers=headers)
            public = allowed == PUBLIC
            expected = 200 if public or role in allowed else 403 if role else 401
            asked = len(calls) > before
            if answer.status_code != expected or (asked and expected != 200):
                mismatches.append((route, answer.status_code, expected, answer.text[:120]))
            elif asked and role:
                sent = sent_caller(calls[-1])
                # A public route asks as nobody, whatever token came along.
                caller = None if public else (CALLERS[role].subject, CALLERS[role].organisation)
                assert (sent and (sent.actor, sent.organisation)) == caller, route
    assert mismatches == []


@pytest.mark.parametrize("role,method,path,expected", OTHERS_IDS)
async def test_someone_elses_id(role, method, path, expected, calls):
    async with running(forwarding(calls), jwt_key_file=KEY_FILE, **NO_LIMITS) as client:
        answer = await client.request(method, path, headers=bearer(CALLERS[role]))
    assert answer.status_code == expected
    if expected == 403:
        assert calls == []
    else:  # asked as the caller: the service compares it with the owner
        assert sent_caller(calls[0]).organisation == CALLERS[role].organisation
        assert "lodenstein" not in str(calls[0].url)


@pytest.mark.parametrize(
    "route", ["POST /api/v1/bookings", "POST /api/v1/registrations", "POST /api/v1/reservations"]
)
async def test_a_school_naming_another_school_is_refused_before_any_service_hears(route, calls):
    """The backoffice acts on behalf of any school; a school for itself only."""
    async with running(forwarding(calls), jwt_key_file=KEY_FILE, **NO_LIMITS) as client:
        method, path, body = request_for(client._transport.app, route)  # noqa: SLF001
        answer = await client.request(
            method, path, json=body | {"school_id": "lodenstein"}, headers=bearer(CALLERS[SCHOOL])
        )
    assert answer.status_code == 403
    assert answer.json()["detail"] == (
        "een school handelt alleen voor zichzelf, niet namens een andere school"
    )
    assert calls == []


async def test_a_teacher_books_for_the_own_school_only(calls):
    async with running(forwarding(calls), jwt_key_file=KEY_FILE, **NO_LIMITS) as client:
        method, path, body = request_for(
            client._transport.app,  # noqa: SLF001
            "POST /api/v1/bookings",
        )
        teacher = bearer(CALLERS[TEACHER])
        other = await client.request(
            method, path, json=body | {"school_id": "lodenstein"}, headers=teacher
        )
        own = await client.request(
            method, path, json=body | {"school_id": "corlaer"}, headers=teacher
        )
    assert (other.status_code, own.status_code) == (403, 200)
    assert [sent_caller(c).role for c in calls] == [TEACHER]
