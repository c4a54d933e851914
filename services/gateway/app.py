"""Wiring of the gateway: no store, no consumers; HTTP clients live in the router's lifespan.

`app()` is the gateway: the shared service app plus the edge middleware (`edge.py`), which
shares the token verifier with the routes.
"""

from dataclasses import replace
from functools import partial

from fastapi import FastAPI

from services.gateway import api, docs, edge, people
from services.gateway.audit import AuditLog
from services.gateway.auth import TokenService
from services.gateway.settings import GatewaySettings
from services.gateway.upstream import Upstreams
from shared.service import LeanSpec, create_app

SPEC = LeanSpec(
    name="gateway",
    title="TFT gateway",
    routes=api.routes,
    settings=GatewaySettings,
)


def app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings(service=SPEC.name)
    tokens = TokenService.for_settings(settings)
    upstreams = Upstreams.for_settings(settings, tokens)
    verifier = people.verifier_for(settings, tokens, upstreams)
    audit = AuditLog(settings.audit_path)
    routes = partial(api.routes, tokens=tokens, verifier=verifier, audit=audit,
                     upstreams=upstreams)
    application = create_app(replace(SPEC, routes=routes), settings)
    edge.install(application, settings, verifier, audit)
    docs.install_openapi(application)
    docs.install_docs(application)

    @application.get("/.well-known/jwks.json", include_in_schema=False)
    async def well_known_jwks() -> dict:
        """Where JWT libraries look for the keys by convention; also /api/v1/auth/jwks.json."""
        return tokens.jwks()

    return application
