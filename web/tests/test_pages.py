"""What a person expects of every page: back where they were after signing in (and never
sent off the site), their organisation by name, and their bookings by title and time."""

import inspect
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from web.app import create_app
from web.gateway import Gateway
from web.tests.test_security import login

BOOKING = {
    "id": "5b0c6f5e-0000-4000-8000-000000000001",
    "session_id": "s-1",
    "school_id": "corlaer",
    "group": {"name": "3B", "level": "vmbo-kb", "year": 3, "students": 24},
    "status": "cancelled",
    "waitlist_position": None,
    "rejection_reason": None,
    "cancelled_late": False,
    "series_booking_id": None,
    "offering_id": "drones",
    "offering_title": "Inspiratieles drones",
    "offering_kind": "inspiration_lesson",
    "starts_at": "2027-06-09T08:00:00+00:00",
    "ends_at": "2027-06-09T10:00:00+00:00",
    "location": "Hotspot",
    "room": "lokaal-1",
}


@pytest.mark.parametrize(
    "elsewhere",
    [
        "//evil.example/planning",
        "/\t/evil.example",
        "/\\evil.example",
        "/\n/evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_signing_in_never_leads_off_the_site(client, elsewhere):
    assert login(client, terug=elsewhere).headers["location"] == "/planning"


def test_signing_in_returns_to_a_page_of_the_site_with_its_query(client):
    answer = login(client, terug="/aanbod?soort=masterclass&pagina=2")
    assert answer.headers["location"] == "/aanbod?soort=masterclass&pagina=2"


def test_the_header_names_the_organisation_not_its_id(client, gateway):
    gateway.answers["/organisations/corlaer"] = httpx.Response(
        200, json={"id": "corlaer", "name": "Corlaer College", "kind": "school"}
    )
    login(client)
    page = client.get("/planning").text
    assert '<span class="tft-organisation">Corlaer College</span>' in page


def test_the_header_shows_the_id_when_the_directory_does_not_answer(client, gateway):
    gateway.answers["/organisations/corlaer"] = httpx.Response(503, json={"status": 503})
    assert login(client).status_code == 303
    assert '<span class="tft-organisation">corlaer</span>' in client.get("/planning").text


def test_mijn_planning_shows_the_bookings_own_title_and_times(client, gateway):
    """From the bookings API itself: a session no longer in the offer (cancelled) keeps
    its title and time."""
    gateway.answers["/bookings"] = httpx.Response(200, json=[BOOKING])
    login(client)
    page = client.get("/planning").text
    assert "Inspiratieles drones" in page and "Onbekend" not in page
    assert "woensdag 9 juni 2027" in page and "10:00-12:00" in page
    assert not any(c.url.path.endswith("/offerings") for c in gateway.calls)


def test_finance_reads_declarations_by_school_name_and_filters_by_school(client, gateway):
    gateway.answers["/organisations"] = httpx.Response(
        200,
        json=[
            {"id": "corlaer", "name": "Corlaer College", "kind": "vmbo"},
            {"id": "voorbeeld-bouw", "name": "Voorbeeld Bouw", "kind": "company"},
        ],
    )
    gateway.answers["/finance/declarations"] = httpx.Response(
        200,
        json=[
            {
                "id": "5b0c6f5e-0000-4000-8000-000000000002",
                "school_id": "corlaer",
                "quarter": "2027-Q2",
                "status": "submitted",
                "total_cents": 15000,
            }
        ],
    )
    login(client, "finance")
    page = client.get("/financien/declaraties?kwartaal=2027-Q2&school=corlaer").text
    assert '<td class="utrecht-table__cell" data-label="School">Corlaer College</td>' in page
    assert '<option value="corlaer" selected>Corlaer College</option>' in page
    assert "Voorbeeld Bouw" not in page  # a company, no school
    asked = [c for c in gateway.calls if c.url.path.endswith("/finance/declarations")][-1]
    assert asked.url.params["school_id"] == "corlaer"


def test_every_page_and_its_dependencies_run_on_the_event_loop():
    """A plain (sync) endpoint or dependency costs a request a hop to the thread pool and,
    under load, a wait for a free thread: every one of them is async."""
    app = create_app(gateway=Gateway("http://gateway.invalid", 1.0))
    found = [d.dependency for d in app.router.dependencies] + [
        call for route in api_routes(app.routes) for call in calls(route.dependant)
    ]
    assert len(found) > 100  # the pages, their roles and the signed-in person
    assert [c.__name__ for c in found if not inspect.iscoroutinefunction(c)] == []


def api_routes(routes: list) -> Iterator[APIRoute]:
    """The pages, also those of an included router (FastAPI keeps it as it was given)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(inner.routes)


def calls(dependant: Dependant) -> Iterator[Callable]:
    for sub in dependant.dependencies:
        yield from calls(sub)
    if dependant.call is not None:
        yield dependant.call
