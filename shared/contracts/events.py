"""Events of the events service (topics `tft.events.event` and `tft.events.registration`)."""

from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from shared.contracts.base import IntegrationEvent
from shared.contracts.common import Group
from shared.contracts.topics import EVENT, REGISTRATION


class _EventFacts(IntegrationEvent):
    topic = EVENT
    key_field = "event_id"

    event_id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    audience: list[str]
    capacity: int
    location: str = ""


class EventScheduledV1(_EventFacts):
    event_type = "nl.tisfortech.events.event.scheduled.v1"


class _SessionFacts(IntegrationEvent):
    """A session or workshop of an event, hosted by a company, an mbo or the hotspot."""

    topic = EVENT
    key_field = "event_id"  # with its event, so a session never arrives before the event

    event_id: str
    session_id: UUID
    title: str
    host_kind: str
    host: str  # the host's id: a company's, an mbo's or "hotspot"
    capacity: int
    audience: list[str]
    opens_at: datetime
    closes_at: datetime
    host_name: str = ""
    # Times and place of its own; None: the event's.
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None


class SessionPlannedV1(_SessionFacts):
    event_type = "nl.tisfortech.events.session.planned.v1"


class EventChangedV1(_EventFacts):
    """The backoffice changed an event: its state now, and which fields changed."""

    event_type = "nl.tisfortech.events.event.changed.v1"

    changed: list[str]
    # Schools with a group holding seats in a session that keeps the event's times: whom
    # a move of the event concerns. Empty in events from before it was added.
    registered_schools: list[str] = Field(default_factory=list)


class SessionChangedV1(_SessionFacts):
    """The backoffice changed a session (times, place, capacity, audience, host): its state
    now, and which fields changed. Registered groups keep their places."""

    event_type = "nl.tisfortech.events.session.changed.v1"

    changed: list[str]
    # Schools with a group holding seats in the session: whom a move concerns. Empty in
    # events from before it was added.
    registered_schools: list[str] = Field(default_factory=list)


class _RegistrationFacts(IntegrationEvent):
    """What every registration event tells: which school's group, for which session of
    which event. Keyed by the registration, so its changes stay in order."""

    topic = REGISTRATION
    key_field = "registration_id"

    registration_id: UUID
    session_id: UUID
    session_title: str
    event_id: str
    event_title: str
    school_id: str
    group: Group
    starts_at: datetime
    location: str
    profile: str | None = None  # the class's vmbo profile, when it has one
    # The person who registered (their id): the school's own, or the backoffice on behalf of
    # `school_id`; unknown for registrations made before it was recorded.
    registered_by: str | None = None


class RegistrationConfirmedV1(_RegistrationFacts):
    """The group has its seats: registered directly, or by accepting an offer."""

    event_type = "nl.tisfortech.events.registration.confirmed.v1"

    from_offer: bool = False


class RegistrationWaitlistedV1(_RegistrationFacts):
    """The session was full: the group waits at `position` (1 is next)."""

    event_type = "nl.tisfortech.events.registration.waitlisted.v1"

    position: int


class RegistrationOfferedV1(_RegistrationFacts):
    """Seats came free and are held for the waiting group until `offer_expires_at`."""

    event_type = "nl.tisfortech.events.registration.offered.v1"

    offer_expires_at: datetime


class RegistrationOfferLapsedV1(_RegistrationFacts):
    """The offer was not accepted in time: its seats went on to the next waiting group."""

    event_type = "nl.tisfortech.events.registration.offer-lapsed.v1"


class RegistrationCancelledV1(_RegistrationFacts):
    event_type = "nl.tisfortech.events.registration.cancelled.v1"

    cancelled_by: str
    # A waiting group leaving the list frees no seats.
    was_waitlisted: bool = False


class RegistrationCheckedInV1(_RegistrationFacts):
    """Attendance on the day, in numbers of students: what reach reporting counts."""

    event_type = "nl.tisfortech.events.registration.checked-in.v1"

    students_present: int
    checked_in_at: datetime


class _AttendeeFacts(IntegrationEvent):
    """A person's own registration for an event for adults (the annual meeting). Name and
    e-mail stay in the events service: no other service needs them."""

    topic = REGISTRATION
    key_field = "attendee_id"

    attendee_id: UUID
    event_id: str
    event_title: str
    starts_at: datetime
    location: str


class AttendeeRegisteredV1(_AttendeeFacts):
    event_type = "nl.tisfortech.events.attendee.registered.v1"


class AttendeeCancelledV1(_AttendeeFacts):
    event_type = "nl.tisfortech.events.attendee.cancelled.v1"

    cancelled_by: str  # the role: the person themselves or the backoffice


class SessionHostedV1(IntegrationEvent):
    """An event session took place: the hours its host gave, which a company gives in kind.

    Finance books a company's hours as in-kind co-financing (core task D) on the lead
    school's declaration of the quarter of `held_on`; `hosting_id` makes it exactly once.
    """

    event_type = "nl.tisfortech.events.session.hosted.v1"
    topic = EVENT
    key_field = "event_id"

    hosting_id: UUID
    event_id: str
    event_title: str
    session_id: UUID
    session_title: str
    host_kind: str  # "company", "mbo" or "hotspot"
    host: str  # the company's (or school's) id
    host_name: str
    minutes: int
    held_on: date
    students_reached: int


class CostRecordedV1(IntegrationEvent):
    """A cost of an event (hire, transport, materials), for the lead school's declaration."""

    event_type = "nl.tisfortech.events.cost.recorded.v1"
    topic = EVENT
    key_field = "event_id"

    cost_id: UUID
    event_id: str
    event_title: str
    description: str
    amount_cents: int
    supplier: str
    invoice_reference: str
    incurred_on: date
