"""Wiring of the notify service."""

from services.notify import api, handlers
from services.notify.delivery import dispatch_forever
from services.notify.reminders import remind_forever
from services.notify.settings import NotifySettings
from services.notify.store import Base, messaging
from shared.contracts.topics import SUBSCRIPTIONS
from shared.service import ConsumerSpec, ServiceSpec

SPEC = ServiceSpec(
    name="notify",
    title="TFT notify",
    metadata=Base.metadata,
    messaging=messaging,
    routes=api.routes,
    settings=NotifySettings,
    consumers=[
        ConsumerSpec(
            name="notify",
            topics=SUBSCRIPTIONS["notify"],
            handlers=handlers.handlers,
        )
    ],
    extra_tasks=[dispatch_forever, remind_forever],
)
