"""Wiring of the bookings service."""

from services.bookings import api, demo, handlers, unanswered
from services.bookings.settings import BookingsSettings
from services.bookings.store import Base, messaging
from shared.contracts.topics import SUBSCRIPTIONS
from shared.service import ConsumerSpec, ServiceSpec

SPEC = ServiceSpec(
    name="bookings",
    title="TFT bookings",
    metadata=Base.metadata,
    messaging=messaging,
    routes=api.routes,
    # Loans' answers to equipment requests: the saga's second half.
    consumers=[
        ConsumerSpec(
            name="bookings", topics=SUBSCRIPTIONS["bookings"], handlers=handlers.equipment_answers
        )
    ],
    seed=demo.load,
    settings=BookingsSettings,
    extra_tasks=[unanswered.watch_unanswered_forever],
)
