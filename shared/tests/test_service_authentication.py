"""A service believes only a token the gateway signed for it (shared.auth): whatever else a
caller sends gets 401 with a Dutch detail and a log line; health and metrics stay open."""

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import APIRouter, Depends, Request
from jwt.algorithms import ECAlgorithm
from structlog.testing import capture_logs

from shared.auth import ALGORITHM, GatewayTokens, InvalidToken, KeySet
from shared.http import Caller, current_caller
from shared.tests.callers import (
    ISSUER,
    JWKS,
    KEY,
    KID,
    as_caller,
    as_gateway,
    bearer,
    service_app,
    token,
)

OTHER_KEY = ec.generate_private_key(ec.SECP256R1())


def routes(_rt) -> APIRouter:
    router = APIRouter()

    @router.get("/whoami")
    async def whoami(request: Request, who: Caller = Depends(current_caller)) -> dict:
        claimed = [name for name in request.headers if name.startswith("x-tft-")]
        return {
            "actor": who.actor,
            "role": who.role,
            "organisation": who.organisation,
            "headers_seen": claimed,
        }

    @router.get("/for-the-gateway")
    async def for_the_gateway() -> dict:
        return {"ok": True}

    return router


@pytest.fixture
async def client():
    app = service_app("bookings", routes, None)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bookings"
    ) as http:
        yield http


def forged_hs256_with_the_public_key() -> str:
    """Key confusion: HMAC keyed with the public key; PyJWT refuses to sign it, so by hand."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    public = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KID}).encode())
    body = b64(
        json.dumps(
            {
                "iss": ISSUER,
                "aud": "bookings",
                "sub": "x",
                "role": "backoffice",
                "org": "backoffice",
                "iat": now,
                "exp": now + 60,
            }
        ).encode()
    )
    mac = hmac.new(public, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64(mac)}"


BACKOFFICE = {"sub": "mallory", "role": "backoffice", "org": "backoffice"}
FORGED_HEADERS = {
    "X-TFT-Role": "backoffice",
    "X-TFT-Actor": "backoffice",
    "X-TFT-Organisation": "backoffice",
}


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no token"),
        pytest.param(FORGED_HEADERS, id="caller headers alone"),
        pytest.param({"Authorization": "Basic YmFja29mZmljZTpkZW1v"}, id="not a bearer"),
        pytest.param(bearer("not-a-jwt"), id="garbage"),
        pytest.param(
            bearer(token("bookings", key=OTHER_KEY, **BACKOFFICE)),
            id="signed by another key under the gateway's kid",
        ),
        pytest.param(
            bearer(token("bookings", key=OTHER_KEY, kid="other", **BACKOFFICE)), id="unknown kid"
        ),
        pytest.param(bearer(token("finance", **BACKOFFICE)), id="for another service"),
        pytest.param(bearer(token("tft-api", **BACKOFFICE)), id="a person's gateway token"),
        pytest.param(bearer(token("bookings", iss="someone", **BACKOFFICE)), id="another issuer"),
        pytest.param(
            bearer(token("bookings", issued_at=time.time() - 600, lifetime=60, **BACKOFFICE)),
            id="expired",
        ),
        pytest.param(
            bearer(token("bookings", lifetime=30 * 86400, **BACKOFFICE)), id="lives 30 days"
        ),
        pytest.param(bearer(token("bookings", exp=None, **BACKOFFICE)), id="no expiry"),
        pytest.param(
            bearer(token("bookings", key=None, algorithm="none", **BACKOFFICE)), id="alg none"
        ),
        pytest.param(bearer(forged_hs256_with_the_public_key()), id="HS256 with the public key"),
    ],
)
async def test_anything_but_a_valid_token_for_this_service_is_refused(client, headers):
    with capture_logs() as logs:
        answer = await client.get("/whoami", headers=headers | FORGED_HEADERS)
    assert answer.status_code == 401, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"].startswith("Bearer")
    problem = answer.json()
    assert problem["title"] == "Unauthenticated" and problem["detail"]
    [refusal] = [line for line in logs if line["event"] == "request refused: no valid token"]
    assert (refusal["method"], refusal["path"], refusal["address"]) == (
        "GET",
        "/whoami",
        "127.0.0.1",
    )
    assert refusal["reason"] == problem["detail"]


async def test_without_a_token_the_detail_says_so_in_dutch(client):
    answer = await client.get("/whoami", headers=FORGED_HEADERS)
    assert answer.json()["detail"] == "geen token: alleen de gateway mag deze dienst aanroepen"


async def test_the_caller_is_the_tokens_and_caller_headers_never_reach_the_route(client):
    answer = await client.get(
        "/whoami", headers=as_caller("bookings", "school", "corlaer") | FORGED_HEADERS
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "actor": "corlaer",
        "role": "school",
        "organisation": "corlaer",
        "headers_seen": [],
    }


async def test_the_gateway_asking_for_itself_reaches_its_routes_but_is_no_caller(client):
    assert (await client.get("/for-the-gateway", headers=as_gateway("bookings"))).json() == {
        "ok": True
    }
    nobody = await client.get("/whoami", headers=as_gateway("bookings"))
    assert nobody.status_code == 401
    assert nobody.json()["detail"] == "het verzoek zegt niet wie het doet"


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
async def test_probes_and_metrics_need_no_token(client, path):
    assert (await client.get(path)).status_code == 200


async def test_keys_are_fetched_cached_and_fetched_again_for_a_new_kid():
    """The gateway's JWKS over HTTP: one fetch for many requests; a rotation (a kid the
    cache lacks) is fetched at once."""
    published = {"keys": list(JWKS["keys"])}
    fetches = []

    async def jwks(_request: web.Request) -> web.Response:
        fetches.append(time.monotonic())
        return web.json_response(published)

    app = web.Application()
    app.router.add_get("/.well-known/jwks.json", jwks)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        keys = KeySet(str(server.make_url("/.well-known/jwks.json")), ALGORITHM, refetch_seconds=0)
        tokens = GatewayTokens(keys, "bookings", ISSUER)
        for _ in range(3):
            assert await tokens.verify(token("bookings", **BACKOFFICE)) is not None
        assert len(fetches) == 1
        rotated = ec.generate_private_key(ec.SECP256R1())
        published["keys"].append(
            ECAlgorithm.to_jwk(rotated.public_key(), as_dict=True)
            | {"kid": "rotated", "alg": ALGORITHM, "use": "sig"}
        )
        new = token("bookings", key=rotated, kid="rotated", **BACKOFFICE)
        assert (await tokens.verify(new)) == Caller("mallory", "backoffice", "backoffice")
        assert len(fetches) == 2
        with pytest.raises(InvalidToken):
            await tokens.verify(token("bookings", key=OTHER_KEY, kid="unknown", **BACKOFFICE))
    finally:
        await server.close()
