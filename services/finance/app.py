"""Wiring of the finance service."""

from services.finance import api, demo, handlers
from services.finance.store import Base, messaging
from shared.contracts.bookings import BookingCompletedV2
from shared.contracts.events import EventCostRecordedV1, SessionHostedV1
from shared.contracts.loans import DamageReportedV1
from shared.contracts.topics import SUBSCRIPTIONS
from shared.service import ConsumerSpec, ServiceSpec, create_app

SPEC = ServiceSpec(
    name="finance",
    title="TFT finance",
    metadata=Base.metadata,
    messaging=messaging,
    routes=api.routes,
    consumers=[
        ConsumerSpec(name="finance", topics=SUBSCRIPTIONS["finance"],
                     handlers=lambda rt: {
                         BookingCompletedV2: handlers.booking_completed(rt),
                         SessionHostedV1: handlers.session_hosted(rt),
                         EventCostRecordedV1: handlers.event_cost_recorded(rt),
                         DamageReportedV1: handlers.damage_reported(rt),
                     }),
    ],
    seed=demo.load,
)


def app():
    return create_app(SPEC)
