"""Registration rules, free of I/O: who may register a group for a session, what a waiting
list offers when seats come free, how long an offer holds, and what check-in records; and
who may register personally for an event for adults (the annual meeting)."""

import re
import secrets
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from shared.contracts.common import Group
from shared.domain import AMSTERDAM, BACKOFFICE, Refused, check_audience, first_groups_that_fit

# A school gets two days to say yes to a freed place: enough to ask the teachers,
# short enough that the place still reaches another class in time.
OFFER_TIME = timedelta(hours=48)
# 32 random bytes: 256 bits, far beyond guessing (at least 128 are asked).
CHECK_IN_CODE_BYTES = 32


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    LAPSED = "lapsed"
    CANCELLED = "cancelled"


# Statuses whose group holds seats of the session.
HOLDS_SEATS = frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED})


class RegistrationRefused(Refused):
    title = "Registration refused"


@dataclass(frozen=True)
class SessionFacts:
    capacity: int
    audience: Sequence[str]
    opens_at: datetime
    closes_at: datetime


def check_registrable(session: SessionFacts, group: Group, now: datetime) -> None:
    """Whether a group may ask for the session at all. Free seats are not checked here:
    the store takes them atomically, and a group that finds none joins the waiting list."""
    if not session.opens_at <= now < session.closes_at:
        raise RegistrationRefused("de inschrijving voor deze sessie is niet open", 422)
    check_audience(group.level, session.audience, RegistrationRefused)
    if group.students > session.capacity:
        raise RegistrationRefused(
            f"de groep ({group.students}) is groter dan de sessie ({session.capacity})", 422
        )


RegistrationId = TypeVar("RegistrationId", bound=Hashable)


def offers(free_seats: int, waiting: Sequence[tuple[RegistrationId, int]]) -> list[RegistrationId]:
    """The waiting groups (id, students), in list order, that freed seats are offered to."""
    return first_groups_that_fit(free_seats, waiting)


def offer_deadline(now: datetime, event_starts_at: datetime) -> datetime:
    """An offer never runs past the start of the event it is for."""
    return min(now + OFFER_TIME, event_starts_at)


def accept(
    status: RegistrationStatus, deadline: datetime | None, now: datetime
) -> RegistrationStatus:
    if status is not RegistrationStatus.OFFERED:
        raise RegistrationRefused(
            f"een inschrijving met status {status} heeft geen aanbod om te aanvaarden"
        )
    if deadline is None or now >= deadline:
        raise RegistrationRefused("het aanbod is verlopen")
    return RegistrationStatus.CONFIRMED


def has_lapsed(status: RegistrationStatus, deadline: datetime | None, now: datetime) -> bool:
    return status is RegistrationStatus.OFFERED and deadline is not None and now >= deadline


def cancel(status: RegistrationStatus, checked_in: bool) -> RegistrationStatus:
    if checked_in:
        raise RegistrationRefused("een groep die is ingecheckt kan niet annuleren")
    if status not in HOLDS_SEATS | {RegistrationStatus.WAITLISTED}:
        raise RegistrationRefused(
            f"een inschrijving met status {status} kan niet worden geannuleerd"
        )
    return RegistrationStatus.CANCELLED


def check_attendance(
    status: RegistrationStatus, checked_in: bool, registered: int, present: int
) -> None:
    if status is not RegistrationStatus.CONFIRMED:
        raise RegistrationRefused(
            f"een inschrijving met status {status} heeft geen plaatsen om op in te checken"
        )
    if checked_in:
        raise RegistrationRefused("deze inschrijving is al ingecheckt")
    if present > registered:
        raise RegistrationRefused(
            f"meer leerlingen aanwezig ({present}) dan ingeschreven ({registered})", 422
        )


def new_check_in_code() -> str:
    return secrets.token_urlsafe(CHECK_IN_CODE_BYTES)


# The audience of an event for the region's partners (the annual meeting, "op pad"): adults
# register personally there, not as a group of students.
ADULT_AUDIENCE = "partners"


class AttendeeStatus(StrEnum):
    REGISTERED = "registered"
    CANCELLED = "cancelled"


def is_for_adults(audience: Sequence[str]) -> bool:
    return ADULT_AUDIENCE in audience


def check_attendable(audience: Sequence[str], starts_at: datetime, now: datetime) -> None:
    """A person registers for an event for adults, until it starts. A full event is refused
    by the store, which counts the persons atomically."""
    if not is_for_adults(audience):
        raise RegistrationRefused(
            "voor dit evenement schrijven groepen leerlingen zich in, geen personen", 422
        )
    if now >= starts_at:
        raise RegistrationRefused("de inschrijving voor dit evenement is gesloten", 422)


def register_again(status: AttendeeStatus) -> AttendeeStatus:
    """The same e-mail address once per event: only a cancelled registration comes back."""
    if status is AttendeeStatus.REGISTERED:
        raise RegistrationRefused("dit e-mailadres is al ingeschreven voor het evenement")
    return AttendeeStatus.REGISTERED


def cancel_attendance(status: AttendeeStatus, starts_at: datetime, now: datetime) -> AttendeeStatus:
    if status is not AttendeeStatus.REGISTERED:
        raise RegistrationRefused(
            f"een inschrijving met status {status} kan niet worden geannuleerd"
        )
    if now >= starts_at:
        raise RegistrationRefused("het evenement is begonnen: een inschrijving blijft staan")
    return AttendeeStatus.CANCELLED


