"""View models of the hotspot's planning: the week agenda per room and instructor (the
offer's sessions and the events' sessions), the forms that plan a session or a series, and
what the API answers to them (dates skipped, a room or instructor in the way). No I/O here."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from web import formatting
from web.gateway import ApiProblem
from web.views import Form, apply_problem, parse_day

WORKDAYS = 5
# Bookings that still hold or wait for their lesson: their schools hear of a change.
ACTIVE = frozenset({"requested", "confirmed", "waitlisted"})

# -- the week agenda ------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class AgendaFilter:
    """The agenda's choices, kept in the URL: week (any day in it; this week when not given
    or not a date), lokaal (room) and docent (instructor)."""

    week: date
    room: str = ""
    instructor: str = ""

    @classmethod
    def of(cls, query: dict[str, str], today: date) -> "AgendaFilter":
        return cls(
            monday_of(parse_day(query.get("week", "")) or today),
            query.get("lokaal", "").strip(),
            query.get("docent", "").strip(),
        )

    @property
    def last_day(self) -> date:
        return self.week + timedelta(days=6)

    @property
    def narrowed(self) -> bool:
        return bool(self.room or self.instructor)

    def params(self) -> dict[str, str]:
        """The API's query for the week's sessions in the chosen room and of the instructor."""
        return {
            "from": self.week.isoformat(),
            "to": self.last_day.isoformat(),
            "room": self.room,
            "instructor": self.instructor,
        }

    def query(self, weeks: int | None = 0) -> dict[str, str]:
        """The URL's query of this choice `weeks` weeks on (or back); None: this week."""
        chosen = {
            "week": "" if weeks is None else (self.week + timedelta(weeks=weeks)).isoformat(),
            "lokaal": self.room,
            "docent": self.instructor,
        }
        return {k: v for k, v in chosen.items() if v}


@dataclass(frozen=True)
class Booked:
    school_id: str
    group: str
    students: int
    status: str


@dataclass(frozen=True)
class Entry:
    """One line of the agenda: a session of an offer or a session of an event."""

    id: str
    starts_at: datetime
    ends_at: datetime
    title: str
    what: str  # the offer's kind, or the event the session is part of
    place: str
    room: str  # "" for an event's session
    who: str  # the instructor, or the host
    capacity: int
    seats_left: int
    event_id: str | None = None
    series_id: str | None = None
    bookings: list[Booked] = field(default_factory=list)

    @property
    def day(self) -> date:
        return formatting.local(self.starts_at).date()

    @property
    def schools(self) -> int:
        return schools_told(self.bookings)

    @property
    def coming(self) -> int:
        """The classes that come: booked or registered, and confirmed."""
        return sum(1 for b in self.bookings if b.status == "confirmed")


def schools_told(bookings: list[Booked]) -> int:
    """How many schools hear of a move or cancellation: those with a booking still active."""
    return len({b.school_id for b in bookings if b.status in ACTIVE})


def session_entry(s: dict[str, Any]) -> Entry:
    """A session of the API's agenda (GET /sessions): an offer's, or an event's (`type`
    "event", its event named in `offering_*`, its host as `instructor`)."""
    at_event = s.get("type") == "event"
    what = (
        f"Evenement {s['offering_title']}"
        if at_event
        else formatting.label(formatting.OFFER_KINDS, s["offering_kind"])
    )
    return Entry(
        str(s["id"]),
        datetime.fromisoformat(s["starts_at"]),
        datetime.fromisoformat(s["ends_at"]),
        s.get("title") or s["offering_title"],
        what,
        s["location"],
        s["room"],
        s["instructor"],
        s["capacity"],
        s["seats_left"],
        event_id=s.get("event_id") if at_event else None,
        series_id=s.get("series_id"),
        bookings=[
            Booked(b["school_id"], b["group"]["name"], b["group"]["students"], b["status"])
            for b in s.get("bookings", [])
        ],
    )


@dataclass(frozen=True)
class Day:
    day: date
    entries: list[Entry]


@dataclass(frozen=True)
class Week:
    chosen: AgendaFilter
    days: list[Day]
    rooms: list[str]
    instructors: list[str]

    @property
    def empty(self) -> bool:
        return not any(d.entries for d in self.days)


