"""One naming rule for the contracts in `shared/contracts`, checked over the registry: the
event type `nl.tisfortech.<service>.<aggregate>.<verb>.v<N>` in lowercase words joined by
hyphens, the class named after it, and nothing advertised that no service sends."""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

from shared.contracts import advertised_types, parse_event, registered_types
from shared.contracts.base import older_types
from shared.contracts.bookings import BookingNoShowV1

ROOT = Path(__file__).resolve().parents[2]
WORDS = r"[a-z]+(?:-[a-z]+)*"
EVENT_TYPE = re.compile(
    rf"nl\.tisfortech\.(?P<service>{WORDS})\.(?P<aggregate>{WORDS})\.(?P<verb>{WORDS})"
    r"\.v(?P<version>[1-9][0-9]*)"
)

# Only the contracts of shared/contracts: tests and the bench register types of their own.
CONTRACTS = {
    name: model
    for name, model in registered_types().items()
    if model.__module__.startswith("shared.contracts.")
}


def class_name(event_type: str) -> str:
    """`...bookings.booking.no-show.v1` -> `BookingNoShowV1`."""
    found = EVENT_TYPE.fullmatch(event_type)
    assert found, f"{event_type} is not nl.tisfortech.<service>.<aggregate>.<verb>.v<N>"
    words = f"{found['aggregate']}-{found['verb']}".split("-")
    return "".join(word.capitalize() for word in words) + f"V{found['version']}"


@cache
def used_by(service: str) -> set[str]:
    """Names the service's own code (not its tests) uses, imports aside: a contract of the
    service used there is one it sends (it consumes only other services' contracts)."""
    used = set()
    for path in (ROOT / "services" / service).rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                used.add(node.id)
            elif isinstance(node, ast.Attribute):
                used.add(node.attr)
    return used


def test_the_rule_names_a_class_after_its_type():
    assert class_name("nl.tisfortech.bookings.booking.no-show.v1") == "BookingNoShowV1"
    assert class_name("nl.tisfortech.loans.session-equipment.reserved.v2") == (
        "SessionEquipmentReservedV2"
    )
    for other_style in (
        "nl.tisfortech.bookings.booking.no_show.v1",
        "nl.tisfortech.bookings.booking.noShow.v1",
        "nl.tisfortech.bookings.booking.v1",
    ):
        with pytest.raises(AssertionError):
            class_name(other_style)


@pytest.mark.parametrize("event_type", sorted(CONTRACTS))
def test_a_contract_is_named_by_the_rule(event_type):
    model = CONTRACTS[event_type]
    assert model.__name__ == class_name(event_type)
    service = EVENT_TYPE.fullmatch(event_type)["service"]
    assert model.__module__ == f"shared.contracts.{service}", "defined by the service that sends it"
    assert model.topic.startswith(f"tft.{service}."), "on a topic of the service that sends it"


def test_every_advertised_contract_is_sent_and_no_retired_one_is():
    advertised = set(advertised_types().values())
    unsent, sent_retired = [], []
    for event_type, model in CONTRACTS.items():
        sent = model.__name__ in used_by(EVENT_TYPE.fullmatch(event_type)["service"])
        if model in advertised and not sent:
            unsent.append(model.__name__)
        if model.retired and sent:
            sent_retired.append(model.__name__)
    assert unsent == [], "advertised in the AsyncAPI document, sent by no service"
    assert sent_retired == [], "sent, so not retired"
    assert any(m.retired for m in CONTRACTS.values()), "old equipment answers stay readable"


def test_a_type_renamed_on_the_wire_is_still_read_under_its_old_name():
    old = "nl.tisfortech.bookings.booking.no_show.v1"
    assert old in older_types(BookingNoShowV1.event_type)
    no_show = BookingNoShowV1.model_validate(_facts())
    assert parse_event(old, no_show.model_dump(mode="json")) == no_show


def _facts() -> dict:
    return {
        "booking_id": "0b7f2f3c-9f0c-4c57-9a1e-1b2b3c4d5e6f",
        "session_id": "1b7f2f3c-9f0c-4c57-9a1e-1b2b3c4d5e6f",
        "offering_id": "robotica",
        "offering_title": "Robotica",
        "school_id": "corlaer",
        "group": {"name": "3B", "level": "vmbo-kb", "year": 3, "students": 20},
        "starts_at": "2027-03-01T09:00:00Z",
        "ends_at": "2027-03-01T11:00:00Z",
        "location": "Hotspot",
        "recorded_by": "backoffice",
    }
