"""People through the gateway, on PostgreSQL and a real Kafka broker: the backoffice invites
a teacher who accepts and signs in; a school coordinator may not invite; a deactivated
person is refused, at sign-in and with a token they already hold; the demo accounts sign in
with the claims they always had; the directory's changes reach Kafka."""

import httpx
import jwt
import pytest

from shared.contracts.topics import PERSON
from tests.harness import DEMO_PASSWORD, Platform, eventually, keyed_events

pytestmark = pytest.mark.integration

# The README's demo accounts: (role, organisation) as their tokens have always carried.
DEMO_CLAIMS = {
    "backoffice": ("backoffice", "backoffice"),
    "finance": ("finance", "finance"),
    "programma": ("programme", "tft"),
    "admin": ("admin", "tft"),
    **{
        school: ("school", school)
        for school in ("lodenstein", "corlaer", "element", "nxt", "trivium")
    },
    "voorbeeld-bouw": ("company", "voorbeeld-bouw"),
}
PASSWORD = "een-lang-wachtwoord"


def sign_in(platform: Platform, username: str, password: str) -> httpx.Response:
    return httpx.post(
        f"{platform.gateway}/auth/token", json={"username": username, "password": password}
    )


def claims(answer: httpx.Response) -> dict:
    return jwt.decode(answer.json()["access_token"], options={"verify_signature": False})


def bearer(answer: httpx.Response) -> dict[str, str]:
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def person_events(platform: Platform, person_id: str) -> list[str]:
    """The types of the events on tft.directory.person about this person, read to the end."""
    return [kind for kind, _ in keyed_events(platform, PERSON, person_id)]


def invite_teacher(platform: Platform, username: str) -> tuple[str, httpx.Response]:
    invited = httpx.post(
        f"{platform.gateway}/people/invitations",
        headers=platform.token("backoffice"),
        json={
            "organisation_id": "corlaer",
            "role": "teacher",
            "name": "Sanne de Vries",
            "email": f"{username}@corlaer.nl",
        },
    )
    assert invited.status_code == 201, invited.text
    accepted = httpx.post(
        f"{platform.gateway}/invitations/accept",
        json={"code": invited.json()["code"], "username": username, "password": PASSWORD},
    )
    return invited.json()["person"]["id"], accepted


def test_an_invited_teacher_accepts_signs_in_and_is_refused_once_deactivated(platform):
    person_id, accepted = invite_teacher(platform, "sanne.devries")
    assert accepted.status_code == 200, accepted.text
    signed_in = sign_in(platform, "sanne.devries", PASSWORD)
    assert signed_in.status_code == 200, signed_in.text
    assert (claims(signed_in)["sub"], claims(signed_in)["role"], claims(signed_in)["org"]) == (
        person_id,
        "teacher",
        "corlaer",
    )
    token = bearer(signed_in)
    assert httpx.get(f"{platform.gateway}/organisations/corlaer", headers=token).status_code == 200

    gone = httpx.post(
        f"{platform.gateway}/people/{person_id}/deactivate", headers=platform.token("backoffice")
    )
    assert gone.status_code == 200, gone.text
    assert sign_in(platform, "sanne.devries", PASSWORD).status_code == 401
    # The token the teacher holds stops working once the gateway's answer is renewed.
    eventually(
        lambda: (
            httpx.get(f"{platform.gateway}/organisations/corlaer", headers=token).status_code == 401
        ),
        timeout=15,
    )
    assert eventually(
        lambda: (
            person_events(platform, person_id)[-1:]
            == ["nl.tisfortech.directory.person.deactivated.v1"]
        )
    )
    assert person_events(platform, person_id) == [
        "nl.tisfortech.directory.person.invited.v1",
        "nl.tisfortech.directory.person.activated.v1",
        "nl.tisfortech.directory.person.deactivated.v1",
    ]


def test_a_school_coordinator_may_not_invite(platform):
    refused = httpx.post(
        f"{platform.gateway}/people/invitations",
        headers=platform.token("corlaer"),
        json={
            "organisation_id": "corlaer",
            "role": "teacher",
            "name": "Jan Jansen",
            "email": "j.jansen@corlaer.nl",
        },
    )
    assert refused.status_code == 403


def test_the_demo_accounts_sign_in_with_the_claims_they_always_had(platform):
    for username, (role, organisation) in DEMO_CLAIMS.items():
        answer = sign_in(platform, username, DEMO_PASSWORD)
        assert answer.status_code == 200, (username, answer.text)
        assert (claims(answer)["sub"], claims(answer)["role"], claims(answer)["org"]) == (
            username,
            role,
            organisation,
        )
    assert sign_in(platform, "corlaer", "demo-wrong").status_code == 401


def test_the_directory_lists_organisations_of_every_kind_through_the_gateway(platform):
    headers = platform.token("po-demo-1")
    po = httpx.get(f"{platform.gateway}/organisations", params={"kind": "po"}, headers=headers)
    assert {o["id"] for o in po.json()} >= {"po-demo-1", "po-demo-2"}
    green = httpx.get(
        f"{platform.gateway}/organisations", params={"profile": "Groen"}, headers=headers
    )
    assert {o["id"] for o in green.json()} == {"yuverta", "aeres-vmbo-nijkerk"}