def week(chosen: AgendaFilter, entries: list[Entry], everything: list[Entry]) -> Week:
    """The week's days, Monday to Friday always and the weekend when something happens then,
    each with its entries by start; the rooms and instructors to choose from are those of
    `everything` planned this week (and the ones chosen)."""
    by_day = _by_day(entries)
    days = [
        Day(d, by_day.get(d, []))
        for d in (chosen.week + timedelta(days=n) for n in range(7))
        if d.weekday() < WORKDAYS or by_day.get(d)
    ]
    lessons = [e for e in everything if e.event_id is None]
    return Week(
        chosen,
        days,
        sorted({e.room for e in lessons} | _chosen(chosen.room)),
        sorted({e.who for e in lessons} | _chosen(chosen.instructor)),
    )


def _chosen(value: str) -> set[str]:
    return {value} if value else set()


def _by_day(entries: list[Entry]) -> dict[date, list[Entry]]:
    """The entries per day, each day's by start."""
    by_day: dict[date, list[Entry]] = {}
    for e in sorted(entries, key=lambda e: (e.starts_at, e.title)):
        by_day.setdefault(e.day, []).append(e)
    return by_day


# -- today and the rest of the week (the backoffice's start page) ---------------------------


@dataclass(frozen=True)
class Group:
    """Today's sessions in one room (an event's at its place) or of one instructor (host)."""

    name: str
    entries: list[Entry]


@dataclass(frozen=True)
class Today:
    day: date
    by_room: list[Group]
    by_instructor: list[Group]
    later: list[Day]  # the days after today to the week's end that have something planned

    @property
    def sessions(self) -> int:
        return sum(len(g.entries) for g in self.by_room)


def room_of(entry: Entry) -> str:
    return f"Lokaal {entry.room}" if entry.room else entry.place


def today_and_week(day: date, entries: list[Entry]) -> Today:
    """Today's sessions grouped per room and per instructor, and the days after it."""
    by_day = _by_day(entries)
    today = by_day.get(day, [])
    return Today(
        day,
        _grouped(today, room_of),
        _grouped(today, lambda e: e.who),
        [Day(d, found) for d, found in sorted(by_day.items()) if d > day],
    )


def _grouped(entries: list[Entry], name: Callable[[Entry], str]) -> list[Group]:
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        groups.setdefault(name(e), []).append(e)
    return [Group(n, found) for n, found in sorted(groups.items(), key=lambda g: g[0].lower())]


# -- planning a session or a series ---------------------------------------------------------

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def parse_time(text: str) -> time | None:
    """ "9:30", "09.30" or "14:00" as a time of day; None when it is none."""
    found = _TIME.match(text.strip())
    return time(int(found.group(1)), int(found.group(2))) if found else None


def at(day: str, clock: str) -> datetime:
    """A form's date and time of day as an Amsterdam moment."""
    return datetime.combine(
        date.fromisoformat(day), parse_time(clock) or time(), formatting.AMSTERDAM
    )


SESSION_FIELDS = {
    "aanbod": "Aanbod",
    "datum": "Datum",
    "begin": "Begintijd",
    "einde": "Eindtijd",
    "lokaal": "Lokaal",
    "docent": "Docent",
    "plaatsen": "Aantal plaatsen",
}
SERIES_FIELDS = {
    "aanbod": "Aanbod",
    "datum": "Datum van de eerste les",
    "begin": "Begintijd",
    "minuten": "Duur in minuten",
    "interval": "Om de hoeveel dagen",
    "aantal": "Aantal lessen",
    "lokalen": "Lokaal of lokalen",
    "docent": "Docent",
    "plaatsen": "Aantal plaatsen",
}
WHOLE_NUMBERS = ("plaatsen", "minuten", "interval", "aantal")


