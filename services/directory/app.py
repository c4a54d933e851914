"""Wiring of the directory service: organisations and people; it consumes nothing."""

from services.directory import api, demo
from services.directory.settings import DirectorySettings
from services.directory.store import Base, messaging
from shared.service import ServiceSpec, create_app

SPEC = ServiceSpec(
    name="directory",
    title="TFT directory",
    metadata=Base.metadata,
    messaging=messaging,
    routes=api.routes,
    seed=demo.load,
    settings=DirectorySettings,
)


def app():
    return create_app(SPEC)
