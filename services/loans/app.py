"""Wiring of the loans service."""

from services.loans import api, demo, handlers, overdue
from services.loans.settings import LoansSettings
from services.loans.store import Base, messaging
from shared.contracts.topics import SUBSCRIPTIONS
from shared.service import ConsumerSpec, ServiceSpec, create_app

SPEC = ServiceSpec(
    name="loans",
    title="TFT loans",
    metadata=Base.metadata,
    messaging=messaging,
    routes=api.routes,
    consumers=[
        ConsumerSpec(
            name="loans", topics=SUBSCRIPTIONS["loans"], handlers=handlers.booking_handlers
        )
    ],
    seed=demo.load,
    settings=LoansSettings,
    extra_tasks=[overdue.scan_overdue_forever],
)


def app():
    return create_app(SPEC)
