"""Wiring of the finance service."""

from services.finance import api, demo, handlers
from services.finance.store import Base, messaging
from shared.contracts.bookings import BookingCompletedV1
from shared.contracts.topics import BOOKING
from shared.service import ConsumerSpec, ServiceSpec, create_app

SPEC = ServiceSpec(
    name="finance",
    title="TFT finance",
    metadata=Base.metadata,
    messaging=messaging,
    routes=api.routes,
    consumers=[
        ConsumerSpec(name="finance", topics=[BOOKING],
                     handlers=lambda rt: {BookingCompletedV1: handlers.booking_completed(rt)}),
    ],
    seed=demo.load,
)


def app():
    return create_app(SPEC)
