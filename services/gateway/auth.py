"""Who is calling: the tokens the gateway issues, and their verification.

`TokenService` is the one place that signs and verifies the gateway's own tokens: ES256
(algorithm pinned), `iss`, `aud` and `exp` required and checked, `kid` naming the key. It
also signs the token of each forwarded request, which the service verifies (shared/auth.py).
`OidcIssuer` verifies the tokens of an external OpenID Connect issuer instead, against the
keys its JWKS publishes. Both are a `Verifier` to the routes (RFC 8725). Both remember a
token they verified until it expires (`VerifiedTokens`): a caller sends the same one with
every request, and its ES256 verification was the largest part of the gateway's crypto.
"""

import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import uuid4

import jwt
from fastapi import Request, Response
from fastapi.routing import APIRoute

from services.gateway.keys import (
    ALGORITHM,
    SigningKey,
    VerificationKey,
    load_verification_key,
)
from services.gateway.settings import GatewaySettings
from shared.auth import (
    InvalidToken,
    KeySet,
    KeysUnavailable,
    decode,
    key_id,
)
from shared.clock import SYSTEM_CLOCK, Clock
from shared.domain import (
    ADMIN,
    BACKOFFICE,
    COMPANY,
    FINANCE,
    MUNICIPALITY,
    PROGRAMME,
    ROLES,
    SCHOOL,
    TEACHER,
)
from shared.http import Problem, problem_response
from shared.observability.logging import log

__all__ = [
    "ADMIN",
    "BACKOFFICE",
    "COMPANY",
    "FINANCE",
    "MUNICIPALITY",
    "PROGRAMME",
    "SCHOOL",
    "TEACHER",
]

