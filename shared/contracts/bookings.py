"""Events of the bookings service (topics `tft.bookings.*`)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.contracts.base import IntegrationEvent, renamed, upcaster
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
    # The technical theme (shared.contracts.common.Theme); added later, so optional.
    theme: str | None = None


class OfferingChangedV1(IntegrationEvent):
    """The backoffice edited the offer: what it now is (sessions already planned keep their
    own capacity; `capacity` is the default for new ones)."""

    event_type = "nl.tisfortech.bookings.offering.changed.v1"
    topic = OFFERING
    key_field = "offering_id"

    offering_id: str
    title: str
    audience: list[str]
    location: str
    capacity: int
    changed: list[str]
    theme: str | None = None


class OfferingWithdrawnV1(IntegrationEvent):
    """No new bookings for the offer; bookings made stand unless their session is cancelled."""

    event_type = "nl.tisfortech.bookings.offering.withdrawn.v1"
    topic = OFFERING
    key_field = "offering_id"

    offering_id: str
    title: str


class _Proposal(IntegrationEvent):
    """A company's proposal: an offer its company hosts (a company visit, guest lesson,
    internship places or a practical assignment), which schools see once approved."""

    topic = OFFERING
    key_field = "offering_id"

    offering_id: str
    kind: str
    title: str
    host_company: str


class OfferingProposedV1(_Proposal):
    """A company contact proposed an offer: the backoffice approves or declines it."""

    event_type = "nl.tisfortech.bookings.offering.proposed.v1"

    proposed_by: str


class OfferingProposalDecidedV1(_Proposal):
    """The backoffice approved (schools see the offer from now on; OfferingPublishedV1
    follows) or declined the company's proposal, with `reason` for the company (Dutch)."""

    event_type = "nl.tisfortech.bookings.offering.proposal-decided.v1"

    approved: bool
    reason: str | None = None


class SessionTimes(BaseModel):
    model_config = ConfigDict(frozen=True)

    starts_at: datetime
    ends_at: datetime


class _BookingFacts(IntegrationEvent):
    """What every booking event tells: who booked which session of which offering. A booking
    of a series booked as a whole also names the group's series booking (shared by the
    bookings of all its sessions, which change together) and when each of its sessions is,
    in order, so one message can tell the whole series."""

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
    series_booking_id: UUID | None = None
    series_sessions: list[SessionTimes] = []
    # The person who booked (their id, a token's `sub`): the school's own, or the backoffice
    # on behalf of `school_id`. Unknown for bookings made before it was recorded.
    booked_by: str | None = None


class BookingRequestedV1(_BookingFacts):
    """The group's seats are held and the booking waits until its session holds one kit of
    each `equipment` category. Equipment belongs to the session: loans is asked once per
    session (SessionEquipmentRequestedV1) and reserves nothing for a booking on reading this.
    (Before, loans reserved per booking and answered ReservationGrantedV1/RejectedV1.)"""

    event_type = "nl.tisfortech.bookings.booking.requested.v1"
    topic = BOOKING

    equipment: list[str]
    from_waitlist: bool = False


class BookingHostRequestedV1(_BookingFacts):
    """A school asks for a company visit or internship places: the seats are held and the
    booking stays `requested` until the host company accepts (BookingConfirmedV1) or
    declines it (BookingRejectedV1 with the company's reason)."""

    event_type = "nl.tisfortech.bookings.booking.host-requested.v1"
    topic = BOOKING

    host_company: str
    offering_kind: str
    from_waitlist: bool = False


class BookingConfirmedV1(_BookingFacts):
    """Also told when a waiting group is promoted: a promoted booking is confirmed like any
    other, so it is one event type, not a second one every consumer of confirmations would
    have to follow. `from_waitlist` only changes the words. A booking whose offering needs
    `equipment` is confirmed only once loans has reserved it."""

    event_type = "nl.tisfortech.bookings.booking.confirmed.v1"
    topic = BOOKING

    equipment: list[str] = []
    from_waitlist: bool = False


class BookingWaitlistedV1(_BookingFacts):
    """The session was full: the group waits at `position` (1 is next) for seats to free."""

    event_type = "nl.tisfortech.bookings.booking.waitlisted.v1"
    topic = BOOKING

    position: int


class BookingRejectedV1(_BookingFacts):
    """Loans could not reserve the equipment: the seats are free again. `reason` is for the
    school to read (Dutch); `alternative` is loans' nearest offer, if it had one."""

    event_type = "nl.tisfortech.bookings.booking.rejected.v1"
    topic = BOOKING

    reason: str
    alternative: dict[str, str] | None = None
    # "host": the host company declined the request (the reason is its own); else loans.
    rejected_by: str | None = None


