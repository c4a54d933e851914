"""Who hears of what and what is worth a reminder later: pure functions from an event to
messages and reminders. The words of a message are `rendering.py`'s."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from shared.contracts.base import IntegrationEvent
from shared.contracts.bookings import (
    BookingCancelledV1,
    BookingCompletedV2,
    BookingConfirmedV1,
    BookingHostRequestedV1,
    BookingNoShowV1,
    BookingRejectedV1,
    BookingWaitlistedV1,
    OfferingProposalDecidedV1,
    OfferingProposedV1,
    SessionCancelledV1,
    SessionMovedV1,
)
from shared.contracts.events import (
    AttendeeCancelledV1,
    AttendeeRegisteredV1,
    CostRecordedV1,
    EventChangedV1,
    EventScheduledV1,
    RegistrationCancelledV1,
    RegistrationCheckedInV1,
    RegistrationConfirmedV1,
    RegistrationOfferedV1,
    RegistrationOfferLapsedV1,
    RegistrationWaitlistedV1,
    SessionChangedV1,
    SessionHostedV1,
)
from shared.contracts.finance import (
    DeclarationApprovedV1,
    DeclarationLineDraftedV1,
    DeclarationPaidV1,
    DeclarationRejectedV1,
    DeclarationSubmittedV1,
)
from shared.contracts.loans import (
    ReservationCheckedOutV1,
    ReservationDamageReportedV1,
    ReservationMadeV1,
    ReservationOverdueV1,
    ReservationReturnedV1,
)
from shared.domain import (
    AMSTERDAM,
    BACKOFFICE,
    COMPANY,
    FINANCE,
    MUNICIPALITY,
    SCHOOL,
    local_date,
)


@dataclass(frozen=True)
class Draft:
    """One message to one organisation: to its inbox and to the people it concerns."""

    organisation_id: str
    message_type: str
    facts: IntegrationEvent = field(repr=False)

    @property
    def once_for(self) -> str | None:
        """The series booking this message is told once for: one action on a series is one
        message listing its lessons, not one per lesson. None: told for its own event."""
        series = getattr(self.facts, "series_booking_id", None)
        return str(series) if series and self.message_type in _PER_SERIES else None

    @property
    def category(self) -> str:
        return category_of(self.message_type)

    @property
    def actors(self) -> list[str]:
        """The people who made what the message is about (booked, reserved, registered)."""
        for school in getattr(self.facts, "schools", []):  # a session change: per school
            if school.school_id == self.organisation_id:
                return list(school.booked_by)
        acted = (getattr(self.facts, name, None) for name in _ACTOR_FIELDS)
        return [actor for actor in acted if actor]

    def is_critical(self, now: datetime) -> bool:
        """Critical: a lesson that will not take place, from now until the end of tomorrow.
        Such a message skips preferences and quiet hours."""
        if self.message_type not in _CRITICAL_WHEN_SOON:
            return False
        starts_at = self.facts.starts_at  # type: ignore[attr-defined]
        # A lesson moved away from tomorrow is as urgent as one moved to it.
        starts_at = min(starts_at, getattr(self.facts, "previous_starts_at", starts_at))
        return local_date(starts_at) <= local_date(now) + timedelta(days=1)


_ACTOR_FIELDS = ("booked_by", "reserved_by", "registered_by")
# Who speaks for an organisation: they hear what concerns it and no one in it in particular.
CONTACT_ROLES = frozenset({SCHOOL, COMPANY, MUNICIPALITY, BACKOFFICE, FINANCE})


def people_concerned(draft: Draft, members: dict[str, str]) -> list[str]:
    """Of the active `members` (id -> role) of the draft's organisation: those who made what
    the message is about, else (nobody did, or they left) the organisation's contacts."""
    acted = [person for person in draft.actors if person in members]
    return acted or sorted(p for p, role in members.items() if role in CONTACT_ROLES)


# What happens to a series booking as a whole; a completion or no-show is per lesson.
_PER_SERIES = {
    "booking_confirmed",
    "booking_promoted",
    "booking_waitlisted",
    "booking_cancelled",
    "booking_cancelled_backoffice",
    "booking_rejected",
    "booking_host_requested",
}
_CRITICAL_WHEN_SOON = {
    "booking_cancelled",
    "booking_cancelled_backoffice",
    "booking_rejected",
    "booking_session_cancelled",
    "booking_session_moved",
}
_CATEGORY_BY_PREFIX = {
    "booking": "bookings",
    "offering": "bookings",
    "lesson": "reminders",
    "reservation": "loans",
    "loan": "loans",
    "damage": "loans",
    "registration": "events",
    "event_scheduled": "announcements",
    "announcement": "announcements",
    "attendee_registered": "announcements",
    "attendee": "events",
    "event_tomorrow": "reminders",
    "session": "events",
    "event_cost": "finance",
    "declaration_deadline": "reminders",
    "declaration": "finance",
}
REMINDER_TYPES = {"lesson_reminder", "loan_due_tomorrow", "event_tomorrow", "declaration_deadline"}


