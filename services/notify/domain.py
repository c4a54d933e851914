"""Who hears of what, in which words: pure functions from an event to notifications."""

from dataclasses import dataclass, field
from datetime import datetime

from jinja2 import Environment, StrictUndefined

from shared.contracts.base import IntegrationEvent
from shared.contracts.bookings import (
    BookingCancelledV1,
    BookingCompletedV1,
    BookingConfirmedV1,
    BookingWaitlistedV1,
)
from shared.contracts.events import EventScheduledV1
from shared.contracts.finance import DeclarationLineDraftedV1
from shared.contracts.loans import ReservationMadeV1
from shared.domain import AMSTERDAM, BACKOFFICE, FINANCE

_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"]


def dutch_datetime(moment: datetime) -> str:
    """`donderdag 10 december 2026 om 10:00`, in Amsterdam time."""
    local = moment.astimezone(AMSTERDAM)
    return (f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}"
            f" om {local:%H:%M}")


def euros(cents: int) -> str:
    whole, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}€ {whole:,}".replace(",", ".") + f",{rest:02d}"


_env = Environment(undefined=StrictUndefined, autoescape=False, trim_blocks=True)
_env.filters["wanneer"] = dutch_datetime
_env.filters["euro"] = euros

# message type -> (subject, body); Dutch, with what a person needs to know and do.
TEMPLATES: dict[str, tuple[str, str]] = {
    "booking_confirmed": (
        "Bevestiging: {{ e.offering_title }} op {{ e.starts_at | wanneer }}",
        "Uw boeking voor groep {{ e.group.name }} ({{ e.group.students }} leerlingen) is"
        " bevestigd.\nWat: {{ e.offering_title }}\nWanneer: {{ e.starts_at | wanneer }}"
        "\nWaar: {{ e.location }}\nAnnuleren kan via het platform.",
    ),
    "booking_waitlisted": (
        "Wachtlijst: {{ e.offering_title }} op {{ e.starts_at | wanneer }}",
        "De sessie is vol. Groep {{ e.group.name }} ({{ e.group.students }} leerlingen) staat"
        " op de wachtlijst, positie {{ e.position }}.\nWat: {{ e.offering_title }}"
        "\nWanneer: {{ e.starts_at | wanneer }}\nKomen er genoeg plaatsen vrij, dan wordt de"
        " boeking vanzelf bevestigd en krijgt u bericht. Van de wachtlijst af kan via het"
        " platform.",
    ),
    "booking_promoted": (
        "Plaats vrijgekomen: {{ e.offering_title }} op {{ e.starts_at | wanneer }}",
        "Er zijn plaatsen vrijgekomen: de boeking voor groep {{ e.group.name }}"
        " ({{ e.group.students }} leerlingen) staat niet meer op de wachtlijst en is"
        " bevestigd.\nWat: {{ e.offering_title }}\nWanneer: {{ e.starts_at | wanneer }}"
        "\nWaar: {{ e.location }}\nAnnuleren kan via het platform.",
    ),
    "booking_cancelled": (
        "Geannuleerd: {{ e.offering_title }} op {{ e.starts_at | wanneer }}",
        "De boeking voor groep {{ e.group.name }} is geannuleerd.\nWat: {{ e.offering_title }}"
        "\nWanneer: {{ e.starts_at | wanneer }}",
    ),
    "booking_cancelled_backoffice": (
        "Annulering door {{ e.school_id }}: {{ e.offering_title }}",
        "{{ e.school_id }} annuleerde groep {{ e.group.name }} ({{ e.group.students }}"
        " leerlingen) voor {{ e.starts_at | wanneer }}. Er zijn weer plaatsen vrij.",
    ),
    "booking_completed": (
        "Afgerond: {{ e.offering_title }}",
        "De les {{ e.offering_title }} voor groep {{ e.group.name }} is afgerond"
        " ({{ e.students_reached }} leerlingen bereikt). De uren staan klaar op uw"
        " kwartaaldeclaratie.",
    ),
    "reservation_made": (
        "Gereserveerd: {{ e.item_name }}",
        "Voor uw school is {{ e.quantity }} x {{ e.item_name }} gereserveerd van"
        " {{ e.starts_on }} tot en met {{ e.ends_on }}. Ophalen bij de hotspot.",
    ),
    "event_scheduled": (
        "Nieuw evenement: {{ e.title }}",
        "{{ e.title }} staat gepland op {{ e.starts_at | wanneer }}. Er zijn {{ e.capacity }}"
        " plaatsen; inschrijven kan via het platform.",
    ),
    "declaration_line_drafted": (
        "Nieuwe declaratieregel {{ e.quarter }}",
        "Op de declaratie van {{ e.school_id }} voor {{ e.quarter }} staat een nieuwe"
        " conceptregel: {{ e.description }} ({{ e.amount_cents | euro }}).",
    ),
}

_COMPILED = {kind: (_env.from_string(subject), _env.from_string(body))
             for kind, (subject, body) in TEMPLATES.items()}


@dataclass(frozen=True)
class Draft:
    organisation_id: str
    message_type: str
    facts: IntegrationEvent = field(repr=False)

    def render(self) -> tuple[str, str]:
        subject, body = _COMPILED[self.message_type]
        return subject.render(e=self.facts), body.render(e=self.facts)


def drafts_for(event: IntegrationEvent) -> list[Draft]:
    """The notifications an event causes: one per recipient organisation and message type."""
    match event:
        case BookingConfirmedV1(from_waitlist=True):
            return [Draft(event.school_id, "booking_promoted", event)]
        case BookingConfirmedV1():
            return [Draft(event.school_id, "booking_confirmed", event)]
        case BookingWaitlistedV1():
            return [Draft(event.school_id, "booking_waitlisted", event)]
        case BookingCancelledV1(was_waitlisted=True):
            # No seats came free: nothing for the backoffice to act on.
            return [Draft(event.school_id, "booking_cancelled", event)]
        case BookingCancelledV1():
            return [Draft(event.school_id, "booking_cancelled", event),
                    Draft(BACKOFFICE, "booking_cancelled_backoffice", event)]
        case BookingCompletedV1():
            return [Draft(event.school_id, "booking_completed", event)]
        case ReservationMadeV1():
            return [Draft(event.school_id, "reservation_made", event)]
        case EventScheduledV1():
            return [Draft(BACKOFFICE, "event_scheduled", event)]
        case DeclarationLineDraftedV1():
            return [Draft(FINANCE, "declaration_line_drafted", event)]
    return []


HANDLED = (BookingConfirmedV1, BookingWaitlistedV1, BookingCancelledV1, BookingCompletedV1,
           ReservationMadeV1, EventScheduledV1, DeclarationLineDraftedV1)
