"""Wiring of the bookings service."""

from services.bookings import api, demo
from services.bookings.store import Base, messaging
from shared.service import ServiceSpec

SPEC = ServiceSpec(
    name="bookings",
    title="TFT bookings",
    metadata=Base.metadata,
    messaging=messaging,
    routes=api.routes,
    seed=demo.load,
)

