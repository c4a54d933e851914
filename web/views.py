"""View models: the API's JSON turned into what the pages show, and the API's refusals into
Dutch sentences next to the field or at the top of the page. No I/O here."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from web import formatting
from web.gateway import ApiProblem

# -- the offer ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferFilter:
    """Aanbod's filters, kept in the URL: soort (kind), niveau (level), profiel (profile),
    thema (theme)."""

    kind: str = ""
    level: str = ""
    profile: str = ""
    theme: str = ""

    @classmethod
    def of(cls, query: dict[str, str]) -> "OfferFilter":
        return cls(
            query.get("soort", ""),
            query.get("niveau", ""),
            query.get("profiel", ""),
            query.get("thema", ""),
        )

    @property
    def active(self) -> bool:
        return bool(self.kind or self.level or self.profile or self.theme)

    def query(self) -> dict[str, str]:
        """The filters as the URL carries them."""
        chosen = {
            "soort": self.kind,
            "niveau": self.level,
            "profiel": self.profile,
            "thema": self.theme,
        }
        return {k: v for k, v in chosen.items() if v}

    def matches(self, offer: dict[str, Any]) -> bool:
        return (
            (not self.kind or offer["kind"] == self.kind)
            and (not self.level or self.level in offer["audience"])
            and (not self.profile or offer.get("profile") == self.profile)
            and (not self.theme or offer.get("theme") == self.theme)
        )


@dataclass(frozen=True)
class OfferList:
    offers: list[dict[str, Any]]
    kinds: list[str]
    profiles: list[str]
    themes: list[str]
    filter: OfferFilter


def offer_list(offers: list[dict[str, Any]], chosen: OfferFilter) -> OfferList:
    """The offers that pass the filter, with the choices the filter offers."""
    kinds = sorted(
        {o["kind"] for o in offers}, key=lambda k: formatting.label(formatting.OFFER_KINDS, k)
    )
    profiles = sorted({o["profile"] for o in offers if o.get("profile")})
    themes = sorted(
        {o["theme"] for o in offers if o.get("theme")},
        key=lambda t: formatting.label(formatting.THEMES, t),
    )
    return OfferList([o for o in offers if chosen.matches(o)], kinds, profiles, themes, chosen)


@dataclass(frozen=True)
class SessionRow:
    id: str
    starts_at: datetime
    ends_at: datetime
    room: str
    capacity: int
    seats_left: int
    series_id: str | None

    @classmethod
    def of(cls, s: dict[str, Any]) -> "SessionRow":
        return cls(
            str(s["id"]),
            datetime.fromisoformat(s["starts_at"]),
            datetime.fromisoformat(s["ends_at"]),
            s["room"],
            s["capacity"],
            s["seats_left"],
            s.get("series_id"),
        )


@dataclass(frozen=True)
class SeriesRow:
    """An offer booked as a whole (a masterklas: 4 sessions): its sessions and the seats
    left on all of them."""

    id: str
    sessions: list[SessionRow]

    @property
    def seats_left(self) -> int:
        return min(s.seats_left for s in self.sessions)


def series_of(sessions: list[SessionRow]) -> list[SeriesRow]:
    grouped: dict[str, list[SessionRow]] = {}
    for s in sessions:
        if s.series_id:
            grouped.setdefault(s.series_id, []).append(s)
    return [SeriesRow(sid, rows) for sid, rows in grouped.items()]


# -- the offer's calendar -------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: date | None  # None: a day of the month before or after
    sessions: list[SessionRow]


@dataclass(frozen=True)
class Month:
    """A month of an offer's sessions, Monday to Sunday a week per row."""

    first: date
    weeks: list[list[CalendarDay]]

    @property
    def label(self) -> str:
        return formatting.long_date(self.first).split(" ", 2)[2]  # "juni 2027" of its 1st

    @property
    def previous(self) -> str:
        return (self.first - timedelta(days=1)).strftime("%Y-%m")

    @property
    def next(self) -> str:
        return (self.first + timedelta(days=31)).strftime("%Y-%m")

    @property
    def empty(self) -> bool:
        return not any(d.sessions for w in self.weeks for d in w)


