"""Wiring of the gateway: no consumers; HTTP clients live in the router's lifespan. Its store
holds the edge's state (`store.py`), shared by all its replicas.

`app()` is the gateway: the shared service app plus the edge middleware (`edge.py`), which
shares the token verifier with the routes.
"""

from dataclasses import replace
from functools import partial

from fastapi import FastAPI

from services.gateway import api, docs, edge, people
from services.gateway.audit import AuditLog
from services.gateway.auth import TokenService
from services.gateway.idempotency import IdempotencyStore
from services.gateway.ratelimit import RateLimits
from services.gateway.settings import GatewaySettings
from services.gateway.store import metadata
from services.gateway.upstream import Upstreams
from shared.periodic import Periodic
from shared.service import LeanRuntime, LeanSpec, create_app


async def forget_stale(rt: LeanRuntime) -> None:
    """Deletes expired idempotency keys and buckets full again, every retention interval.
    Plain deletes of what no request needs any more: every replica may run them."""
    keys, buckets = IdempotencyStore(rt.db), RateLimits(rt.db)

    async def forget() -> None:
        await keys.forget_expired()
        await buckets.forget_full()

    await Periodic(  # the store down: the next round tries again
        forget,
        rt.settings.retention_interval_seconds,
        "forgetting stale edge state failed",
        wait_first=True,
    ).run()


SPEC = LeanSpec(
    name="gateway",
    title="TFT gateway",
    metadata=metadata,
    routes=api.routes,
    settings=GatewaySettings,
    extra_tasks=(forget_stale,),
)


def app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings(service=SPEC.name)
    tokens = TokenService.for_settings(settings)
    upstreams = Upstreams.for_settings(settings, tokens)
    verifier = people.verifier_for(settings, tokens, upstreams)
    audit = AuditLog(settings.audit_path)
    routes = partial(api.routes, tokens=tokens, verifier=verifier, audit=audit, upstreams=upstreams)
    application = create_app(replace(SPEC, routes=routes), settings)
    edge.install(application, settings, verifier, audit, application.state.runtime.db)
    docs.install_openapi(application)
    docs.install_docs(application)

    @application.get("/.well-known/jwks.json", include_in_schema=False)
    async def well_known_jwks() -> dict:
        """Where JWT libraries look for the keys by convention; also /api/v1/auth/jwks.json."""
        return tokens.jwks()

    return application
