"""Events of the loans service (topics `tft.loans.*`)."""

from datetime import date
from uuid import UUID

from shared.contracts.base import IntegrationEvent
from shared.contracts.topics import LOAN_ITEM, LOAN_RESERVATION


class ItemRegisteredV1(IntegrationEvent):
    event_type = "nl.tisfortech.loans.item.registered.v1"
    topic = LOAN_ITEM
    key_field = "item_id"

    item_id: str
    asset_tag: str
    category: str
    name: str
    quantity: int = 1


class ReservationMadeV1(IntegrationEvent):
    event_type = "nl.tisfortech.loans.reservation.made.v1"
    topic = LOAN_RESERVATION
    key_field = "reservation_id"

    reservation_id: UUID
    item_id: str
    item_name: str
    quantity: int
    school_id: str
    booking_id: UUID | None = None
    starts_on: date
    ends_on: date
