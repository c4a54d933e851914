"""Wiring of the events service."""

from services.events import api, demo, handlers, lapsing
from services.events.store import Base, messaging
from shared.contracts.topics import SUBSCRIPTIONS
from shared.service import ConsumerSpec, ServiceSpec, create_app
from shared.settings import ServiceSettings

SPEC = ServiceSpec(
    name="events",
    title="TFT events",
    metadata=Base.metadata,
    messaging=messaging,
    routes=api.routes,
    settings=ServiceSettings,
    consumers=[
        ConsumerSpec(
            name="events", topics=SUBSCRIPTIONS["events"], handlers=handlers.equipment_handlers
        )
    ],
    seed=demo.load,
    extra_tasks=[lapsing.lapse_offers_forever],
)


def app():
    return create_app(SPEC)
