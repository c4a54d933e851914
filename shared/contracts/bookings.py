"""Events of the bookings service (topics `tft.bookings.*`)."""

from datetime import datetime
from uuid import UUID

from shared.contracts.base import IntegrationEvent
from shared.contracts.common import CoreTask, Group
from shared.contracts.topics import BOOKING, OFFERING


class OfferingPublishedV1(IntegrationEvent):
    event_type = "nl.tisfortech.bookings.offering.published.v1"
    topic = OFFERING
    key_field = "offering_id"

    offering_id: str
    kind: str
    title: str
    audience: list[str]
    sessions: int


class _BookingFacts(IntegrationEvent):
    """What every booking event tells: who booked which session of which offering."""

    key_field = "booking_id"

    booking_id: UUID
    session_id: UUID
    offering_id: str
    offering_title: str
    school_id: str
    group: Group
    starts_at: datetime
    ends_at: datetime
    location: str


class BookingConfirmedV1(_BookingFacts):
    event_type = "nl.tisfortech.bookings.booking.confirmed.v1"
    topic = BOOKING

    equipment: list[str] = []


class BookingCancelledV1(_BookingFacts):
    event_type = "nl.tisfortech.bookings.booking.cancelled.v1"
    topic = BOOKING

    cancelled_by: str


class BookingCompletedV1(_BookingFacts):
    """Carries what finance and reach reporting need: delivered time and students reached."""

    event_type = "nl.tisfortech.bookings.booking.completed.v1"
    topic = BOOKING

    delivered_minutes: int
    instructor_minutes: int
    students_reached: int
    core_task: CoreTask = "A"