class BookingCancelledV1(_BookingFacts):
    event_type = "nl.tisfortech.bookings.booking.cancelled.v1"
    topic = BOOKING

    cancelled_by: str
    # A waiting group leaving frees no seats.
    was_waitlisted: bool = False
    # A school cancelled inside the free-cancellation window: accepted, but reported.
    late: bool = False
    # The backoffice cancelled the session itself (SessionCancelledV1 tells the schools,
    # one message each), with its reason for the school to read (Dutch).
    session_cancelled: bool = False
    reason: str | None = None


class BookingCompletedV2(_BookingFacts):
    """Carries what finance and reach reporting need: delivered time, instructor time (more
    than delivered when a session has more instructors), students reached (those who came,
    at most the group) and the plan's core task the lesson is declared under. Version 2
    makes the core task required: version 1 let it default to A, and every lesson landed
    there."""

    event_type = "nl.tisfortech.bookings.booking.completed.v2"
    topic = BOOKING

    delivered_minutes: int
    instructor_minutes: int
    students_reached: int
    core_task: CoreTask


@upcaster("nl.tisfortech.bookings.booking.completed.v1", BookingCompletedV2.event_type)
def _completed_v1(old: dict[str, Any]) -> dict[str, Any]:
    """A version 1 completion keeps the meaning it had: core task A unless it said so."""
    return {"core_task": "A", **old}


class BookingNoShowV1(_BookingFacts):
    """The group did not come to its confirmed session: its seats were held for nothing.
    Nothing is delivered, so finance declares nothing; reach reporting counts no students."""

    event_type = "nl.tisfortech.bookings.booking.no-show.v1"
    topic = BOOKING

    recorded_by: str


renamed("nl.tisfortech.bookings.booking.no_show.v1", BookingNoShowV1.event_type)


class SessionEquipmentRequestedV1(IntegrationEvent):
    """A session that needs equipment got its first booking: loans is asked to reserve one kit
    of each `equipment` category for the session, whichever schools share it. Loans answers
    with SessionEquipmentReservedV1 or SessionEquipmentRejectedV1 naming `request_id`.

    The hotspot's calendar is bookings' to keep: an alternative loans suggests starts on
    none of `closed_days` and not after `alternative_until`."""

    event_type = "nl.tisfortech.bookings.session.equipment-requested.v1"
    topic = BOOKING
    key_field = "session_id"

    request_id: UUID
    session_id: UUID
    offering_id: str
    starts_at: datetime
    ends_at: datetime
    equipment: list[str]
    closed_days: list[date] = []
    alternative_until: date | None = None


class SessionEquipmentReleasedV1(IntegrationEvent):
    """No booking uses the session any more: loans frees what `request_id` reserved for it.
    Keyed by the session like its request, so loans reads the two in order."""

    event_type = "nl.tisfortech.bookings.session.equipment-released.v1"
    topic = BOOKING
    key_field = "session_id"

    request_id: UUID
    session_id: UUID


class BookedSchool(BaseModel):
    """A school with the groups it has booked on a session: what one message to it names."""

    model_config = ConfigDict(frozen=True)

    school_id: str
    groups: list[Group]
    # Its bookings on the session (a series booking: that lesson's): what reminders follow.
    bookings: list[UUID] = []
    # The people who made those bookings (ids): the ones the message concerns.
    booked_by: list[str] = []


class _SessionChange(IntegrationEvent):
    """What the backoffice did to a session that schools booked: each of `schools` hears
    once, however many groups (or lessons of a series) it has booked. Keyed by the session
    like its equipment events, so readers see a session's changes in order."""

    topic = BOOKING
    key_field = "session_id"

    session_id: UUID
    offering_id: str
    offering_title: str
    location: str
    starts_at: datetime
    ends_at: datetime
    schools: list[BookedSchool] = []


class SessionMovedV1(_SessionChange):
    """The session takes place at `starts_at`-`ends_at` in `room` now; its bookings stand."""

    event_type = "nl.tisfortech.bookings.session.moved.v1"

    previous_starts_at: datetime
    previous_ends_at: datetime
    room: str
    instructor: str


class SessionCancelledV1(_SessionChange):
    """The session will not take place: its bookings are cancelled (each told by its own
    BookingCancelledV1, session_cancelled) and its equipment released. A session of a series
    is cancelled with its whole series: `series_sessions` lists all the lessons that go."""

    event_type = "nl.tisfortech.bookings.session.cancelled.v1"

    reason: str
    series_sessions: list[SessionTimes] = []
