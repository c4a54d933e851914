"""Who is calling: accounts, the tokens the gateway issues, and their verification.

Backbone slice: symmetric HS256 tokens and demo accounts. `TokenService` is the one place
that signs and verifies, so asymmetric keys and a JWKS endpoint can replace its key later.
"""

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import uuid4

import jwt
from fastapi import Request, Response
from fastapi.routing import APIRoute

from services.gateway.settings import GatewaySettings
from shared.http import Problem, problem_response
from shared.observability.logging import log
from shared.seed.partners import COMPANIES
from shared.seed.region import HARD_TECH_SCHOOL_IDS

ISSUER = "tft-gateway"
AUDIENCE = "tft-api"
ALGORITHM = "HS256"
from shared.domain import (  # noqa: E402
    ADMIN,
    BACKOFFICE,
    COMPANY,
    FINANCE,
    PROGRAMME,
    ROLES,
    SCHOOL,
)


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: what the services receive in the X-TFT-* headers."""

    subject: str
    role: str
    organisation: str


class Unauthenticated(Problem):
    """A 401 that carries the challenge header RFC 9110 requires."""

    def __init__(self, detail: str) -> None:
        super().__init__(401, "Unauthenticated", detail)

    def response(self) -> Response:
        response = problem_response(self.status, self.title, self.detail)
        response.headers["WWW-Authenticate"] = 'Bearer realm="tft-api"'
        return response


class BearerRoute(APIRoute):
    """Route class that turns `Unauthenticated` into a 401 with `WWW-Authenticate`.

    The shared problem handler knows no headers, so the gateway answers these itself.
    """

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except Unauthenticated as exc:
                return exc.response()

        return handle


class Accounts:
    """Username/password accounts. Only demo accounts exist in this slice."""

    def __init__(self, accounts: dict[str, Principal], password: str) -> None:
        self._accounts = accounts
        self._password = password.encode()

    @classmethod
    def for_settings(cls, settings: GatewaySettings) -> "Accounts":
        if not settings.demo:
            return cls({}, "")
        log.warning("demo accounts enabled: never run demo mode in production")
        return cls(demo_accounts(), settings.demo_password.get_secret_value())

    def authenticate(self, username: str, password: str) -> Principal:
        account = self._accounts.get(username)
        # Compare even for unknown users so timing does not reveal which names exist.
        matches = hmac.compare_digest(password.encode(), self._password)
        if account is None or not matches:
            raise Unauthenticated("unknown user or wrong password")
        return account


def demo_accounts() -> dict[str, Principal]:
    accounts = {
        BACKOFFICE: Principal(BACKOFFICE, BACKOFFICE, BACKOFFICE),
        FINANCE: Principal(FINANCE, FINANCE, FINANCE),
        "programma": Principal("programma", PROGRAMME, "tft"),
        ADMIN: Principal(ADMIN, ADMIN, "tft"),
    }
    accounts.update({c.id: Principal(c.id, COMPANY, c.id) for c in COMPANIES})
    accounts.update({s: Principal(s, SCHOOL, s) for s in HARD_TECH_SCHOOL_IDS})
    return accounts


class TokenService:
    """Issues and verifies the gateway's bearer tokens (JWT)."""

    def __init__(self, secret: str, ttl_seconds: int,
                 clock: Callable[[], float] = time.time) -> None:
        self._secret = secret
        self.ttl_seconds = ttl_seconds
        self._clock = clock

    @classmethod
    def for_settings(cls, settings: GatewaySettings) -> "TokenService":
        if settings.jwt_secret is not None:
            return cls(settings.jwt_secret.get_secret_value(), settings.jwt_ttl_seconds)
        log.warning("TFT_JWT_SECRET not set: signing with a random key, "
                    "tokens die with this process and other replicas refuse them")
        return cls(secrets.token_urlsafe(48), settings.jwt_ttl_seconds)

    def issue(self, who: Principal) -> str:
        now = int(self._clock())
        claims = {
            "iss": ISSUER, "aud": AUDIENCE, "sub": who.subject, "role": who.role,
            "org": who.organisation, "iat": now, "exp": now + self.ttl_seconds,
            "jti": str(uuid4()),
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.InvalidTokenError as exc:
            raise Unauthenticated(f"invalid token: {exc}") from exc
        role, org = claims.get("role"), claims.get("org")
        if role not in ROLES or not isinstance(org, str) or not org:
            raise Unauthenticated("invalid token: no valid role or organisation")
        return Principal(claims["sub"], role, org)
