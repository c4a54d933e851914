"""Signing in against the directory, and tokens that stop working when a person is
deactivated (the directory itself is faked here; tests/test_directory.py runs the real one)."""

import jwt
import pytest

from services.gateway.auth import Principal, TokenService, Unauthenticated
from services.gateway.keys import SigningKey
from services.gateway.people import ActivePeople
from services.gateway.tests.conftest import running
from shared.http import Problem
from shared.tests.clock import ManualClock

CORLAER = Principal("corlaer", "school", "corlaer")


async def test_a_demo_person_signs_in_with_the_claims_the_directory_gives(echo):
    async with running(echo) as client:
        answer = await client.post(
            "/api/v1/auth/token", json={"username": "docent-corlaer", "password": "demo"}
        )
    claims = jwt.decode(answer.json()["access_token"], options={"verify_signature": False})
    assert (claims["sub"], claims["role"], claims["org"]) == (
        "docent-corlaer",
        "teacher",
        "corlaer",
    )


@pytest.mark.parametrize("username,password", [("corlaer", "wrong"), ("nobody", "demo")])
async def test_wrong_credentials_get_401_problem(echo, username, password):
    async with running(echo) as client:
        answer = await client.post(
            "/api/v1/auth/token", json={"username": username, "password": password}
        )
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"].startswith("Bearer")


async def test_no_sign_in_here_when_an_identity_provider_issues_the_tokens(echo):
    oidc = dict(
        oidc_issuer="https://idp.example",
        oidc_jwks_url="https://idp.example/jwks",
        oidc_audience="tft-api",
    )
    async with running(echo, **oidc) as client:
        answer = await client.post(
            "/api/v1/auth/token", json={"username": "backoffice", "password": "demo"}
        )
    assert answer.status_code == 401


async def test_token_response_shape(echo):
    async with running(echo) as client:
        answer = await client.post(
            "/api/v1/auth/token", json={"username": "finance", "password": "demo"}
        )
    body = answer.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert answer.headers["cache-control"] == "no-store"


async def test_a_deactivated_persons_token_and_sign_in_are_refused(echo):
    inactive: set[str] = set()
    async with running(echo, inactive, person_check_seconds=0) as client:
        answer = await client.post(
            "/api/v1/auth/token", json={"username": "corlaer", "password": "demo"}
        )
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        assert (await client.get("/api/v1/offerings", headers=headers)).status_code == 200
        inactive.add("corlaer")
        refused = await client.get("/api/v1/offerings", headers=headers)
        again = await client.post(
            "/api/v1/auth/token", json={"username": "corlaer", "password": "demo"}
        )
    assert refused.status_code == 401 and "gedeactiveerd" in refused.json()["detail"]
    assert again.status_code == 401


class Directory:
    """Answers `/people/{id}/standing` like the directory, counting the questions."""

    def __init__(self) -> None:
        self.active, self.down, self.asked = True, False, 0

    async def ask(self, service: str, method: str, path: str, **_: object):
        self.asked += 1
        if self.down:
            raise Problem(503, "Service unavailable", "directory down")
        return 200, {
            "subject": "corlaer",
            "role": "school",
            "organisation": "corlaer",
            "active": self.active,
        }


def _checked(directory: Directory, clock: ManualClock) -> tuple[ActivePeople, str]:
    tokens = TokenService(SigningKey.generate(), 3600)
    people = ActivePeople(tokens, directory, 10, clock=clock)  # type: ignore[arg-type]
    return people, tokens.issue(CORLAER)


async def test_the_directorys_answer_is_cached_for_the_configured_time():
    directory, clock = Directory(), ManualClock()
    people, token = _checked(directory, clock)
    for _ in range(5):
        assert await people.verify(token) == CORLAER
    assert directory.asked == 1
    directory.active = False
    clock.advance(9.9)
    assert await people.verify(token) == CORLAER  # still within the cached time
    clock.advance(0.1)
    with pytest.raises(Unauthenticated):
        await people.verify(token)
    assert directory.asked == 2


async def test_a_token_of_another_role_than_the_person_now_has_is_refused():
    directory, clock = Directory(), ManualClock()
    tokens = TokenService(SigningKey.generate(), 3600)
    people = ActivePeople(tokens, directory, 10, clock=clock)  # type: ignore[arg-type]
    with pytest.raises(Unauthenticated):
        await people.verify(tokens.issue(Principal("corlaer", "backoffice", "backoffice")))


async def test_while_the_directory_is_down_its_last_answer_stands_and_without_one_503():
    directory, clock = Directory(), ManualClock()
    people, token = _checked(directory, clock)
    directory.down = True
    with pytest.raises(Problem) as refused:
        await people.verify(token)
    assert refused.value.status == 503
    directory.down = False
    assert await people.verify(token) == CORLAER
    directory.down = True
    clock.advance(60.0)
    assert await people.verify(token) == CORLAER
