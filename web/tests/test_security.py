"""The browser side: CSRF tokens on every form, a strict CSP, the session cookie's flags,
and a session that expires sends the person to login and back."""

import re

from fastapi.testclient import TestClient

from web.tests.conftest import fake_token


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def login(client: TestClient, username: str = "corlaer", terug: str = "/"):
    token = csrf_of(client.get("/inloggen").text)
    return client.post(
        "/inloggen",
        data={"gebruikersnaam": username, "wachtwoord": "demo", "terug": terug, "csrf": token},
    )


def test_a_login_with_the_pages_token_signs_in_and_lands_on_the_roles_start_page(client):
    answer = login(client)
    assert answer.status_code == 303 and answer.headers["location"] == "/planning"


def test_a_throttled_sign_in_says_how_long_to_wait_and_keeps_the_name(client):
    answer = login(client, "geraden")
    assert answer.status_code == 200
    assert "Er is te vaak geprobeerd in te loggen. Wacht 2 minuten" in answer.text
    assert 'value="geraden"' in answer.text


def test_a_post_without_a_csrf_token_is_refused(client, gateway):
    client.get("/inloggen")
    answer = client.post("/inloggen", data={"gebruikersnaam": "corlaer", "wachtwoord": "demo"})
    assert answer.status_code == 403
    assert "Dit formulier is verlopen" in answer.text
    assert not any(c.url.path.endswith("/auth/token") for c in gateway.calls)


def test_a_post_with_a_wrong_csrf_token_is_refused(client, gateway):
    login(client)
    answer = client.post("/uitloggen", data={"csrf": "not-the-token"})
    assert answer.status_code == 403
    assert client.get("/planning").status_code == 200  # still signed in


def test_another_sessions_csrf_token_is_refused(make_client):
    other, mine = make_client(), make_client()
    stolen = csrf_of(other.get("/inloggen").text)
    mine.get("/inloggen")
    answer = mine.post(
        "/inloggen", data={"gebruikersnaam": "corlaer", "wachtwoord": "demo", "csrf": stolen}
    )
    assert answer.status_code == 403


def test_every_page_has_a_strict_content_security_policy(client):
    for path in ("/inloggen", "/static/app.css", "/bestaat-niet"):
        csp = client.get(path).headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'none'"
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert "unsafe" not in csp and "http" not in csp
        assert directives["frame-ancestors"] == "'none'"


def test_no_page_has_inline_script_or_style(client):
    login(client)
    for path in ("/inloggen", "/planning", "/aanbod"):
        page = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert "<style" not in page and " style=" not in page, path
        assert not re.search(r"<[^>]*\son[a-z]+=", page), path  # no onclick= and the like


def test_the_session_cookie_is_httponly_samesite_and_secure_outside_local_runs(make_client):
    secure = make_client(secure=True).get("/inloggen").headers["set-cookie"]
    assert secure.startswith("__Host-tft-sessie=")
    assert all(flag in secure.lower() for flag in ("httponly", "secure", "samesite=lax", "path=/"))
    local = make_client(secure=False).get("/inloggen").headers["set-cookie"]
    assert "httponly" in local.lower() and "samesite=lax" in local.lower()
    assert "secure" not in local.lower()


def test_signing_in_gives_a_new_session_id(client):
    before = client.get("/inloggen").cookies["tft-sessie"]
    after = login(client).cookies["tft-sessie"]
    assert before != after


def test_the_cookie_holds_no_token(client, gateway):
    answer = login(client)
    assert "." not in answer.cookies["tft-sessie"]  # a random id, not the JWT


def test_an_idle_session_expires_to_the_login_page_and_back(client, clock):
    login(client)
    clock.now += 31 * 60
    answer = client.get("/planning?status=confirmed")
    assert answer.status_code == 303
    assert answer.headers["location"] == (
        "/inloggen?terug=%2Fplanning%3Fstatus%3Dconfirmed&verlopen=1"
    )
    assert "Je sessie is verlopen" in client.get(answer.headers["location"]).text
    back = login(client, terug="/planning?status=confirmed")
    assert back.headers["location"] == "/planning?status=confirmed"


def test_a_token_the_gateway_no_longer_accepts_sends_the_person_to_login(client, gateway):
    login(client)
    assert client.get("/planning").status_code == 200
    gateway.expired_tokens.add(fake_token("school", "corlaer"))
    answer = client.get("/planning")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/inloggen?terug=%2Fplanning&verlopen=1"


def test_a_return_path_off_this_site_is_ignored(client):
    answer = login(client, terug="//evil.example/planning")
    assert answer.headers["location"] == "/planning"


def test_a_wrong_password_is_explained_in_dutch_at_the_field(client):
    token = csrf_of(client.get("/inloggen").text)
    answer = client.post(
        "/inloggen", data={"gebruikersnaam": "corlaer", "wachtwoord": "x", "csrf": token}
    )
    assert answer.status_code == 200  # a page again, with the error (no console error)
    assert 'id="gebruikersnaam-fout"' in answer.text
    assert "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet" in answer.text
    assert 'value="corlaer"' in answer.text  # nothing typed is lost


def test_a_page_of_another_role_is_forbidden(client):
    login(client)
    assert client.get("/financien/declaraties").status_code == 403