def month_shown(text: str, sessions: list[SessionRow], today: date) -> date:
    """The first day of the month asked for ("2027-06"); else of the first session coming,
    else this month."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        first = min((formatting.local(s.starts_at).date() for s in sessions), default=today)
        return first.replace(day=1)


def month(first: date, sessions: list[SessionRow]) -> Month:
    by_day: dict[date, list[SessionRow]] = {}
    for s in sorted(sessions, key=lambda s: s.starts_at):
        by_day.setdefault(formatting.local(s.starts_at).date(), []).append(s)
    day, weeks = first - timedelta(days=first.weekday()), []
    while day.month == first.month or day < first:
        weeks.append(
            [
                CalendarDay(d, by_day.get(d, []))
                if d.month == first.month
                else CalendarDay(None, [])
                for d in (day + timedelta(days=n) for n in range(7))
            ]
        )
        day += timedelta(days=7)
    return Month(first, weeks)


# -- bookings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """When and where a booked session is."""

    starts_at: datetime
    ends_at: datetime
    room: str | None


@dataclass(frozen=True)
class BookingRow:
    """A booking as the bookings API reads it: with its offer's title and its session's
    times and room (also when that session was cancelled since)."""

    booking: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.booking["id"])

    @property
    def title(self) -> str:
        return self.booking.get("offering_title") or "Onbekend onderdeel"

    @cached_property  # read a few times per row of a page
    def session(self) -> Slot | None:
        b = self.booking
        if not b.get("starts_at") or not b.get("ends_at"):
            return None
        return Slot(
            datetime.fromisoformat(b["starts_at"]),
            datetime.fromisoformat(b["ends_at"]),
            b.get("room"),
        )

    @property
    def status(self) -> str:
        return self.booking["status"]

    @property
    def group(self) -> dict[str, Any]:
        return self.booking["group"]

    @property
    def cancellable(self) -> bool:
        return self.status in ("requested", "confirmed", "waitlisted")


def booking_rows(bookings: list[dict[str, Any]]) -> list[BookingRow]:
    """The bookings, the soonest session first."""
    far = datetime.max.replace(tzinfo=formatting.AMSTERDAM)
    rows = [BookingRow(b) for b in bookings]
    return sorted(rows, key=lambda r: r.session.starts_at if r.session else far)


def ended(rows: list[BookingRow], now: datetime) -> list[BookingRow]:
    """The bookings whose session is over: what the backoffice completes next."""
    return [r for r in rows if r.session is not None and r.session.ends_at <= now]


# Where a loan stands that Mijn planning lists: still to come, with the school, or late.
OPEN_LOANS = ("reserved", "out", "overdue")


def open_loans(*found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The school's reservations still to fetch, out or overdue, from the API's lists
    (today's and coming ones, and the overdue ones), each once, the first to start first."""
    unique = {r["id"]: r for rows in found for r in rows if r.get("desk_status") in OPEN_LOANS}
    return sorted(unique.values(), key=lambda r: (r["starts_on"], r["id"]))


