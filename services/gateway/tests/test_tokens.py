"""The gateway's own tokens (ES256, rotating keys) and those of an external OIDC issuer."""

import base64
import hmac
import json
import time
from datetime import UTC, datetime, timedelta
from hashlib import sha256

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from services.gateway import auth
from services.gateway.auth import (
    AUDIENCE,
    ISSUER,
    OidcIssuer,
    Principal,
    TokenService,
    Unauthenticated,
    VerifiedTokens,
)
from services.gateway.keys import SigningKey
from services.gateway.tests.conftest import login, running, settings
from shared.clock import SYSTEM_CLOCK
from shared.tests.clock import ManualClock

WHO = Principal("corlaer", "school", "corlaer")
KEY = SigningKey.generate()
KID = KEY.verification.kid


def claims(**overrides) -> dict:
    now = int(time.time())
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "corlaer",
        "role": "school",
        "org": "corlaer",
        "iat": now,
        "exp": now + 60,
    } | overrides


def signed(payload: dict, key=KEY.private, algorithm="ES256", kid=KID) -> str:
    return jwt.encode(payload, key, algorithm, headers={"kid": kid})


def public_pem() -> bytes:
    return KEY.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def forged_hs256_with_public_key() -> str:
    """The classic key-confusion attack; PyJWT refuses to even sign it, so build it by hand."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(b'{"alg":"HS256","typ":"JWT","kid":"%s"}' % KID.encode())
    body = b64(json.dumps(claims()).encode())
    mac = hmac.new(public_pem(), f"{header}.{body}".encode(), sha256).digest()
    return f"{header}.{body}.{b64(mac)}"


def test_issued_token_verifies_to_the_same_principal_and_names_its_key():
    tokens = TokenService(KEY, 600)
    token = tokens.issue(WHO)
    assert jwt.get_unverified_header(token) == {"alg": "ES256", "typ": "JWT", "kid": KID}
    assert tokens.check(token) == WHO


def test_expired_token_is_refused():
    old = TokenService(KEY, 60, clock=ManualClock(datetime.now(UTC) - timedelta(hours=1)))
    with pytest.raises(Unauthenticated, match="expired"):
        TokenService(KEY, 60).check(old.issue(WHO))


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(signed(claims(aud="other-api")), id="wrong audience"),
        pytest.param(signed(claims(iss="someone")), id="wrong issuer"),
        pytest.param(jwt.encode(claims(), None, "none", headers={"kid": KID}), id="alg none"),
        pytest.param(signed(claims(), SigningKey.generate().private), id="signed by another key"),
        pytest.param(
            signed(
                claims(), SigningKey.generate().private, kid=SigningKey.generate().verification.kid
            ),
            id="unknown kid",
        ),
        pytest.param(forged_hs256_with_public_key(), id="HS256 with the public key as secret"),
        pytest.param(signed(claims(role="superuser")), id="unknown role"),
        pytest.param(signed(claims(org="")), id="no organisation"),
        pytest.param(signed({k: v for k, v in claims().items() if k != "exp"}), id="no expiry"),
        pytest.param(signed(claims(exp=int(time.time()) + 30 * 86400)), id="lives 30 days"),
        pytest.param(
            signed(claims(iat=int(time.time()) + 3600, exp=int(time.time()) + 7200)),
            id="issued in the future",
        ),
        pytest.param("not-a-jwt", id="garbage"),
    ],
)
def test_forged_or_foreign_tokens_are_refused(token):
    with pytest.raises(Unauthenticated):
        TokenService(KEY, 600).check(token)


@pytest.fixture
def decoded(monkeypatch) -> list[str]:
    """The tokens whose signature and claims were checked, in order."""
    seen: list[str] = []

    def counting(token, *args, **kwargs):
        seen.append(token)
        return decode(token, *args, **kwargs)

    decode = auth.decode
    monkeypatch.setattr(auth, "decode", counting)
    return seen


def test_a_token_is_verified_once_until_it_expires(decoded):
    clock = ManualClock(datetime.now(UTC))
    tokens = TokenService(KEY, 60, clock=clock)
    token = tokens.issue(WHO)
    assert [tokens.check(token) for _ in range(3)] == [WHO] * 3
    assert decoded == [token]
    clock.advance(60)  # its `exp`: from here on it is checked in full again (and refused)
    assert tokens.check(token) == WHO  # PyJWT's clock is the real one: still valid to it
    assert decoded == [token, token]


def test_a_tampered_copy_of_a_verified_token_is_refused(decoded):
    tokens = TokenService(KEY, 600)
    token = tokens.issue(WHO)
    assert tokens.check(token) == WHO
    header, _, signature = token.split(".")
    promoted = base64.urlsafe_b64encode(json.dumps(claims(role="backoffice")).encode())
    with pytest.raises(Unauthenticated, match="Signature"):
        tokens.check(f"{header}.{promoted.rstrip(b'=').decode()}.{signature}")
    with pytest.raises(Unauthenticated, match="Signature"):
        tokens.check(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert len(decoded) == 3


def test_verified_tokens_are_bounded_least_recently_used_first():
    verified = VerifiedTokens(SYSTEM_CLOCK, size=2)
    exp = {"exp": time.time() + 60}
    for token in ("a", "b"):
        verified.keep(token, exp, WHO)
    assert verified.get("a") == WHO  # "b" is now the least recently used
    verified.keep("c", exp, WHO)
    assert (verified.get("a"), verified.get("b"), verified.get("c")) == (WHO, None, WHO)


def test_after_a_rotation_tokens_of_the_previous_key_still_verify():
    before = TokenService(KEY, 600).issue(WHO)
    rotated = TokenService(SigningKey.generate(), 600, previous=KEY.verification)
    assert rotated.check(before) == WHO
    assert {k["kid"] for k in rotated.jwks()["keys"]} == {
        KID,
        jwt.get_unverified_header(rotated.issue(WHO))["kid"],
    }


def test_without_a_key_file_each_process_generates_its_own():
    one, other = (TokenService.for_settings(settings()) for _ in range(2))
    with pytest.raises(Unauthenticated):
        other.check(one.issue(WHO))


def test_key_files_are_read_and_the_previous_may_be_public_only(tmp_path):
    current, previous = tmp_path / "current.pem", tmp_path / "previous.pub.pem"
    current.write_bytes(SigningKey.generate().pem())
    previous.write_bytes(public_pem())
    tokens = TokenService.for_settings(
        settings(jwt_key_file=current, jwt_previous_key_file=previous)
    )
    assert tokens.check(TokenService(KEY, 60).issue(WHO)) == WHO


async def test_jwks_endpoint_verifies_issued_tokens(echo):
    async with running(echo) as client:
        auth = await login(client, "corlaer")
        jwks = (await client.get("/api/v1/auth/jwks.json")).json()
        well_known = (await client.get("/.well-known/jwks.json")).json()
    assert well_known == jwks
    token = auth["Authorization"].removeprefix("Bearer ")
    key = jwt.PyJWKSet(jwks["keys"])[jwt.get_unverified_header(token)["kid"]].key
    assert jwt.decode(token, key, ["ES256"], audience=AUDIENCE)["sub"] == "corlaer"


# An external OpenID Connect issuer, with its JWKS on a real local HTTP server.
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
IDP = "https://login.example.org/realms/tft"


def idp_token(key=RSA_KEY, kid="idp-1", **overrides) -> str:
    payload = (
        claims(
            iss=IDP,
            aud="tft-gateway-client",
            sub="u-42",
            roles=["offline_access", "tft-finance"],
            tenant="finance",
        )
        | overrides
    )
    return jwt.encode(payload, key, "RS256", headers={"kid": kid})


@pytest.fixture
async def idp_jwks_url():
    jwk = RSAAlgorithm.to_jwk(RSA_KEY.public_key(), as_dict=True) | {"kid": "idp-1"}

    async def certs(_request: web.Request) -> web.Response:
        return web.json_response({"keys": [jwk]})

    app = web.Application()
    app.router.add_get("/certs", certs)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    yield str(server.make_url("/certs"))
    await server.close()


def oidc_settings(jwks_url: str):
    return settings(
        oidc_issuer=IDP,
        oidc_jwks_url=jwks_url,
        oidc_audience="tft-gateway-client",
        oidc_role_claim="roles",
        oidc_org_claim="tenant",
        oidc_role_map={"tft-finance": "finance"},
    )


async def test_oidc_issuer_tokens_map_to_our_roles(idp_jwks_url):
    issuer = OidcIssuer.for_settings(oidc_settings(idp_jwks_url))
    assert await issuer.verify(idp_token()) == Principal("u-42", "finance", "finance")


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(idp_token(aud="someone-else"), id="wrong audience"),
        pytest.param(idp_token(exp=int(time.time()) - 60), id="expired"),
        pytest.param(idp_token(exp=int(time.time()) + 365 * 86400), id="lives a year"),
        pytest.param(
            idp_token(key=rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            id="signed by another key",
        ),
        pytest.param(idp_token(roles=["tft-unknown"]), id="no role of ours"),
        pytest.param(signed(claims(iss=IDP, aud="tft-gateway-client")), id="ES256 not pinned one"),
        pytest.param(TokenService(KEY, 60).issue(WHO), id="the gateway's own token"),
    ],
)
async def test_oidc_mode_refuses_foreign_tokens(idp_jwks_url, token):
    issuer = OidcIssuer.for_settings(oidc_settings(idp_jwks_url))
    with pytest.raises(Unauthenticated):
        await issuer.verify(token)


async def test_oidc_mode_guards_routes_and_turns_demo_login_off(idp_jwks_url, echo):
    async with running(
        echo,
        **oidc_settings(idp_jwks_url).model_dump(
            include={
                "oidc_issuer",
                "oidc_jwks_url",
                "oidc_audience",
                "oidc_role_claim",
                "oidc_org_claim",
                "oidc_role_map",
            }
        ),
    ) as client:
        declared = await client.get(
            "/api/v1/finance/budget", headers={"Authorization": f"Bearer {idp_token()}"}
        )
        login_answer = await client.post(
            "/api/v1/auth/token", json={"username": "finance", "password": "demo"}
        )
    assert declared.status_code == 200
    assert login_answer.status_code == 401
