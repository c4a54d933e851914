"""Wiring of the gateway: no store, no consumers; HTTP clients live in the router's lifespan."""

from services.gateway import api
from services.gateway.settings import GatewaySettings
from shared.service import ServiceSpec, create_app

SPEC = ServiceSpec(
    name="gateway",
    title="TFT gateway",
    metadata=None,
    messaging=None,
    routes=api.routes,
    settings=GatewaySettings,
)


def app():
    return create_app(SPEC)