def coming_registrations(found: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """The classes registered (confirmed) for an event session that has not ended, soonest
    first; a session without times counts as coming."""
    coming = [
        r
        for r in found
        if r["status"] == "confirmed"
        and (not r.get("ends_at") or datetime.fromisoformat(r["ends_at"]) > now)
    ]
    return sorted(coming, key=lambda r: r.get("starts_at") or "9999")


def is_late(starts_at: datetime, now: datetime, free_days: int) -> bool:
    """Cancelling now is late when the session starts within the free-cancellation days."""
    return (starts_at - now).total_seconds() < free_days * 86400


# -- forms and the API's answers -------------------------------------------------------------


@dataclass
class Form:
    """What a person typed (kept on every error) and the errors per field, in page order."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    # The ETag of what an edit form was filled from, sent back as If-Match: a change someone
    # else made meanwhile is refused (412), not overwritten.
    version: str = ""

    def sent_from(self, sent: Mapping[str, Any]) -> "Form":
        """This form, with the version its page carried (a hidden field)."""
        self.version = str(sent.get("etag", ""))
        return self

    @property
    def valid(self) -> bool:
        return not self.errors

    def summary(self) -> list[tuple[str, str, str]]:
        """(field, label, message) for the error summary at the top of the page."""
        order = [*self.labels, *self.values]
        return [
            (name, self.labels.get(name, name), self.errors[name])
            for name in sorted(
                self.errors, key=lambda n: order.index(n) if n in order else len(order)
            )
        ]


GROUP_FIELDS = {
    "klas": "Klas",
    "niveau": "Niveau",
    "leerjaar": "Leerjaar",
    "leerlingen": "Aantal leerlingen",
}
# The API's field names (problem details `errors[].field`) to the form's.
API_FIELDS = {
    "group.name": "klas",
    "group.level": "niveau",
    "group.year": "leerjaar",
    "group.students": "leerlingen",
    "reason": "reden",
    "students_reached": "aanwezig",
    "condition_note": "notitie",
    "condition": "staat",
    "damage.description": "schade",
    "damage.repair_cost_cents": "kosten",
    "starts_on": "van",
    "ends_on": "tot",
    "quantity": "aantal",
    "profile": "profiel",
    "theme": "thema",
    "code": "code",
    "students_present": "aanwezig",
    "kind": "soort",
    "title": "titel",
    "audience": "doelgroep",
    "location": "locatie",
    "session_minutes": "duur",
    "capacity": "plaatsen",
    "assignment": "opdracht",
    "internship_year": "leerjaar",
    "period_starts_on": "van",
    "period_ends_on": "tot",
    # the backoffice's calendar, organisations and people (web/manage.py)
    "name": "naam",
    "municipality": "gemeente",
    "place": "plaats",
    "branch": "branche",
    "profiles": "profielen",
    "id": "code",
    "organisation_id": "organisatie",
    "role": "rol",
    "email": "email",
    "max_sessions": "maximum",
    "min_lead_days": "voorbereiding",
    "free_cancellation_days": "annuleren",
    "school_id": "school",
    # accepting an invitation (web/manage.py)
    "username": "gebruikersnaam",
    "password": "wachtwoord",
}


def group_form(values: dict[str, str]) -> Form:
    """The class a school books for. Only what is needed to ask the API is checked here
    (filled in, a whole number); the API decides the rest and its answer lands on the form."""
    form = Form({k: values.get(k, "").strip() for k in GROUP_FIELDS}, labels=dict(GROUP_FIELDS))
    for name in GROUP_FIELDS:
        if not form.values[name]:
            form.errors[name] = f"Vul {GROUP_FIELDS[name].lower()} in."
    for name in ("leerjaar", "leerlingen"):
        if form.values[name] and not form.values[name].isdigit():
            form.errors.setdefault(name, "Vul een heel getal in, bijvoorbeeld 24.")
    return form


def booking_form(values: dict[str, str], on_behalf: bool) -> Form:
    """The class, and for the backoffice booking on behalf of a school, which school."""
    return for_school(group_form(values), values, on_behalf, "Kies de school waarvoor je boekt.")


def for_school(form: Form, values: dict[str, str], on_behalf: bool, missing: str) -> Form:
    """The backoffice books, registers and reserves on behalf of the school it chooses
    (`school`, first on the form); a school acts for itself."""
    if on_behalf:
        form.values = {"school": values.get("school", "").strip(), **form.values}
        form.labels = {"school": "School", **form.labels}
        if not form.values["school"]:
            form.errors["school"] = missing
    return form


def school_part(form: Form) -> dict[str, str]:
    """The API's `school_id` when the backoffice acts on behalf of a school."""
    return {"school_id": form.values["school"]} if "school" in form.values else {}


def group_body(form: Form) -> dict[str, Any]:
    v = form.values
    return {
        "name": v["klas"],
        "level": v["niveau"],
        "year": int(v["leerjaar"]),
        "students": int(v["leerlingen"]),
    }


# -- a company's proposals ----------------------------------------------------------------


PROPOSAL_FIELDS = {
    "soort": "Soort aanbod",
    "titel": "Titel",
    "doelgroep": "Voor niveaus",
    "profiel": "Profiel",
    "thema": "Thema",
    "locatie": "Waar",
    "duur": "Duur in minuten",
    "plaatsen": "Aantal leerlingen per keer",
    "opdracht": "Praktijkopdracht",
    "leerjaar": "Leerjaar (stage)",
    "van": "Eerste dag (stage)",
    "tot": "Laatste dag (stage)",
}
PROPOSAL_KINDS = ("company_visit", "guest_lesson", "internship", "assignment")


def blank_proposal() -> Form:
    """A company visit for a class of 25 for two hours, until the person says otherwise."""
    defaults = {"soort": "company_visit", "duur": "120", "plaatsen": "25"}
    return Form({k: defaults.get(k, "") for k in PROPOSAL_FIELDS}, labels=PROPOSAL_FIELDS)


def proposal_form(values: dict[str, str]) -> Form:
    """What a company contact proposes. Only what is needed to ask the API is checked here
    (numbers and dates as such); the API decides the rest and its answer lands on the form."""
    form = Form({k: values.get(k, "").strip() for k in PROPOSAL_FIELDS}, labels=PROPOSAL_FIELDS)
    for name in ("duur", "plaatsen", "leerjaar"):
        if form.values[name] and not form.values[name].isdigit():
            form.errors[name] = "Vul een heel getal in, bijvoorbeeld 24."
    for name in ("van", "tot"):
        if form.values[name] and parse_day(form.values[name]) is None:
            form.errors[name] = "Vul een datum in, bijvoorbeeld 9-6-2027."
    if not form.values["doelgroep"]:
        form.errors["doelgroep"] = "Kies minstens één niveau."
    check_theme(form)
    return form


def check_theme(form: Form) -> None:
    """A theme is one of the plan's, or none in particular (empty)."""
    if form.values["thema"] and form.values["thema"] not in formatting.THEMES:
        form.errors["thema"] = "Kies een thema uit de lijst."


def proposal_body(form: Form) -> dict[str, Any]:
    v = form.values

    def number(name: str) -> int | None:
        return int(v[name]) if v[name] else None

    return {
        "kind": v["soort"],
        "title": v["titel"],
        "audience": v["doelgroep"].split(","),
        "profile": v["profiel"] or None,
        "theme": v["thema"] or None,
        "location": v["locatie"],
        "session_minutes": number("duur") or 120,
        "capacity": number("plaatsen") or 25,
        "assignment": v["opdracht"] or None,
        "internship_year": number("leerjaar"),
        "period_starts_on": v["van"] or None,
        "period_ends_on": v["tot"] or None,
    }


def place_refusal(form: Form, problem: ApiProblem) -> bool:
    """The API's field errors at their fields, or a rule's refusal at the field it names
    (`field` in the problem); False when it concerns no field of the form."""
    if apply_problem(form, problem):
        return True
    name = API_FIELDS.get(str(problem.extra.get("field", "")))
    if name in form.values and problem.detail:
        form.errors[name] = f"{problem.detail[:1].upper()}{problem.detail[1:]}."
        return True
    return False


def by_start(bookings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bookings as the API reads them (with their offer's title and the session's times),
    the soonest first."""
    return sorted(bookings, key=lambda b: (b.get("starts_at") or "9999", str(b["id"])))


def answer_refusal(problem: ApiProblem) -> str:
    """Why a request could not be answered, with what to do."""
    if problem.extra.get("rule") == "answered" or problem.status == 404:
        return (
            "Deze aanvraag is al beantwoord of door de school ingetrokken. De lijst "
            "hieronder is bijgewerkt."
        )
    return refusal(problem)


# -- the loans desk ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskFilter:
    """The loans desk's filters, kept in the URL: dag (the day, today when not given or not
    a date), status and school."""

    day: date
    status: str = ""
    school: str = ""

    @classmethod
    def of(cls, query: dict[str, str], today: date) -> "DeskFilter":
        status = query.get("status", "")
        return cls(
            parse_day(query.get("dag", "")) or today,
            status if status in formatting.DESK_STATUSES else "",
            query.get("school", "").strip().lower(),
        )

    def params(self) -> dict[str, str]:
        """The API's query for the reservations that run on the day."""
        day = self.day.isoformat()
        return {"from": day, "to": day, "status": self.status, "school_id": self.school}

    def query(self, today: date) -> dict[str, str]:
        """The filters as the desk's URL carries them (today's date left out)."""
        chosen = {
            "dag": "" if self.day == today else self.day.isoformat(),
            "status": self.status,
            "school": self.school,
        }
        return {k: v for k, v in chosen.items() if v}


def parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


RETURN_FIELDS = {
    "staat": "Staat bij inname",
    "schade": "Schade",
    "kosten": "Geschatte reparatiekosten",
}
_EUROS = re.compile(r"^(?:€\s*)?(\d{1,7})(?:[,.](\d{1,2}))?$")


def cents(text: str) -> int | None:
    """ "12,50", "€ 12.5" or "12" in cents; None when it is no amount."""
    found = _EUROS.match(text.strip())
    if found is None:
        return None
    euros, rest = found.group(1), (found.group(2) or "0").ljust(2, "0")
    return int(euros) * 100 + int(rest)


def return_form(values: dict[str, str]) -> Form:
    """Innemen: the condition is needed; damage, when found, with its estimated cost."""
    form = Form({k: values.get(k, "").strip() for k in RETURN_FIELDS}, labels=RETURN_FIELDS)
    v = form.values
    if not v["staat"]:
        form.errors["staat"] = "Vul in hoe het terugkomt, bijvoorbeeld goed of beschadigd."
    if v["kosten"] and cents(v["kosten"]) is None:
        form.errors["kosten"] = "Vul een bedrag in euro in, bijvoorbeeld 45,00."
    elif v["kosten"] and not v["schade"]:
        form.errors["schade"] = "Beschrijf de schade waar de reparatiekosten voor zijn."
    return form


def return_body(form: Form) -> dict[str, Any]:
    v = form.values
    damage = (
        {"description": v["schade"], "repair_cost_cents": cents(v["kosten"]) or 0}
        if v["schade"]
        else None
    )
    return {"condition": v["staat"], "damage": damage}


PERIOD_FIELDS = {
    "categorie": "Soort apparatuur",
    "van": "Eerste dag",
    "tot": "Laatste dag",
    "aantal": "Aantal",
}


def period_form(values: dict[str, str], on_behalf: bool = False) -> Form:
    """Apparatuur lenen: which kind of equipment, from which day to which day, and for the
    backoffice for which school. Checked only for what the API needs to be asked; the loan
    policy is the API's to apply."""
    form = for_school(
        Form({k: values.get(k, "").strip() for k in PERIOD_FIELDS}, labels=dict(PERIOD_FIELDS)),
        values,
        on_behalf,
        "Kies de school waarvoor je reserveert.",
    )
    v = form.values
    if not v["categorie"]:
        form.errors["categorie"] = "Kies een soort apparatuur."
    for name in ("van", "tot"):
        if parse_day(v[name]) is None:
            form.errors[name] = "Vul een datum in, bijvoorbeeld 9-6-2027."
    if v["aantal"] and not v["aantal"].isdigit():
        form.errors["aantal"] = "Vul een heel getal in, bijvoorbeeld 1."
    return form


def reservation_body(form: Form, item_id: str) -> dict[str, Any]:
    v = form.values
    return {
        "item_id": item_id,
        "starts_on": v["van"],
        "ends_on": v["tot"],
        "quantity": int(v["aantal"] or 1),
    } | school_part(form)


def unavailable(problem: ApiProblem, names: dict[str, str]) -> str | None:
    """A 409 of loans with the nearest way to get it anyway, as a sentence."""
    other = problem.extra.get("alternative")
    if problem.status != 409 or not isinstance(other, dict):
        return None
    name = names.get(str(other.get("item_id")), str(other.get("item_id")))
    first, last = parse_day(str(other.get("starts_on"))), parse_day(str(other.get("ends_on")))
    when = (
        f" van {formatting.long_date(first)} tot en met {formatting.long_date(last)}"
        if first and last
        else ""
    )
    return f"Dit is in die periode niet vrij. Wel vrij: {name}{when}."


# -- events ---------------------------------------------------------------------------------


def registration_form(values: dict[str, str], on_behalf: bool = False) -> Form:
    """A class registered for an event's session: the class as for a booking, and its
    profile when it has one; the backoffice names the school it registers for."""
    form = group_form(values)
    form.values["profiel"] = values.get("profiel", "").strip()
    form.labels["profiel"] = "Profiel"
    return for_school(form, values, on_behalf, "Kies de school waarvoor je aanmeldt.")


def registration_body(form: Form, session_id: str) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "group": group_body(form),
        "profile": form.values["profiel"] or None,
    } | school_part(form)


