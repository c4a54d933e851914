"""ETag and If-Match through the gateway on every PUT and PATCH of /api/v1: the GET of the
resource tells its version, a write on a stale one is 412 with a Dutch detail, a write on the
current one succeeds with the next ETag. Writes put back what is there (or touch rows of this
test's own), so the seeded data other tests read stays as it is."""

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.harness import Platform

pytestmark = pytest.mark.integration

Body = Callable[[dict[str, Any]], dict[str, Any]]
OWN = f"etag-{uuid.uuid4().hex[:8]}"
OWN_ROLE = "etag-" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:8])


def same(*names: str) -> Body:
    return lambda found: {name: found[name] for name in names}


def first(platform: Platform, path: str, user: str = "backoffice") -> dict[str, Any]:
    found = httpx.get(f"{platform.gateway}{path}", headers=platform.token(user))
    assert found.status_code == 200 and found.json(), found.text
    return found.json()[0]


def put_first(platform: Platform, path: str, body: dict[str, Any], user: str) -> str:
    """Make the row this test edits, with a PUT without If-Match (as before ETags)."""
    made = httpx.put(f"{platform.gateway}{path}", headers=platform.token(user), json=body)
    assert made.status_code == 200, made.text
    return path


# (who, how it writes, the resource's path found on the platform, the body it writes back)
CASES: dict[str, tuple[str, str, Callable[[Platform], str], Body]] = {
    "offering": (
        "backoffice",
        "PATCH",
        lambda p: f"/offerings/{first(p, '/offerings')['id']}",
        same("title"),
    ),
    "school day": (
        "backoffice",
        "PUT",
        lambda p: put_first(
            p,
            f"/calendar/school-days/{OWN}/2031-03-04",
            {"open": False, "reason": "studiedag"},
            "backoffice",
        ),
        same("open", "reason"),
    ),
    "booking rules": (
        "backoffice",
        "PUT",
        lambda p: "/calendar/rules",
        same("min_lead_days", "free_cancellation_days"),
    ),
    "quota": (
        "backoffice",
        "PUT",
        lambda p: put_first(p, f"/calendar/quotas/{OWN}/2031", {"max_sessions": 3}, "backoffice"),
        same("max_sessions"),
    ),
    "organisation": (
        "backoffice",
        "PUT",
        lambda p: f"/organisations/{new_school(p)}",
        same("name", "kind", "municipality"),
    ),
    "event": (
        "backoffice",
        "PATCH",
        lambda p: f"/events/{first(p, '/events')['id']}",
        same("title"),
    ),
    "event session": (
        "backoffice",
        "PATCH",
        lambda p: (
            "/event-sessions/" + first(p, f"/events/{first(p, '/events')['id']}/sessions")["id"]
        ),
        same("title"),
    ),
    "rate": (
        "finance",
        "PUT",
        lambda p: put_first(
            p, f"/finance/rates/{OWN_ROLE}", {"hourly_rate_cents": 5000}, "finance"
        ),
        same("hourly_rate_cents"),
    ),
    "budget line": (
        "finance",
        "PUT",
        lambda p: put_first(
            p, "/finance/budget/2099/E", {"amount_cents": 100, "hard_limit": False}, "finance"
        ),
        same("amount_cents", "hard_limit"),
    ),
    "loan policy": (
        "backoffice",
        "PUT",
        lambda p: "/loans/policy",
        same("horizon_days", "max_days"),
    ),
    "equipment": (
        "backoffice",
        "PATCH",
        lambda p: f"/equipment/{first(p, '/equipment')['id']}",
        same("name"),
    ),
    "preferences": (
        "gemeente-nijkerk",
        "PUT",
        lambda p: put_first(p, "/notifications/preferences", {}, "gemeente-nijkerk"),
        same("channels", "opted_out", "digest"),
    ),
}


def new_school(platform: Platform) -> str:
    made = httpx.post(
        f"{platform.gateway}/organisations",
        headers=platform.token("backoffice"),
        json={
            "id": OWN,
            "name": f"ETag College {OWN}",
            "kind": "vmbo",
            "municipality": "Amersfoort",
        },
    )
    assert made.status_code == 201, made.text
    return OWN


@pytest.mark.parametrize("case", CASES)
def test_a_write_on_a_stale_etag_is_refused_and_on_the_current_one_succeeds(platform, case):
    user, method, path_of, body_of = CASES[case]
    path, headers = path_of(platform), platform.token(user)
    read = httpx.get(f"{platform.gateway}{path}", headers=headers)
    assert read.status_code == 200, read.text
    etag, body = read.headers["etag"], body_of(read.json())

    def write(if_match: str) -> httpx.Response:
        return httpx.request(
            method,
            f"{platform.gateway}{path}",
            json=body,
            headers={**headers, "If-Match": if_match},
        )

    written = write(etag)
    assert written.status_code == 200, written.text
    assert written.headers["etag"] not in ("", etag)
    stale = write(etag)
    assert stale.status_code == 412
    assert stale.json()["detail"].startswith("Iemand anders heeft dit intussen gewijzigd")
    again = httpx.get(f"{platform.gateway}{path}", headers=headers)
    assert again.headers["etag"] == written.headers["etag"]


def test_the_openapi_document_names_if_match_and_etag(platform):
    document = httpx.get(f"{platform.gateway}/openapi.json").json()
    rules = document["paths"]["/api/v1/calendar/rules"]
    assert "If-Match" in [p["name"] for p in rules["put"]["parameters"]]
    assert "412" in rules["put"]["responses"]
    assert "ETag" in rules["get"]["responses"]["200"]["headers"]
