"""Base of every contract, the registry of event types and upcasting of old versions.

An event type is `nl.tisfortech.<service>.<aggregate>.<past-tense-verb>.v<N>`, its parts
lowercase words joined by hyphens (`booking.no-show`, `registration.checked-in`), and its
class is named after it (`BookingNoShowV1`); `shared/tests/test_contract_names.py` checks
both. A change that breaks an old reader gets a new version; an upcaster registered beside
the model turns the old payload into the current one when read, so handlers see one shape.
A type renamed on the wire stays readable under its old name the same way (`renamed`).
"""

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict
from pydantic_core import from_json

_REGISTRY: dict[str, type["IntegrationEvent"]] = {}
_UPCASTERS: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {}


class UnknownEventType(ValueError):
    pass


class IntegrationEvent(BaseModel):
    """A fact one service tells the others. Subclasses set `event_type` and `topic`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    topic: ClassVar[str]
    # The field holding the aggregate id: the Kafka key, so one aggregate stays in order.
    key_field: ClassVar[str]
    # No longer sent: still read (old events stay on the topics), no longer advertised.
    retired: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "event_type" in cls.__dict__:
            if cls.event_type in _REGISTRY:
                raise TypeError(f"event type registered twice: {cls.event_type}")
            _REGISTRY[cls.event_type] = cls

    def key(self) -> str:
        return str(getattr(self, self.key_field))

    def subject(self) -> str:
        return self.key()


def upcaster(old_type: str, new_type: str):
    """Register `fn(old_payload) -> payload of new_type` for reading old versions."""

    def register(fn: Callable[[dict[str, Any]], dict[str, Any]]):
        _UPCASTERS[old_type] = (new_type, fn)
        return fn

    return register


def renamed(old_type: str, new_type: str) -> None:
    """Read events of `old_type` as `new_type`, payload as it is: a type renamed on the wire.
    Deploy the readers before the senders, so that no reader meets a name it does not know."""
    upcaster(old_type, new_type)(lambda payload: payload)


def older_types(event_type: str) -> list[str]:
    """The old event types read as `event_type` through one upcaster or a chain of them."""
    older = [old for old, (new, _) in _UPCASTERS.items() if new == event_type]
    return older + [t for old in older for t in older_types(old)]


def parse_event(event_type: str, payload: dict[str, Any]) -> IntegrationEvent:
    """Validate a payload as its (upcast) current contract."""
    seen = set()
    while event_type in _UPCASTERS and event_type not in seen:
        seen.add(event_type)
        event_type, fn = _UPCASTERS[event_type][0], _UPCASTERS[event_type][1]
        payload = fn(payload)
    model = _REGISTRY.get(event_type)
    if model is None:
        raise UnknownEventType(f"unknown event type {event_type!r}")
    return model.model_validate(payload)


def parse_event_json(event_type: str, payload: bytes) -> IntegrationEvent:
    """`parse_event` of a JSON payload; a current type's is validated straight from the
    bytes, without building a dict first."""
    model = _REGISTRY.get(event_type)
    if model is None or event_type in _UPCASTERS:
        return parse_event(event_type, from_json(payload))
    return model.model_validate_json(payload)


def registered_types() -> dict[str, type[IntegrationEvent]]:
    return dict(_REGISTRY)


def advertised_types() -> dict[str, type[IntegrationEvent]]:
    """The types services send: all but the retired ones."""
    return {name: model for name, model in _REGISTRY.items() if not model.retired}