_CODE = re.compile(r"^[A-Za-z0-9_-]{22,100}$")
CHECK_IN_FIELDS = {"code": "Code", "aanwezig": "Aanwezige leerlingen"}


def check_in_form(values: dict[str, str]) -> Form:
    """Inchecken at the door: the code the class shows and how many came."""
    form = Form({k: values.get(k, "").strip() for k in CHECK_IN_FIELDS}, labels=CHECK_IN_FIELDS)
    if not form.values["code"]:
        form.errors["code"] = "Vul de code in die de school laat zien."
    elif not _CODE.match(form.values["code"]):
        form.errors["code"] = "Deze code klopt niet: hij heeft minstens 22 letters en cijfers."
    if not form.values["aanwezig"].isdigit():
        form.errors["aanwezig"] = "Vul het aantal leerlingen in, bijvoorbeeld 24."
    return form


def check_in_refusal(form: Form, problem: ApiProblem) -> None:
    """A code that is wrong, of another event or used already: said at the code."""
    if problem.status == 404:
        form.errors["code"] = (
            "Geen aanmelding met deze code voor dit evenement. Controleer de code."
        )
    elif problem.status == 409:
        form.errors["code"] = f"Inchecken lukte niet: {problem.detail}."
    elif problem.status == 422 and not apply_problem(form, problem):
        form.errors["aanwezig"] = f"{problem.detail[:1].upper()}{problem.detail[1:]}."