def _planning_form(values: dict[str, str], labels: dict[str, str]) -> Form:
    """What both planning forms check before asking the API: filled in, a date, a time,
    whole numbers. The planning rules (calendar, clashes) are the API's."""
    form = Form({k: values.get(k, "").strip() for k in labels}, labels=labels)
    v, errors = form.values, form.errors
    for name in ("aanbod", "lokaal", "lokalen", "docent"):
        if name in v and not v[name]:
            errors[name] = (
                f"Vul {labels[name].lower()} in." if name != "aanbod" else "Kies wat je plant."
            )
    if parse_day(v["datum"]) is None:
        errors["datum"] = "Vul een datum in, bijvoorbeeld 9-6-2027."
    for name in ("begin", "einde"):
        if name in v and parse_time(v[name]) is None:
            errors[name] = "Vul een tijd in, bijvoorbeeld 10:00."
    for name in WHOLE_NUMBERS:
        if v.get(name) and not v[name].isdigit():
            errors[name] = "Vul een heel getal in, bijvoorbeeld 24."
    return form


def session_form(values: dict[str, str], labels: dict[str, str] = SESSION_FIELDS) -> Form:
    form = _planning_form(values, labels)
    v = form.values
    begin, end = parse_time(v["begin"]), parse_time(v["einde"])
    if begin and end and end <= begin:
        form.errors["einde"] = "De sessie eindigt na de begintijd."
    return form


def session_body(form: Form, offer: dict[str, Any]) -> dict[str, Any]:
    """POST /offerings/{id}/sessions; no number of places given: the offer's."""
    v = form.values
    return {
        "starts_at": at(v["datum"], v["begin"]).isoformat(),
        "ends_at": at(v["datum"], v["einde"]).isoformat(),
        "room": v["lokaal"],
        "instructor": v["docent"],
        "capacity": int(v["plaatsen"] or offer["capacity"]),
    }


def series_form(values: dict[str, str]) -> Form:
    return _planning_form(values, SERIES_FIELDS)


def rooms_of(text: str) -> list[str]:
    """ "Lab 1, Lab 2" or one room per line as the list of rooms."""
    return [r.strip() for r in re.split(r"[,\n]", text) if r.strip()]


def series_body(form: Form, offer: dict[str, Any]) -> dict[str, Any]:
    """POST /offerings/{id}/series; left empty: the offer's length, number of lessons and
    places, and a lesson every week."""
    v = form.values
    return {
        "first_starts_at": at(v["datum"], v["begin"]).isoformat(),
        "minutes": int(v["minuten"] or offer["session_minutes"]),
        "every_days": int(v["interval"] or 7),
        "count": int(v["aantal"] or offer["sessions_per_booking"]),
        "rooms": rooms_of(v["lokalen"]),
        "instructor": v["docent"],
        "capacity": int(v["plaatsen"] or offer["capacity"]),
    }


def planning_defaults(offer: dict[str, Any] | None, values: dict[str, str]) -> dict[str, str]:
    """A new form: what the URL brings (aanbod, datum, lokaal), else the offer's own shape."""
    shape = (
        {
            "minuten": str(offer["session_minutes"]),
            "interval": "7",
            "aantal": str(offer["sessions_per_booking"]),
            "plaatsen": str(offer["capacity"]),
        }
        if offer
        else {}
    )
    return {"begin": "10:00"} | shape | {k: v for k, v in values.items() if v}


_CLOSED = re.compile(r"^de hotspot is gesloten op \d{4}-\d{2}-\d{2}: (.+)$")


@dataclass(frozen=True)
class Skipped:
    starts_at: datetime
    reason: str


def skipped(answer: dict[str, Any]) -> list[Skipped]:
    """The dates a planned series passed over, with why in a sentence of its own."""
    rows = []
    for s in answer.get("skipped", []):
        closed = _CLOSED.match(s["reason"])
        reason = f"de hotspot is dan gesloten ({closed.group(1)})" if closed else s["reason"]
        rows.append(Skipped(datetime.fromisoformat(s["starts_at"]), reason))
    return rows


ROOM_OR_INSTRUCTOR = {"room": ("Lokaal", "lokaal"), "instructor": ("Docent", "docent")}


def clash(problem: ApiProblem) -> tuple[str, str, str | None] | None:
    """A 409 naming what is in the way: (room or instructor, its name, the session there)."""
    conflict = problem.extra.get("conflict")
    if (
        problem.status != 409
        or not isinstance(conflict, dict)
        or conflict.get("resource") not in ROOM_OR_INSTRUCTOR
    ):
        return None
    return (str(conflict["resource"]), str(conflict.get("value", "")), conflict.get("session_id"))


