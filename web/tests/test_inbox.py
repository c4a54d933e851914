"""Berichten a page at a time: the newest first, older ones behind "Volgende pagina", and
marking one read keeps the person on the page they were reading."""

import httpx

from web.tests.test_security import csrf_of, login


def message(n: int) -> dict:
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "subject": f"Bericht {n}",
        "body": "Je boeking is bevestigd.",
        "created_at": "2027-06-09T08:00:00+00:00",
        "read_at": None,
    }


def asked(gateway) -> list[dict[str, str]]:
    return [dict(c.url.params) for c in gateway.calls if c.url.path.endswith("/notifications")]


def test_the_inbox_shows_a_page_and_links_to_the_older_messages(client, gateway):
    gateway.answers["/notifications"] = httpx.Response(200, json=[message(n) for n in range(21)])
    login(client)
    first = client.get("/berichten").text
    assert "Bericht 19" in first and "Bericht 20" not in first
    assert "pagina=2" in first and "Volgende pagina" in first
    client.get("/berichten?pagina=2")
    assert asked(gateway) == [{"limit": "21", "offset": "0"}, {"limit": "21", "offset": "20"}]


def test_past_the_last_message_the_inbox_says_where_the_newest_are(client, gateway):
    gateway.answers["/notifications"] = httpx.Response(200, json=[])
    login(client)
    page = client.get("/berichten?pagina=3").text
    assert "Op deze pagina staan geen berichten meer" in page
    assert "Je hebt nog geen berichten" not in page


def test_marking_a_message_read_returns_to_its_page(client, gateway):
    gateway.answers["/notifications"] = httpx.Response(200, json=[message(1)])
    login(client)
    token = csrf_of(client.get("/berichten?pagina=2").text)
    answer = client.post(
        f"/berichten/{message(1)['id']}/gelezen", data={"csrf": token, "pagina": "2"}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/berichten?pagina=2"