def category_of(message_type: str) -> str:
    """The preference category of a message type (the longest matching prefix wins)."""
    if message_type in REMINDER_TYPES:
        return "reminders"
    prefix = max((p for p in _CATEGORY_BY_PREFIX if message_type.startswith(p)), key=len)
    return _CATEGORY_BY_PREFIX[prefix]


_REGISTRATION_MESSAGES: dict[type[IntegrationEvent], str] = {
    RegistrationConfirmedV1: "registration_confirmed",
    RegistrationWaitlistedV1: "registration_waitlisted",
    RegistrationOfferedV1: "registration_offered",
    RegistrationOfferLapsedV1: "registration_offer_lapsed",
    RegistrationCheckedInV1: "registration_checked_in",
}


def drafts_for(event: IntegrationEvent) -> list[Draft]:
    """The notifications an event causes: one per recipient organisation and message type."""
    match event:
        case BookingConfirmedV1(from_waitlist=True):
            return [Draft(event.school_id, "booking_promoted", event)]
        case BookingConfirmedV1():
            return [Draft(event.school_id, "booking_confirmed", event)]
        case BookingWaitlistedV1():
            return [Draft(event.school_id, "booking_waitlisted", event)]
        case BookingCancelledV1(session_cancelled=True):
            return []  # SessionCancelledV1 tells each school once, for all its groups
        case SessionCancelledV1():
            return [Draft(s.school_id, "booking_session_cancelled", event) for s in event.schools]
        case SessionMovedV1():
            return [Draft(s.school_id, "booking_session_moved", event) for s in event.schools]
        case BookingCancelledV1(was_waitlisted=True):
            # No seats came free: nothing for the backoffice to act on.
            return [Draft(event.school_id, "booking_cancelled", event)]
        case BookingCancelledV1():
            return [
                Draft(event.school_id, "booking_cancelled", event),
                Draft(BACKOFFICE, "booking_cancelled_backoffice", event),
            ]
        case BookingRejectedV1():
            return [Draft(event.school_id, "booking_rejected", event)]
        case BookingHostRequestedV1():  # the host company answers the school's request
            return [Draft(event.host_company, "booking_host_requested", event)]
        case OfferingProposedV1():
            return [Draft(BACKOFFICE, "offering_proposed", event)]
        case OfferingProposalDecidedV1():
            decided = "offering_approved" if event.approved else "offering_declined"
            return [Draft(event.host_company, decided, event)]
        case BookingCompletedV2():
            return [Draft(event.school_id, "booking_completed", event)]
        case BookingNoShowV1():
            return [Draft(event.school_id, "booking_no_show", event)]
        case ReservationMadeV1(session_id=None):  # a session's kit is the hotspot's own
            return [Draft(event.school_id, "reservation_made", event)]
        case EventScheduledV1():
            return [Draft(BACKOFFICE, "event_scheduled", event)]
        case DeclarationLineDraftedV1():
            return [Draft(FINANCE, "declaration_line_drafted", event)]
        case DeclarationSubmittedV1():
            return [Draft(FINANCE, "declaration_submitted", event)]
        case DeclarationApprovedV1():
            return [Draft(event.school_id, "declaration_approved", event)]
        case DeclarationRejectedV1():
            return [Draft(event.school_id, "declaration_rejected", event)]
        case DeclarationPaidV1():
            return [Draft(event.school_id, "declaration_paid", event)]
        case ReservationReturnedV1():
            return [Draft(event.school_id, "loan_returned", event)]
        case ReservationOverdueV1():
            return [
                Draft(event.school_id, "loan_overdue", event),
                Draft(BACKOFFICE, "loan_overdue_backoffice", event),
            ]
        case ReservationDamageReportedV1():
            return [
                Draft(event.school_id, "damage_reported", event),
                Draft(FINANCE, "damage_reported_finance", event),
            ]
        # A move reaches each school with a group in it once, with the new time.
        case SessionChangedV1(starts_at=datetime()) if _MOVES & set(event.changed):
            return _to_registered(event, "registration_session_moved")
        case EventChangedV1() if _MOVES_IN_TIME & set(event.changed):
            return _to_registered(event, "registration_event_moved")
        case SessionHostedV1(host_kind="company"):  # the company contact hears its reach
            return [Draft(event.host, "session_hosted", event)]
        case CostRecordedV1():
            return [Draft(FINANCE, "event_cost_recorded", event)]
        # Adults register themselves; their address stays in events, so the backoffice hears.
        case AttendeeRegisteredV1():
            return [Draft(BACKOFFICE, "attendee_registered", event)]
        case AttendeeCancelledV1():
            return [Draft(BACKOFFICE, "attendee_cancelled", event)]
        case (
            RegistrationConfirmedV1()
            | RegistrationWaitlistedV1()
            | RegistrationOfferedV1()
            | RegistrationOfferLapsedV1()
            | RegistrationCheckedInV1()
        ):
            # each goes to the school, as is
            return [Draft(event.school_id, _REGISTRATION_MESSAGES[type(event)], event)]
    return []


_MOVES_IN_TIME = {"starts_at", "ends_at"}
_MOVES = _MOVES_IN_TIME | {"location"}


