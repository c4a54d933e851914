"""Who calls a service: a token the gateway signed for that one request, and nothing else.

For each request it forwards, the gateway signs a JWT (ES256) that lives a minute, whose
audience is the service it calls and whose claims say who asks (`sub`, `role`, `org`).
`Authentication` (ASGI middleware) verifies it against the gateway's published keys (its
JWKS, cached and fetched again for a `kid` it does not list), with the algorithm pinned and
issuer, audience and expiry required and checked. A request without such a token gets 401
and a log line with its path, address and reason; caller headers (`X-TFT-*`) are dropped,
so they grant nothing. Health and metrics stay open for probes and Prometheus.

The token checks and the JWKS cache serve the gateway too, for an external OIDC issuer.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import jwt
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.clock import SYSTEM_CLOCK, Clock
from shared.http import CALLER, Caller, problem_response
from shared.observability.logging import log
from shared.settings import ServiceSettings

ALGORITHM = "ES256"  # the gateway's keys; verification accepts nothing else
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud"]
# Clocks of a signer and a verifier may differ by this much.
CLOCK_SKEW_SECONDS = 30
# The longest a token may live, from its `iat` to its `exp`, whoever issued it.
MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class InvalidToken(Exception):
    """Why a token is refused, in Dutch."""


class KeysUnavailable(Exception):
    """The issuer's keys could not be fetched, and none are known yet."""


def key_id(token: str) -> str | None:
    try:
        return jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError as exc:
        raise InvalidToken(f"ongeldig token: {exc}") from exc


def decode(
    token: str,
    key: Any,
    *,
    algorithm: str,
    audience: str,
    issuer: str,
    max_lifetime: int = MAX_TOKEN_LIFETIME_SECONDS,
) -> dict[str, Any]:
    """The claims of a token signed by `key` with `algorithm` only, for `audience`, from
    `issuer`, not expired and living no longer than `max_lifetime` (RFC 8725)."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=audience,
            issuer=issuer,
            options={"require": REQUIRED_CLAIMS},
            leeway=CLOCK_SKEW_SECONDS,
        )
    except jwt.InvalidTokenError as exc:
        raise InvalidToken(f"ongeldig token: {exc}") from exc
    # A stolen token is only as bad as it is long-lived: one that claims to live longer than
    # any we accept is refused however well it is signed (PyJWT refuses a future `iat`).
    if claims["exp"] - claims["iat"] > max_lifetime:
        raise InvalidToken("ongeldig token: het is langer geldig dan is toegestaan")
    return claims


class KeySet:
    """An issuer's public keys by `kid`, from its JWKS URL (or a fixed JWKS).

    The JWKS is cached; a `kid` it does not list makes it fetch again (keys rotate), at most
    once per `refetch_seconds` so forged kids cannot hammer the issuer."""

    def __init__(
        self,
        url: str,
        algorithm: str,
        *,
        cache_seconds: float = 300,
        refetch_seconds: float = 10,
        fixed: dict[str, Any] | None = None,
        fetch: Callable[[str], Awaitable[dict]] | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.url, self._algorithm, self._clock = url, algorithm, clock
        self._cache_seconds, self._refetch_seconds = cache_seconds, refetch_seconds
        self._fetch = fetch or _fetch_json
        self._keys: dict[str, Any] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()
        if fixed is not None:
            self._keys, self._fetched_at = self._parse(fixed), float("inf")

    async def key(self, kid: str | None) -> Any:
        async with self._lock:
            age = self._clock.monotonic() - self._fetched_at
            if age > self._cache_seconds or (kid not in self._keys and age > self._refetch_seconds):
                await self._refresh()
        if kid not in self._keys:
            raise InvalidToken(
                "ongeldig token: getekend met een sleutel die de uitgever niet publiceert"
            )
        return self._keys[kid]

    async def _refresh(self) -> None:
        try:
            self._keys = self._parse(await self._fetch(self.url))
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, jwt.PyJWKError) as exc:
            log.warning("issuer keys unavailable", jwks_url=self.url, error=repr(exc))
            if not self._keys:
                raise KeysUnavailable(self.url) from exc
        self._fetched_at = self._clock.monotonic()

    def _parse(self, jwks: dict[str, Any]) -> dict[str, Any]:
        return {
            jwk["kid"]: jwt.PyJWK(jwk, self._algorithm).key
            for jwk in jwks.get("keys", [])
            if "kid" in jwk and jwk.get("use", "sig") == "sig"
        }


async def _fetch_json(url: str) -> dict:
    timeout = aiohttp.ClientTimeout(total=5)
    async with aiohttp.ClientSession(timeout=timeout, trust_env=False) as session:
        async with session.get(url) as answer:
            answer.raise_for_status()
            return await answer.json(content_type=None)


class GatewayTokens:
    """Verifies the tokens the gateway signs for one service (`audience`)."""

    def __init__(self, keys: KeySet, audience: str, issuer: str) -> None:
        self._keys, self.audience, self._issuer = keys, audience, issuer

    @classmethod
    def for_settings(cls, settings: ServiceSettings) -> "GatewayTokens":
        keys = KeySet(
            settings.gateway_jwks_url, ALGORITHM, refetch_seconds=1, fixed=settings.gateway_jwks
        )
        return cls(keys, settings.service, settings.gateway_issuer)

    async def verify(self, token: str) -> Caller | None:
        """The caller the token names; None when the gateway asks for itself (no role)."""
        key = await self._keys.key(key_id(token))
        claims = decode(
            token, key, algorithm=ALGORITHM, audience=self.audience, issuer=self._issuer
        )
        if "role" not in claims:
            return None
        if not (isinstance(claims["role"], str) and isinstance(claims.get("org"), str)):
            raise InvalidToken("ongeldig token: geen geldige rol of organisatie")
        return Caller(actor=str(claims["sub"]), role=claims["role"], organisation=claims["org"])


class Authentication:
    """Lets a request in only with a valid gateway token for this service."""

    def __init__(self, app: ASGIApp, tokens: GatewayTokens) -> None:
        self.app, self.tokens = app, tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        scheme, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
        try:
            if scheme.lower() != "bearer" or not token:
                raise InvalidToken("geen token: alleen de gateway mag deze dienst aanroepen")
            caller = await self.tokens.verify(token)
        except InvalidToken as refused:
            await self._refuse(scope, receive, send, str(refused))
            return
        except KeysUnavailable as exc:
            log.warning(
                "request refused: the gateway's keys are unavailable",
                path=scope["path"],
                jwks_url=str(exc),
            )
            await problem_response(
                503,
                "Service unavailable",
                "de sleutels van de gateway zijn niet bereikbaar; probeer het zo opnieuw",
            )(scope, receive, send)
            return
        # Who calls is the token's word alone: headers that claim it are dropped.
        scope["headers"] = [
            (name, value)
            for name, value in scope["headers"]
            if not name.lower().startswith(b"x-tft-")
        ]
        scope.setdefault("state", {})[CALLER] = caller
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, reason: str) -> None:
        log.warning(
            "request refused: no valid token",
            method=scope["method"],
            path=scope["path"],
            address=(scope.get("client") or ("unknown",))[0],
            reason=reason,
        )
        response = problem_response(401, "Unauthenticated", reason)
        response.headers["WWW-Authenticate"] = 'Bearer realm="tft-services"'
        await response(scope, receive, send)
