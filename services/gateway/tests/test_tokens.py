import time

import jwt
import pytest
from pydantic import ValidationError

from services.gateway.auth import AUDIENCE, ISSUER, Principal, TokenService, Unauthenticated
from services.gateway.tests.conftest import SECRET, settings

WHO = Principal("corlaer", "school", "corlaer")


def claims(**overrides) -> dict:
    now = int(time.time())
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "corlaer", "role": "school",
            "org": "corlaer", "iat": now, "exp": now + 60} | overrides


def test_issued_token_verifies_to_the_same_principal():
    tokens = TokenService(SECRET, 600)
    assert tokens.verify(tokens.issue(WHO)) == WHO


def test_expired_token_is_refused():
    tokens = TokenService(SECRET, 60, clock=lambda: time.time() - 3600)
    with pytest.raises(Unauthenticated, match="expired"):
        TokenService(SECRET, 60).verify(tokens.issue(WHO))


@pytest.mark.parametrize("token", [
    pytest.param(jwt.encode(claims(aud="other-api"), SECRET, "HS256"), id="wrong audience"),
    pytest.param(jwt.encode(claims(iss="someone"), SECRET, "HS256"), id="wrong issuer"),
    pytest.param(jwt.encode(claims(), None, "none"), id="alg none"),
    pytest.param(jwt.encode(claims(), "y" * 64, "HS256"), id="wrong key"),
    pytest.param(jwt.encode(claims(), SECRET, "HS512"), id="algorithm not pinned one"),
    pytest.param(jwt.encode(claims(role="superuser"), SECRET, "HS256"), id="unknown role"),
    pytest.param(jwt.encode(claims(org=""), SECRET, "HS256"), id="no organisation"),
    pytest.param(jwt.encode({k: v for k, v in claims().items() if k != "exp"}, SECRET, "HS256"),
                 id="no expiry"),
    pytest.param("not-a-jwt", id="garbage"),
])
def test_forged_or_foreign_tokens_are_refused(token):
    with pytest.raises(Unauthenticated):
        TokenService(SECRET, 600).verify(token)


def test_without_a_configured_secret_each_process_gets_its_own():
    one, other = (TokenService.for_settings(settings(jwt_secret=None)) for _ in range(2))
    with pytest.raises(Unauthenticated):
        other.verify(one.issue(WHO))


def test_a_short_secret_is_rejected_at_start():
    with pytest.raises(ValidationError):
        settings(jwt_secret="too-short")