_LIMIT = re.compile(r"(-?\d+(?:\.\d+)?)")
FIELD_MESSAGES = {
    "missing": "Vul dit in.",
    "greater_than_equal": "Dit moet minstens {n} zijn.",
    "greater_than": "Dit moet meer dan {n} zijn.",
    "less_than_equal": "Dit mag hoogstens {n} zijn.",
    "less_than": "Dit moet minder dan {n} zijn.",
    "string_too_short": "Dit is te kort: gebruik minstens {n} tekens.",
    "string_too_long": "Dit is te lang: gebruik hoogstens {n} tekens.",
    # An optional text's bounds (a PATCH's title) come as a sequence's: the forms check
    # their lists (levels, rooms) themselves, so only texts reach the person with these.
    "too_short": "Dit is te kort: gebruik minstens {n} tekens.",
    "too_long": "Dit is te lang: gebruik hoogstens {n} tekens.",
    "int_parsing": "Vul een heel getal in.",
    "literal_error": "Kies een van de mogelijkheden.",
}


def field_message(error: dict[str, Any]) -> str:
    """A field error of the API in Dutch: by its stable `code`, with the limit from its
    message; an unknown code keeps the API's own message."""
    template = FIELD_MESSAGES.get(str(error.get("code", "")))
    message = str(error.get("message", ""))
    if template is None:
        return message or "Dit klopt niet."
    limit = _LIMIT.search(message)
    return template.format(n=limit.group(1) if limit else "")