def place_clash(form: Form, problem: ApiProblem, other: Entry | None) -> bool:
    """The room or instructor in the way, said at its field, with the session already there
    when it is known. False when the refusal is no clash."""
    found = clash(problem)
    if found is None:
        return False
    resource, name, _ = found
    word, field_name = ROOM_OR_INSTRUCTOR[resource]
    if field_name not in form.values:  # the series form's rooms
        field_name = "lokalen"
    there = (
        (
            f": {other.title}, {formatting.long_date(other.starts_at)} "
            f"{formatting.time_range(other.starts_at, other.ends_at)}"
        )
        if other
        else ""
    )
    form.errors[field_name] = (
        f"{word} {name} is op dat moment al bezet{there}. Kies een "
        f"ander{'e' if resource == 'instructor' else ''} {word.lower()} of een ander tijdstip."
    )
    return True


def calendar_refusal(form: Form, problem: ApiProblem) -> bool:
    """A planned day the hotspot is closed: said at the date."""
    if problem.extra.get("rule") != "calendar":
        return False
    why = problem.extra.get("closed_because")
    form.errors["datum"] = (
        f"De hotspot is op die dag gesloten ({why}). Kies een andere dag."
        if why
        else f"{problem.detail[:1].upper()}{problem.detail[1:]}."
    )
    return True


# The planning API's field names to the planning forms'.
PLAN_FIELDS = {
    "starts_at": "datum",
    "first_starts_at": "datum",
    "ends_at": "einde",
    "room": "lokaal",
    "rooms": "lokalen",
    "instructor": "docent",
    "capacity": "plaatsen",
    "minutes": "minuten",
    "every_days": "interval",
    "count": "aantal",
    "reason": "reden",
}


def rule_refusal(form: Form, problem: ApiProblem) -> bool:
    """A rule the API names with the field it concerns (or, for a series not whole, the
    number of lessons): its sentence at that field."""
    name = (
        "aantal"
        if problem.extra.get("rule") == "whole_series"
        else PLAN_FIELDS.get(str(problem.extra.get("field", "")), "")
    )
    if name not in form.values or not problem.detail:
        return False
    form.errors[name] = f"{problem.detail[:1].upper()}{problem.detail[1:]}."
    return True


def place_refusal(form: Form, problem: ApiProblem, other: Entry | None) -> bool:
    """A refusal of a plan at its field: field errors, a clash, a closed day, a rule."""
    return (
        apply_problem(form, problem, PLAN_FIELDS)
        or place_clash(form, problem, other)
        or calendar_refusal(form, problem)
        or rule_refusal(form, problem)
    )


# -- moving and cancelling a session --------------------------------------------------------

MOVE_FIELDS = {
    "datum": "Nieuwe datum",
    "begin": "Begintijd",
    "einde": "Eindtijd",
    "lokaal": "Lokaal",
    "docent": "Docent",
}


def move_form(values: dict[str, str]) -> Form:
    return session_form(values, MOVE_FIELDS)


def move_values(entry: Entry) -> dict[str, str]:
    """The move form filled in with where and when the session is now."""
    starts, ends = formatting.local(entry.starts_at), formatting.local(entry.ends_at)
    return {
        "datum": starts.date().isoformat(),
        "begin": starts.strftime("%H:%M"),
        "einde": ends.strftime("%H:%M"),
        "lokaal": entry.room,
        "docent": entry.who,
    }


def move_body(form: Form) -> dict[str, Any]:
    v = form.values
    return {
        "starts_at": at(v["datum"], v["begin"]).isoformat(),
        "ends_at": at(v["datum"], v["einde"]).isoformat(),
        "room": v["lokaal"],
        "instructor": v["docent"],
    }


def told(count: int) -> str:
    """ "1 school krijgt hiervan bericht", "3 scholen krijgen ..."."""
    if count == 0:
        return "Er zijn geen boekingen: geen school hoeft bericht te krijgen."
    return (
        f"{count} school krijgt" if count == 1 else f"{count} scholen krijgen"
    ) + " hiervan bericht."
