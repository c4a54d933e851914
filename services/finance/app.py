"""Wiring of the finance service."""

from services.finance import api, demo, handlers
from services.finance.store import Base, messaging
from shared.contracts.bookings import BookingCompletedV2
from shared.contracts.events import CostRecordedV1, SessionHostedV1
from shared.contracts.loans import ReservationDamageReportedV1
from shared.contracts.topics import SUBSCRIPTIONS
from shared.messaging.inbox import handle
from shared.service import ConsumerSpec, ServiceSpec, create_app
from shared.settings import ServiceSettings

SPEC = ServiceSpec(
    name="finance",
    title="TFT finance",
    metadata=Base.metadata,
    messaging=messaging,
    routes=api.routes,
    settings=ServiceSettings,
    consumers=[
        ConsumerSpec(
            name="finance",
            topics=SUBSCRIPTIONS["finance"],
            handlers=lambda rt: (
                handle(BookingCompletedV2, handlers.booking_completed(rt))
                | handle(SessionHostedV1, handlers.session_hosted(rt))
                | handle(CostRecordedV1, handlers.event_cost_recorded(rt))
                | handle(ReservationDamageReportedV1, handlers.damage_reported(rt))
            ),
        ),
    ],
    seed=demo.load,
)


def app():
    return create_app(SPEC)