_ITEM = re.compile(r"\.\d+$")


def apply_problem(form: Form, problem: ApiProblem, fields: dict[str, str] = API_FIELDS) -> bool:
    """Put the API's field errors on the form's fields (`fields`: the API's names to the
    form's; an item of a list, "rooms.2", on the list's field); False when none named a field."""
    placed = False
    for error in problem.errors:
        name = fields.get(_ITEM.sub("", str(error.get("field", ""))))
        if name in form.values:
            form.errors.setdefault(name, field_message(error))
            placed = True
    # A rule of a service that names the one field it is about (`field`): its detail there.
    name = API_FIELDS.get(str(problem.extra.get("field", "")))
    if not placed and name in form.values and problem.detail:
        form.errors.setdefault(name, f"{problem.detail[:1].upper()}{problem.detail[1:]}.")
        placed = True
    return placed


def refusal(problem: ApiProblem) -> str:
    """Why the platform said no, in a sentence with the next step."""
    extra = problem.extra
    rule = extra.get("rule")
    if rule == "lead_time":
        return "Deze sessie begint te snel om nog te boeken. Kies een sessie die later begint."
    if rule == "calendar":
        why = extra.get("closed_because")
        return (
            f"Op die dag zijn er geen lessen{f' ({why})' if why else ''}. "
            "Kies een sessie op een andere dag."
        )
    if rule == "quota":
        return (
            f"Jullie school heeft het maximum van {extra.get('quota')} sessies dit "
            "schooljaar bereikt. Neem contact op met de hotspot als je meer nodig hebt."
        )
    if problem.status == 404:
        return "Dit bestaat niet (meer). Kies opnieuw in het aanbod."
    if problem.status == 412:
        return (
            "Iemand anders heeft dit intussen gewijzigd. Open de pagina opnieuw om de "
            "nieuwe gegevens te zien en breng je wijziging daarna opnieuw aan."
        )
    if problem.status >= 500:
        return "Het platform is even niet bereikbaar. Probeer het zo opnieuw."
    return "Het platform kon dit niet uitvoeren."


