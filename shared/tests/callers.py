"""How every test calls a service as the gateway does: with a token for that service alone,
signed by a test key the service under test trusts (`TRUST_TEST_KEY` in its settings, or
`service_app` for routes served without the service's own wiring)."""

import time
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import APIRouter, FastAPI
from jwt.algorithms import ECAlgorithm

from shared.auth import ALGORITHM, Authentication, GatewayTokens, KeySet
from shared.http import install_http
from shared.observability.metrics import Metrics
from shared.store.versions import Preconditions

KEY = ec.generate_private_key(ec.SECP256R1())
KID = "test-gateway"
ISSUER = "tft-gateway"
JWKS = {
    "keys": [
        ECAlgorithm.to_jwk(KEY.public_key(), as_dict=True)
        | {"kid": KID, "alg": ALGORITHM, "use": "sig"}
    ]
}
# Settings overrides: the service trusts the test key instead of fetching the gateway's.
TRUST_TEST_KEY: dict[str, Any] = {"gateway_jwks": JWKS}
# Headers are often built once per test module: their tokens outlive a whole test run.
LIFETIME_SECONDS = 6 * 3600


def token(
    service: str,
    *,
    key: Any = KEY,
    kid: str = KID,
    lifetime: int = LIFETIME_SECONDS,
    issued_at: float | None = None,
    algorithm: str = ALGORITHM,
    **claims: Any,
) -> str:
    """A token as the gateway signs it for a request to `service`; every part may be changed
    to forge one (`claims` override or add claims; a claim given as None is left out)."""
    now = int(time.time() if issued_at is None else issued_at)
    payload = {
        "iss": ISSUER,
        "aud": service,
        "sub": ISSUER,
        "iat": now,
        "exp": now + lifetime,
        "jti": str(uuid4()),
    } | claims
    return jwt.encode(
        {k: v for k, v in payload.items() if v is not None}, key, algorithm, headers={"kid": kid}
    )


def as_caller(
    service: str, role: str, organisation: str, actor: str | None = None
) -> dict[str, str]:
    """Headers of a request to `service` by `actor` (default: the organisation) in `role`."""
    return bearer(token(service, sub=actor or organisation, role=role, org=organisation))


def as_gateway(service: str) -> dict[str, str]:
    """Headers of a request the gateway makes for itself (sign-in, standing): no caller."""
    return bearer(token(service))


def bearer(signed: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {signed}"}


async def _ready() -> None:
    return None


def service_app(service: str, routes: Callable[[Any], APIRouter], rt: Any) -> FastAPI:
    """A service's routes over `rt` as the service serves them: authenticated, with problem
    details, ETag and If-Match, but without its store middleware, broker or lifespan."""
    app = FastAPI()
    tokens = GatewayTokens(KeySet("", ALGORITHM, fixed=JWKS), service, ISSUER)
    app.add_middleware(Authentication, tokens=tokens)
    app.add_middleware(Preconditions)
    install_http(app, Metrics(), _ready)
    app.include_router(routes(rt))
    return app
