"""Who hears of what, in which words: pure functions from an event to notifications."""

from dataclasses import dataclass, field
from datetime import datetime

from jinja2 import Environment, StrictUndefined

from shared.contracts.base import IntegrationEvent
from shared.contracts.bookings import (
    BookingCancelledV1,
    BookingCompletedV1,
    BookingConfirmedV1,
    BookingEquipmentRequestedV1,
    BookingRejectedV1,
    BookingWaitlistedV1,
)
from shared.contracts.events import (
    EventScheduledV1,
    RegistrationCheckedInV1,
    RegistrationConfirmedV1,
    RegistrationOfferedV1,
    RegistrationOfferLapsedV1,
    RegistrationWaitlistedV1,
)
from shared.contracts.finance import (
    DeclarationApprovedV1,
    DeclarationLineDraftedV1,
    DeclarationPaidV1,
    DeclarationRejectedV1,
    DeclarationSubmittedV1,
)
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
    "booking_requested": (
        "Aangevraagd: {{ e.offering_title }} op {{ e.starts_at | wanneer }}",
        "De plaatsen voor groep {{ e.group.name }} ({{ e.group.students }} leerlingen) zijn"
        " vastgehouden. De les heeft materiaal nodig; zodra de hotspot dat heeft"
        " gereserveerd, is de boeking bevestigd en krijgt u bericht.\nWat:"
        " {{ e.offering_title }}\nWanneer: {{ e.starts_at | wanneer }}",
    ),
    "booking_rejected": (
        "Niet doorgegaan: {{ e.offering_title }} op {{ e.starts_at | wanneer }}",
        "De boeking voor groep {{ e.group.name }} kan niet doorgaan: {{ e.reason }}"
        "{% if e.alternative %}\nHet materiaal is wel vrij van {{ e.alternative.starts_on }}"
        " tot en met {{ e.alternative.ends_on }}; u kunt via het platform een sessie in die"
        " periode boeken.{% endif %}\nDe plaatsen zijn vrijgegeven.",
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
    "registration_confirmed": (
        "Inschrijving bevestigd: {{ e.event_title }} op {{ e.starts_at | wanneer }}",
        "Groep {{ e.group.name }} ({{ e.group.students }} leerlingen) is ingeschreven voor"
        " {{ e.session_title }}.\nWanneer: {{ e.starts_at | wanneer }}\nWaar: {{ e.location }}"
        "\nDe incheckcode staat bij de inschrijving op het platform; laat hem op de dag"
        " scannen. Annuleren kan via het platform.",
    ),
    "registration_waitlisted": (
        "Wachtlijst: {{ e.event_title }} op {{ e.starts_at | wanneer }}",
        "{{ e.session_title }} is vol. Groep {{ e.group.name }} ({{ e.group.students }}"
        " leerlingen) staat op de wachtlijst, positie {{ e.position }}.\nKomt er plaats vrij,"
        " dan krijgt u een aanbod dat u binnen een termijn kunt accepteren. Van de wachtlijst"
        " af kan via het platform.",
    ),
    "registration_offered": (
        "Plaats vrij voor u: {{ e.event_title }} op {{ e.starts_at | wanneer }}",
        "Er is plaats vrijgekomen in {{ e.session_title }} voor groep {{ e.group.name }}"
        " ({{ e.group.students }} leerlingen). De plaatsen worden voor u vastgehouden tot"
        " {{ e.offer_expires_at | wanneer }}.\nAccepteer het aanbod vóór die tijd via het"
        " platform; daarna gaat de plaats naar de volgende groep op de wachtlijst.",
    ),
    "registration_offer_lapsed": (
        "Aanbod verlopen: {{ e.event_title }}",
        "Het aanbod voor groep {{ e.group.name }} in {{ e.session_title }} is niet op tijd"
        " geaccepteerd en is vervallen. De plaats is aangeboden aan de volgende groep.",
    ),
    "registration_checked_in": (
        "Aanwezigheid geregistreerd: {{ e.event_title }}",
        "Groep {{ e.group.name }} is ingecheckt bij {{ e.session_title }}:"
        " {{ e.students_present }} van de {{ e.group.students }} leerlingen aanwezig.",
    ),
    "declaration_line_drafted": (
        "Nieuwe declaratieregel {{ e.quarter }}",
        "Op de declaratie van {{ e.school_id }} voor {{ e.quarter }} staat een nieuwe"
        " conceptregel: {{ e.description }} ({{ e.amount_cents | euro }}).",
    ),
    "declaration_submitted": (
        "Declaratie ingediend: {{ e.school_id }} {{ e.quarter }}",
        "{{ e.school_id }} heeft de declaratie over {{ e.quarter }} ingediend"
        " ({{ e.total_cents | euro }}). Beoordelen kan via het platform; wie indiende,"
        " keurt niet zelf goed.",
    ),
    "declaration_approved": (
        "Declaratie goedgekeurd: {{ e.quarter }}",
        "Uw declaratie over {{ e.quarter }} is goedgekeurd ({{ e.total_cents | euro }})."
        " De betaling volgt in een volgende betaalronde.",
    ),
    "declaration_rejected": (
        "Declaratie afgekeurd: {{ e.quarter }}",
        "Uw declaratie over {{ e.quarter }} is afgekeurd: {{ e.reason }}\nU kunt regels"
        " toevoegen en de declaratie opnieuw indienen via het platform.",
    ),
    "declaration_paid": (
        "Declaratie betaald: {{ e.quarter }}",
        "Uw declaratie over {{ e.quarter }} ({{ e.total_cents | euro }}) is betaald op"
        " {{ e.paid_on }} in betaalronde {{ e.batch }}.",
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
        case BookingCancelledV1(was_waitlisted=True):
            # No seats came free: nothing for the backoffice to act on.
            return [Draft(event.school_id, "booking_cancelled", event)]
        case BookingCancelledV1():
            return [Draft(event.school_id, "booking_cancelled", event),
                    Draft(BACKOFFICE, "booking_cancelled_backoffice", event)]
        case BookingEquipmentRequestedV1():
            return [Draft(event.school_id, "booking_requested", event)]
        case BookingRejectedV1():
            return [Draft(event.school_id, "booking_rejected", event)]
        case BookingCompletedV1():
            return [Draft(event.school_id, "booking_completed", event)]
        case ReservationMadeV1():
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
        case _ if type(event) in _REGISTRATION_MESSAGES:  # each goes to the school, as is
            return [Draft(event.school_id, _REGISTRATION_MESSAGES[type(event)], event)]
    return []


HANDLED = (BookingConfirmedV1, BookingWaitlistedV1, BookingCancelledV1, BookingCompletedV1,
           BookingEquipmentRequestedV1, BookingRejectedV1, ReservationMadeV1, EventScheduledV1,
           DeclarationLineDraftedV1, DeclarationSubmittedV1, DeclarationApprovedV1,
           DeclarationRejectedV1, DeclarationPaidV1, *_REGISTRATION_MESSAGES)