# A session lasts at most a school day's worth of hosting: more is a typing error.
MAX_HOSTED_MINUTES = 12 * 60


def hosted_minutes(
    starts_at: datetime, ends_at: datetime, now: datetime, minutes: int | None
) -> int:
    """The minutes a session's host gave, recorded once the session has begun; without the
    host's own figure, the session's length (its times, else its event's)."""
    if now < starts_at:
        raise RegistrationRefused(
            "een sessie wordt als gehouden vastgelegd zodra ze is begonnen", 422
        )
    given = minutes if minutes is not None else int((ends_at - starts_at).total_seconds() // 60)
    if not 1 <= given <= MAX_HOSTED_MINUTES:
        raise RegistrationRefused(f"{given} minuten is geen lengte van een sessie", 422)
    return given


# A person registers themselves and a few colleagues; more is a list for the backoffice,
# not a way for one account to take the annual meeting's 150 places.
PERSONS_PER_ACCOUNT = 5


def check_persons_per_account(role: str, registered_already: int) -> None:
    if role != BACKOFFICE and registered_already >= PERSONS_PER_ACCOUNT:
        raise RegistrationRefused(
            f"u kunt voor dit evenement hoogstens {PERSONS_PER_ACCOUNT} personen inschrijven; "
            "vraag de backoffice om er meer in te schrijven",
            409,
        )


def may_manage_attendee(role: str, actor: str, registered_by: str) -> bool:
    """The person who registered, or the backoffice that runs the event."""
    return role == BACKOFFICE or actor == registered_by


# Planning events and their sessions: what the backoffice may create or change.


class PlanningRefused(Refused):
    title = "Planning refused"


@dataclass(frozen=True)
class EventPlan:
    starts_at: datetime
    ends_at: datetime
    audience: Sequence[str]
    capacity: int


@dataclass(frozen=True)
class SessionPlan:
    """A session as planned; without times of its own it runs as long as its event."""

    capacity: int
    audience: Sequence[str]
    opens_at: datetime
    closes_at: datetime
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(AMSTERDAM):%d-%m-%Y %H:%M}"


def check_event(event: EventPlan, persons_registered: int = 0) -> None:
    if event.ends_at <= event.starts_at:
        raise PlanningRefused("Een evenement moet eindigen na het begin.", 422)
    if event.capacity < persons_registered:
        raise PlanningRefused(
            f"De capaciteit ({event.capacity}) kan niet lager zijn dan het aantal personen "
            f"dat al is aangemeld ({persons_registered})."
        )


def check_session(
    session: SessionPlan,
    event: EventPlan,
    seats_taken: int = 0,
    levels_registered: Iterable[str] = (),
) -> None:
    """A session lies within its event, for part of its audience, and closes registration
    before it starts; a change never drops seats or levels that groups hold already."""
    if is_for_adults(event.audience):
        raise PlanningRefused(
            "Bij een evenement voor partners melden personen zich zelf "
            "aan: het heeft geen sessies voor groepen.",
            422,
        )
    starts_at = session.starts_at or event.starts_at
    ends_at = session.ends_at or event.ends_at
    if ends_at <= starts_at:
        raise PlanningRefused("Een sessie moet eindigen na het begin.", 422)
    if not event.starts_at <= starts_at < ends_at <= event.ends_at:
        raise PlanningRefused(
            f"De sessie ({_when(starts_at)} tot {_when(ends_at)}) valt buiten het evenement "
            f"({_when(event.starts_at)} tot {_when(event.ends_at)}).",
            422,
        )
    if not session.opens_at < session.closes_at <= starts_at:
        raise PlanningRefused(
            "De aanmelding moet openen voordat ze sluit, en sluiten voordat de sessie begint.", 422
        )
    _check_audience(session.audience, event.audience, levels_registered)
    if session.capacity > event.capacity:
        raise PlanningRefused(
            f"Een sessie ({session.capacity} plaatsen) kan niet groter zijn "
            f"dan haar evenement ({event.capacity}).",
            422,
        )
    if session.capacity < seats_taken:
        raise PlanningRefused(
            f"De capaciteit ({session.capacity}) kan niet lager zijn dan de "
            f"plaatsen die al bezet zijn ({seats_taken})."
        )


def _check_audience(
    audience: Sequence[str], of_event: Sequence[str], levels_registered: Iterable[str]
) -> None:
    outside = sorted(set(audience) - set(of_event))
    if outside:
        raise PlanningRefused(f"Het evenement is niet bedoeld voor {', '.join(outside)}.", 422)
    dropped = sorted(set(levels_registered) - set(audience))
    if dropped:
        raise PlanningRefused(
            f"Er zijn al groepen van {', '.join(dropped)} aangemeld: dat "
            "niveau blijft in de doelgroep."
        )


def event_id_for(title: str, starts_at: datetime) -> str:
    """A readable id: the title as a slug and the event's (local) day, e.g.
    girls-day-2028-04-13. Each day of a multi-day event is an event of its own."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80].strip("-") or "evenement"
    return f"{slug}-{starts_at.astimezone(AMSTERDAM).date().isoformat()}"


def waitlist_positions(
    registrations: Sequence[tuple[RegistrationId, str]],
) -> dict[RegistrationId, int]:
    """Of (id, status) in the order the groups asked, each waiting group's place: 1 is next."""
    waiting = [rid for rid, status in registrations if status == RegistrationStatus.WAITLISTED]
    return {rid: place for place, rid in enumerate(waiting, start=1)}