def _to_registered(event: EventChangedV1 | SessionChangedV1, message_type: str) -> list[Draft]:
    return [
        Draft(school, message_type, event) for school in dict.fromkeys(event.registered_schools)
    ]


# Reminders -------------------------------------------------------------------------------
REMIND_AT = time(9, 0)  # reminders go out at 09:00 Amsterdam time on their day


@dataclass(frozen=True)
class ReminderPlan:
    """A message to send later: due at `due_at`, pointless from `deadline` on."""

    message_type: str
    recipient: str
    about: str
    due_at: datetime
    deadline: datetime

    def scheduled_at(self, now: datetime) -> datetime | None:
        """When to send it, seen from `now`: when due, at once if that has passed but the
        deadline has not (a booking made for tomorrow), never once the deadline passed."""
        if now >= self.deadline:
            return None
        return max(self.due_at, now)


def school_days_before(day: date, days: int) -> date:
    """The date `days` school days (Monday to Friday) before `day`."""
    while days:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def quarter_end(quarter: str) -> date:
    """The last day of a quarter such as `2026-Q4`."""
    year, q = int(quarter[:4]), int(quarter[-1])
    first_of_next = date(year + q // 4, q % 4 * 3 + 1, 1)
    return first_of_next - timedelta(days=1)


def _at(day: date, moment: time = REMIND_AT) -> datetime:
    return datetime.combine(day, moment, tzinfo=AMSTERDAM).astimezone(UTC)


def reminders_for(event: IntegrationEvent) -> list[ReminderPlan]:
    """Reminders an event makes worth sending later."""
    match event:
        case BookingConfirmedV1():
            return [_lesson_reminder(event.school_id, event.booking_id, event.starts_at)]
        case ReservationCheckedOutV1():
            return [
                ReminderPlan(
                    "loan_due_tomorrow",
                    event.school_id,
                    str(event.reservation_id),
                    _at(event.ends_on - timedelta(days=1)),
                    _at(event.ends_on + timedelta(days=1), time(0)),
                )
            ]
        case RegistrationConfirmedV1():
            day = local_date(event.starts_at) - timedelta(days=1)
            return [
                ReminderPlan(
                    "event_tomorrow",
                    event.school_id,
                    str(event.registration_id),
                    _at(day),
                    event.starts_at,
                )
            ]
        case DeclarationLineDraftedV1():  # a draft exists: submit it before the quarter ends
            last = quarter_end(event.quarter)
            return [
                ReminderPlan(
                    "declaration_deadline",
                    event.school_id,
                    str(event.declaration_id),
                    _at(last - timedelta(days=7)),
                    _at(last + timedelta(days=1), time(0)),
                )
            ]
    return []


def _lesson_reminder(school_id: str, booking_id: object, starts_at: datetime) -> ReminderPlan:
    day = school_days_before(local_date(starts_at), 2)
    return ReminderPlan("lesson_reminder", school_id, str(booking_id), _at(day), starts_at)


def reminders_moved_by(event: IntegrationEvent) -> list[ReminderPlan]:
    """Reminders an event moves to a new time: those of a moved session's bookings (each
    already kept, if its booking was confirmed, for the old time)."""
    if not isinstance(event, SessionMovedV1):
        return []
    return [
        _lesson_reminder(school.school_id, booking_id, event.starts_at)
        for school in event.schools
        for booking_id in school.bookings
    ]


def reminders_ended_by(event: IntegrationEvent) -> str | None:
    """The `about` whose pending reminders this event makes pointless, if any."""
    match event:
        case BookingCancelledV1() | BookingRejectedV1():
            return str(event.booking_id)
        case ReservationReturnedV1():
            return str(event.reservation_id)
        case RegistrationCancelledV1():
            return str(event.registration_id)
        case DeclarationSubmittedV1():
            return str(event.declaration_id)
    return None


# A booking waiting for its equipment tells nothing yet: the school hears once, when loans
# has answered (confirmed or rejected), so one booking is one message.
HANDLED: tuple[type[IntegrationEvent], ...] = (
    BookingConfirmedV1,
    BookingWaitlistedV1,
    BookingHostRequestedV1,
    OfferingProposedV1,
    OfferingProposalDecidedV1,
    BookingCancelledV1,
    BookingCompletedV2,
    BookingRejectedV1,
    ReservationMadeV1,
    EventScheduledV1,
    DeclarationLineDraftedV1,
    DeclarationSubmittedV1,
    DeclarationApprovedV1,
    DeclarationRejectedV1,
    DeclarationPaidV1,
    ReservationCheckedOutV1,
    BookingNoShowV1,
    ReservationReturnedV1,
    ReservationOverdueV1,
    ReservationDamageReportedV1,
    SessionHostedV1,
    CostRecordedV1,
    RegistrationCancelledV1,
    AttendeeRegisteredV1,
    AttendeeCancelledV1,
    SessionCancelledV1,
    SessionMovedV1,
    EventChangedV1,
    SessionChangedV1,
    *_REGISTRATION_MESSAGES,
)