ISSUER = "tft-gateway"
AUDIENCE = "tft-api"
# A token the gateway signs for one forwarded request lives this long (shared/auth.py).
REQUEST_TOKEN_SECONDS = 60
# Callers' tokens whose verification is remembered (about 200 bytes each).
VERIFIED_TOKENS = 10_000


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: what the services receive in the token of each request."""

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


class Verifier(Protocol):
    async def verify(self, token: str) -> Principal: ...


class VerifiedTokens:
    """The principals of tokens verified already, by the token's SHA-256, until they expire.

    A caller sends the same token with every request for up to an hour, and the same bytes
    verify the same way until their `exp`: a tampered token is other bytes, so it is
    verified (and refused) in full. The least recently used go first past `size`."""

    def __init__(self, clock: Clock, size: int = VERIFIED_TOKENS) -> None:
        self._clock, self._size = clock, size
        self._known: OrderedDict[bytes, tuple[float, Principal]] = OrderedDict()

    def get(self, token: str) -> Principal | None:
        digest = _digest(token)
        expires, who = self._known.get(digest, (0.0, None))
        if who is None:
            return None
        if self._clock.now().timestamp() >= expires:
            del self._known[digest]
            return None
        self._known.move_to_end(digest)
        return who

    def keep(self, token: str, claims: Mapping[str, Any], who: Principal) -> Principal:
        self._known[_digest(token)] = (float(claims["exp"]), who)
        if len(self._known) > self._size:
            self._known.popitem(last=False)
        return who


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class TokenService:
    """Issues and verifies the gateway's own bearer tokens (JWT, ES256)."""

    def __init__(
        self,
        current: SigningKey,
        ttl_seconds: int,
        *,
        previous: VerificationKey | None = None,
        issuer: str = ISSUER,
        audience: str = AUDIENCE,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._current = current
        self._kid = current.verification.kid
        self._keys = {key.kid: key for key in (previous, current.verification) if key}
        self.ttl_seconds = ttl_seconds
        self._issuer, self._audience, self._clock = issuer, audience, clock
        self._verified = VerifiedTokens(clock)

    @classmethod
    def for_settings(cls, settings: GatewaySettings) -> "TokenService":
        if settings.jwt_key_file is not None:
            current = SigningKey.from_pem(settings.jwt_key_file.read_bytes())
        else:
            log.warning(
                "TFT_JWT_KEY_FILE not set: SIGNING WITH A KEY GENERATED AT START-UP; "
                "tokens die with this process and other replicas refuse them"
            )
            current = SigningKey.generate()
        previous = (
            load_verification_key(settings.jwt_previous_key_file)
            if settings.jwt_previous_key_file
            else None
        )
        return cls(
            current,
            settings.jwt_ttl_seconds,
            previous=previous,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )

    def issue(self, who: Principal) -> str:
        now = int(self._clock.now().timestamp())
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": who.subject,
            "role": who.role,
            "org": who.organisation,
            "iat": now,
            "exp": now + self.ttl_seconds,
            "jti": str(uuid4()),
        }
        return self._sign(claims)

    def for_request(
        self, service: str, who: Principal | None, on_behalf_of: str | None = None
    ) -> str:
        """A token for one request to `service` (its audience) as `who`, or, without `who`,
        as the gateway itself (no role); `obo` names the school the backoffice acts for."""
        now = int(self._clock.now().timestamp())
        claims: dict[str, Any] = {
            "iss": self._issuer,
            "aud": service,
            "sub": self._issuer,
            "iat": now,
            "exp": now + REQUEST_TOKEN_SECONDS,
            "jti": str(uuid4()),
        }
        if who is not None:
            claims |= {"sub": who.subject, "role": who.role, "org": who.organisation}
        if on_behalf_of is not None:
            claims["obo"] = on_behalf_of
        return self._sign(claims)

    def _sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(
            claims, self._current.private, algorithm=ALGORITHM, headers={"kid": self._kid}
        )

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.jwk() for key in self._keys.values()]}

    def check(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None:
            return known
        key = self._keys.get(_kid(token) or "")
        if key is None:
            raise Unauthenticated(
                "ongeldig token: getekend met een sleutel die de gateway niet kent"
            )
        claims = _decode(token, key.public, ALGORITHM, self._audience, self._issuer)
        return self._verified.keep(token, claims, principal_of(claims))

    async def verify(self, token: str) -> Principal:
        return self.check(token)


class OidcIssuer:
    """Tokens of an external OpenID Connect issuer, checked against its published keys
    (cached; see `shared.auth.KeySet`)."""

    def __init__(
        self,
        issuer: str,
        jwks_url: str,
        audience: str,
        algorithm: str,
        *,
        role_claim: str = "role",
        org_claim: str = "org",
        role_map: Mapping[str, str] | None = None,
        cache_seconds: float = 300,
        refetch_seconds: float = 10,
        fetch: Callable[[str], Awaitable[dict]] | None = None,
    ) -> None:
        self.issuer, self._audience, self._algorithm = issuer, audience, algorithm
        self._role_claim, self._org_claim = role_claim, org_claim
        self._role_map = dict(role_map or {})
        self._verified = VerifiedTokens(SYSTEM_CLOCK)
        self._keys = KeySet(
            jwks_url,
            algorithm,
            cache_seconds=cache_seconds,
            refetch_seconds=refetch_seconds,
            fetch=fetch,
        )

    @classmethod
    def for_settings(cls, settings: GatewaySettings) -> "OidcIssuer":
        if not (settings.oidc_issuer and settings.oidc_jwks_url and settings.oidc_audience):
            raise ValueError("TFT_OIDC_ISSUER needs TFT_OIDC_JWKS_URL and TFT_OIDC_AUDIENCE")
        return cls(
            settings.oidc_issuer,
            settings.oidc_jwks_url,
            settings.oidc_audience,
            settings.oidc_algorithm,
            role_claim=settings.oidc_role_claim,
            org_claim=settings.oidc_org_claim,
            role_map=settings.oidc_role_map,
            cache_seconds=settings.oidc_jwks_cache_seconds,
        )

    async def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None:
            return known
        try:
            key = await self._keys.key(_kid(token))
        except InvalidToken as exc:
            raise Unauthenticated(str(exc)) from exc
        except KeysUnavailable as exc:
            raise Problem(
                503, "Service unavailable", "de sleutels van de inlogdienst zijn niet bereikbaar"
            ) from exc
        claims = _decode(token, key, self._algorithm, self._audience, self.issuer)
        who = principal_of(claims, self._role_claim, self._org_claim, self._role_map)
        return self._verified.keep(token, claims, who)


def _kid(token: str) -> str | None:
    try:
        return key_id(token)
    except InvalidToken as exc:
        raise Unauthenticated(str(exc)) from exc


def _decode(token: str, key: Any, algorithm: str, audience: str, issuer: str) -> dict:
    try:
        return decode(token, key, algorithm=algorithm, audience=audience, issuer=issuer)
    except InvalidToken as exc:
        raise Unauthenticated(str(exc)) from exc


def principal_of(
    claims: Mapping[str, Any],
    role_claim: str = "role",
    org_claim: str = "org",
    role_map: Mapping[str, str] | None = None,
) -> Principal:
    claimed, org = claims.get(role_claim), claims.get(org_claim)
    # Issuers often send a list of roles: the first that maps to one of ours wins.
    names = claimed if isinstance(claimed, list) else [claimed]
    mapped = [(role_map or {}).get(name, name) for name in names if isinstance(name, str)]
    role = next((name for name in mapped if name in ROLES), None)
    if role is None or not isinstance(org, str) or not org:
        raise Unauthenticated("ongeldig token: geen geldige rol of organisatie")
    return Principal(str(claims["sub"]), role, org)