# -- a list a page at a time ----------------------------------------------------------------


def page_of(value: str) -> int:
    """The page a URL asks for (`pagina=2`); the first when it asks for none."""
    return max(1, int(value)) if value.isdigit() else 1


def page_params(page: int, size: int) -> dict[str, int]:
    """The API's query for a page: one more than it shows, to know whether another follows."""
    return {"limit": size + 1, "offset": (page - 1) * size}


@dataclass(frozen=True)
class Listing:
    """A list's choice, kept in the URL: the school (its code, `school`) and the page
    (`pagina`)."""

    school: str = ""
    page: int = 1

    @classmethod
    def of(cls, query: Mapping[str, str]) -> "Listing":
        return cls(query.get("school", "").strip(), page_of(query.get("pagina", "")))

    def params(self, size: int) -> dict[str, Any]:
        """The API's query for this page of the school's."""
        return {"school_id": self.school} | page_params(self.page, size)

    def query(self) -> dict[str, str]:
        """The filter as the URL carries it; the list's pages add `pagina`."""
        return {"school": self.school} if self.school else {}

    def url(self, path: str) -> str:
        """This page of the list at `path`: where a form on it returns to."""
        shown = self.query() | ({"pagina": str(self.page)} if self.page > 1 else {})
        return f"{path}?{urlencode(shown)}" if shown else path
