"""The public API, /api/v1: authenticates the caller, checks what it can, forwards the rest.

Every route is explicit (so the OpenAPI says what exists) and ends in `Upstreams.forward`;
the services stay the authority on their own rules and check the caller again. The routes
of each service live in `services.gateway.routes.<service>`.
"""

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from services.gateway import people
from services.gateway.audit import AuditLog
from services.gateway.auth import (
    ADMIN,
    BearerRoute,
    Principal,
    TokenService,
    Unauthenticated,
    Verifier,
)
from services.gateway.ratelimit import Limit, LoginThrottle, RateLimits
from services.gateway.routes import (
    bookings,
    directory,
    events,
    finance,
    loans,
    notify,
    programme,
)
from services.gateway.routes.common import Gate, Page
from services.gateway.settings import GatewaySettings
from services.gateway.upstream import Upstreams
from shared.contracts.common import Text
from shared.service import LeanRuntime


class Login(BaseModel):
    username: Text = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class AccessToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class ProblemDetails(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None


class AuditEntry(BaseModel):
    at: str
    actor: str | None
    role: str | None
    organisation: str | None
    method: str
    path: str
    status: int
    replayed: bool
    request_id: str | None
    address: str
    # The school the backoffice acted for (a booking, registration or reservation on its
    # behalf); null when the caller acted for itself.
    on_behalf_of: str | None = None


def routes(
    rt: LeanRuntime[GatewaySettings],
    tokens: TokenService | None = None,
    verifier: Verifier | None = None,
    audit: AuditLog | None = None,
    upstreams: Upstreams | None = None,
) -> APIRouter:
    """`tokens`, `verifier`, `audit` and `upstreams` are shared with the edge middleware
    (see `app.py`)."""
    settings = rt.settings
    tokens = tokens or TokenService.for_settings(settings)
    upstreams = upstreams or Upstreams.for_settings(settings, tokens)
    verifier = verifier or people.verifier_for(settings, tokens, upstreams)
    audit = audit or AuditLog(settings.audit_path)
    assert rt.db is not None, "the limits live in the gateway's store"
    throttle = LoginThrottle(
        RateLimits(rt.db),
        Limit(
            "login-failures",
            1 / settings.login_failure_refill_seconds,
            settings.login_failures_per_username,
        ),
        Limit("login-address", settings.login_rate_per_address, settings.login_burst_per_address),
    )
    router = APIRouter(
        prefix="/api/v1",
        route_class=BearerRoute,
        lifespan=upstreams.lifespan,
        responses={
            401: {"model": ProblemDetails, "description": "No valid bearer token"},
            503: {"model": ProblemDetails, "description": "A service behind the gateway is down"},
        },
    )

    @router.get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request) -> dict[str, Any]:
        return request.app.openapi()

    @router.post("/auth/token", response_model=AccessToken, tags=["auth"])
    async def token(body: Login, request: Request, response: Response) -> AccessToken:
        """A token for an active person of the directory (which checks the password)."""
        if settings.oidc_issuer:
            raise Unauthenticated("tokens come from the identity provider, not from here")
        await throttle.admit(body.username, (request.client or ("unknown",))[0])
        try:
            who = await people.sign_in(upstreams, body.username, body.password)
        except Unauthenticated:
            await throttle.failed(body.username)
            raise
        response.headers["Cache-Control"] = "no-store"  # RFC 6749, 5.1
        return AccessToken(access_token=tokens.issue(who), expires_in=tokens.ttl_seconds)

    @router.get("/auth/jwks.json", tags=["auth"])
    async def jwks(response: Response) -> dict[str, Any]:
        """The public keys that verify the gateway's tokens (the current and the previous)."""
        response.headers["Cache-Control"] = "public, max-age=300"
        return tokens.jwks()

    gate = Gate(verifier, upstreams.forward, upstreams.ask)

    @router.get("/audit", tags=["audit"])
    async def audit_log(paging: Page, who: Principal = gate.guard(ADMIN)) -> list[AuditEntry]:
        """The gateway's audit log of state-changing calls, newest first (admin only)."""
        entries = await run_in_threadpool(audit.latest, paging["limit"], paging["offset"])
        return [AuditEntry(**entry) for entry in entries]

    for service in (bookings, loans, events, finance, notify, directory, programme):
        router.include_router(service.routes(gate))
    return router
