"""The company contact's lists a page at a time against a stand-in gateway: Aanvragen and
Wie komt er (its classes and its sessions at events) show a page, link to the next when
there is more, and the next page shows the rest; the school filter stays in the URL, and an
answer to a request returns to the page it was given on."""

import re

import httpx
import pytest

from web.tests.test_security import csrf_of, login

REQUESTS = 25  # more than a page (20)
ASKED_BY = r"voor \w+ Klas (\d+)</span></label>"  # each request's reason field names its class


def booking(n: int, status: str) -> dict:
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "session_id": f"s-{n}",
        "school_id": "corlaer" if n % 2 else "element",
        "group": {"name": f"Klas {n:02d}", "level": "vmbo-kb", "year": 3, "students": 12},
        "status": status,
        "offering_title": "Bedrijfsbezoek bouw",
        "starts_at": f"2027-06-{1 + n:02d}T08:00:00+00:00",
        "ends_at": f"2027-06-{1 + n:02d}T10:00:00+00:00",
        "location": "Amersfoort",
    }


def hosted(n: int) -> dict:
    return {"id": f"h-{n}", "title": f"Sessie {n:02d}", "groups": []}


def paged(found: list[dict]):
    """Answers a list's page as the API does: its `limit` from its `offset`."""

    def answer(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        offset, limit = int(params.get("offset", "0")), int(params["limit"])
        return httpx.Response(200, json=found[offset : offset + limit])

    return answer


def asked(gateway, path: str) -> list[dict[str, str]]:
    return [dict(c.url.params) for c in gateway.calls if c.url.path == f"/api/v1{path}"]


def shown(page: str, pattern: str) -> list[str]:
    return re.findall(pattern, page)


@pytest.fixture
def company(client, gateway):
    gateway.answers["/bookings"] = paged([booking(n, "requested") for n in range(REQUESTS)])
    gateway.answers["/hosted-sessions"] = paged([hosted(n) for n in range(REQUESTS)])
    login(client, "voorbeeld-bouw")
    return client


def test_the_requests_show_a_page_and_the_next_page_the_rest(company, gateway):
    first = company.get("/bedrijf/aanvragen").text
    assert shown(first, ASKED_BY) == [f"{n:02d}" for n in range(20)]
    assert 'href="?pagina=2">Volgende pagina' in first
    second = company.get("/bedrijf/aanvragen?pagina=2").text
    assert shown(second, ASKED_BY) == [f"{n:02d}" for n in range(20, REQUESTS)]
    assert "Volgende pagina" not in second and 'href="?pagina=1">Vorige pagina' in second
    assert asked(gateway, "/bookings") == [
        {"status": "requested", "limit": "21", "offset": "0"},
        {"status": "requested", "limit": "21", "offset": "20"},
    ]


def test_the_school_filter_is_asked_of_the_api_and_kept_by_the_pages(company, gateway):
    page = company.get("/bedrijf/aanvragen?school=corlaer").text
    assert asked(gateway, "/bookings")[-1]["school_id"] == "corlaer"
    assert 'href="?school=corlaer&amp;pagina=2">Volgende pagina' in page
    assert 'name="terug" value="/bedrijf/aanvragen?school=corlaer"' in page


def test_past_the_last_request_the_page_says_so_and_links_to_the_first(company):
    page = company.get("/bedrijf/aanvragen?school=corlaer&pagina=9").text
    assert "Op deze pagina staan geen aanvragen meer." in page
    assert 'href="?school=corlaer">Naar de eerste pagina' in page
    assert "Er zijn geen aanvragen die op je antwoord wachten" not in page


def test_an_answer_returns_to_the_page_and_filter_it_was_given_on(company, gateway):
    gateway.answers["/bookings/00000000-0000-4000-8000-000000000021/accept"] = httpx.Response(
        200, json=booking(21, "confirmed")
    )
    page = company.get("/bedrijf/aanvragen?school=corlaer&pagina=2").text
    answer = company.post(
        "/bedrijf/aanvragen/00000000-0000-4000-8000-000000000021/accepteren",
        data={"csrf": csrf_of(page), "terug": "/bedrijf/aanvragen?school=corlaer&pagina=2"},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/bedrijf/aanvragen?school=corlaer&pagina=2"


def test_who_comes_pages_its_classes_and_its_event_sessions_each_on_their_own(company, gateway):
    gateway.answers["/bookings"] = paged([booking(n, "confirmed") for n in range(REQUESTS)])
    first = company.get("/bedrijf/wie-komt").text
    assert len(shown(first, r"Klas \d+, 12 leerlingen")) == 20
    assert len(shown(first, r"Sessie \d+</h3>")) == 20
    assert 'href="?pagina=2">Volgende pagina' in first
    assert 'href="?sessiepagina=2#evenementen">Volgende pagina' in first
    # The sessions' second page keeps the classes' page and filter, and the other way round.
    both = company.get("/bedrijf/wie-komt?school=element&pagina=2&sessiepagina=2").text
    assert shown(both, r"Sessie (\d+)</h3>") == [f"{n:02d}" for n in range(20, REQUESTS)]
    assert shown(both, r"Klas (\d+), 12 leerlingen") == [f"{n:02d}" for n in range(20, REQUESTS)]
    assert (
        'href="?school=element&amp;pagina=2&amp;sessiepagina=1#evenementen">Vorige pagina' in both
    )
    assert 'href="?school=element&amp;sessiepagina=2&amp;pagina=1">Vorige pagina' in both
    assert asked(gateway, "/hosted-sessions") == [
        {"limit": "21", "offset": "0"},
        {"limit": "21", "offset": "20"},
    ]
    assert asked(gateway, "/bookings")[-1] == {
        "status": "confirmed",
        "school_id": "element",
        "limit": "21",
        "offset": "20",
    }


def test_a_session_without_classes_says_none_registered_yet(company):
    page = company.get("/bedrijf/wie-komt").text
    assert "Er heeft zich nog geen klas aangemeld." in page
