"""The backoffice's proposals page: a proposal to weigh, declining asks for a reason at its
field, approving sends the decision, and a colleague's earlier decision is said plainly."""

import json

import httpx
import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from web.gateway import Gateway
from web.settings import WebSettings
from web.tests.conftest import fake_token
from web.tests.test_security import csrf_of, login

PROPOSAL = {
    "id": "bezoek-bouw-1",
    "title": "Bezoek aan de bouwplaats",
    "kind": "company_visit",
    "audience": ["vmbo-bb"],
    "location": "Amersfoort",
    "host_company": "voorbeeld-bouw",
    "assignment": None,
    "approval": "proposed",
    "proposed_at": "2026-11-20T09:00:00Z",
}


class Api:
    def __init__(self) -> None:
        self.posted: list[tuple[str, dict | None]] = []
        self.decided = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        if path == "/auth/token":
            return httpx.Response(
                200, json={"access_token": fake_token("backoffice", "hotspot"), "expires_in": 3600}
            )
        if path == "/offering-proposals":
            return httpx.Response(200, json=[PROPOSAL])
        if request.method == "POST" and path.startswith("/offering-proposals/"):
            body = json.loads(request.content) if request.content else None
            self.posted.append((path, body))
            if self.decided:
                return httpx.Response(
                    409, json={"status": 409, "title": "Conflict", "detail": "al besloten"}
                )
            if path.endswith("/decline") and len(body["reason"]) < 3:
                return httpx.Response(
                    422,
                    json={
                        "status": 422,
                        "errors": [
                            {"field": "reason", "message": "te kort", "code": "string_too_short"}
                        ],
                    },
                )
            return httpx.Response(200, json=PROPOSAL)
        return httpx.Response(404, json={"status": 404})


@pytest.fixture
def api() -> Api:
    return Api()


@pytest.fixture
def client(api, sessions_url) -> TestClient:
    app = create_app(
        WebSettings(web_secure_cookies=False, database_url=sessions_url),
        Gateway("http://gateway", 5, httpx.MockTransport(api)),
    )
    client = TestClient(app, base_url="http://web", follow_redirects=False)
    login(client, "backoffice")
    return client


def _post(client: TestClient, path: str, data: dict | None = None):
    token = csrf_of(client.get("/backoffice/voorstellen").text)
    return client.post(path, data={"csrf": token} | (data or {}))


def test_the_page_shows_a_proposal_with_its_company(client):
    page = client.get("/backoffice/voorstellen")
    assert page.status_code == 200
    assert "Bezoek aan de bouwplaats" in page.text and "voorbeeld-bouw" in page.text


def test_declining_without_a_reason_is_asked_at_the_field_and_nothing_is_lost(client, api):
    answer = _post(client, "/backoffice/voorstellen/bezoek-bouw-1/afwijzen", {"reden": "x"})
    assert answer.status_code == 200
    assert 'id="reden-bezoek-bouw-1-fout"' in answer.text and ">x</textarea>" in answer.text


def test_approving_sends_the_decision_and_says_what_follows(client, api):
    answer = _post(client, "/backoffice/voorstellen/bezoek-bouw-1/goedkeuren")
    assert answer.status_code == 303
    assert api.posted == [("/offering-proposals/bezoek-bouw-1/approve", None)]
    assert "scholen vinden het nu in het aanbod" in client.get("/backoffice/voorstellen").text


def test_a_colleagues_earlier_decision_is_said_plainly(client, api):
    api.decided = True
    answer = _post(client, "/backoffice/voorstellen/bezoek-bouw-1/goedkeuren")
    assert "Over dit voorstel is al besloten" in answer.text
