"""View models of the backoffice's events: the forms that plan or change an event and its
sessions, and the bodies the API takes (a change sends only what changed). No I/O here."""

from datetime import date, datetime, time, timedelta
from typing import Any

from web import formatting
from web.agenda import at, parse_time
from web.views import Form, parse_day

EVENT_FIELDS = {
    "titel": "Titel",
    "omschrijving": "Omschrijving",
    "datum": "Datum",
    "begin": "Begintijd",
    "einde": "Eindtijd",
    "doelgroep": "Voor wie",
    "plaatsen": "Aantal plaatsen",
    "locatie": "Locatie",
}
SESSION_FIELDS = {
    "titel": "Titel",
    "soort": "Wie geeft de sessie",
    "host": "Code van de host",
    "host_naam": "Naam van de host",
    "doelgroep": "Voor wie",
    "plaatsen": "Aantal plaatsen",
    "open": "Aanmelden kan vanaf",
    "sluit": "Aanmelden sluit op",
    "begin": "Begintijd",
    "einde": "Eindtijd",
    "locatie": "Locatie",
}
HOST_KINDS = {"hotspot": "De hotspot", "company": "Een bedrijf", "mbo": "Een mbo-school"}
# The events API's field names to the forms'.
EVENT_API_FIELDS = {
    "title": "titel",
    "description": "omschrijving",
    "starts_at": "begin",
    "ends_at": "einde",
    "audience": "doelgroep",
    "capacity": "plaatsen",
    "location": "locatie",
    "host_kind": "soort",
    "host": "host",
    "host_name": "host_naam",
    "opens_at": "open",
    "closes_at": "sluit",
}


def _form(values: dict[str, str], labels: dict[str, str], required: tuple[str, ...]) -> Form:
    form = Form({k: values.get(k, "").strip() for k in labels}, labels=labels)
    v, errors = form.values, form.errors
    for name in required:
        if not v[name]:
            errors[name] = (
                f"Vul {labels[name].lower()} in."
                if name != "doelgroep"
                else "Kies minstens één niveau."
            )
    for name in ("datum", "open", "sluit"):
        if v.get(name) and parse_day(v[name]) is None:
            errors[name] = "Vul een datum in, bijvoorbeeld 9-6-2027."
    for name in ("begin", "einde"):
        if v[name] and parse_time(v[name]) is None:
            errors[name] = "Vul een tijd in, bijvoorbeeld 10:00."
    if v["plaatsen"] and not v["plaatsen"].isdigit():
        errors["plaatsen"] = "Vul een heel getal in, bijvoorbeeld 120."
    begin, end = parse_time(v["begin"]), parse_time(v["einde"])
    if bool(begin) != bool(end) and "datum" not in v:
        errors.setdefault("einde", "Vul begin- en eindtijd allebei in, of laat ze allebei leeg.")
    elif begin and end and end <= begin:
        errors.setdefault("einde", "Dit moet na de begintijd zijn.")
    return form


def event_form(values: dict[str, str]) -> Form:
    return _form(
        values,
        EVENT_FIELDS,
        ("titel", "datum", "begin", "einde", "doelgroep", "plaatsen", "locatie"),
    )


def event_body(form: Form) -> dict[str, Any]:
    v = form.values
    return {
        "title": v["titel"],
        "description": v["omschrijving"],
        "starts_at": at(v["datum"], v["begin"]).isoformat(),
        "ends_at": at(v["datum"], v["einde"]).isoformat(),
        "audience": v["doelgroep"].split(","),
        "capacity": int(v["plaatsen"]),
        "location": v["locatie"],
    }


def _clock(moment: str) -> str:
    return formatting.local(datetime.fromisoformat(moment)).strftime("%H:%M")


def _day(moment: str) -> str:
    return formatting.local(datetime.fromisoformat(moment)).date().isoformat()


def event_values(event: dict[str, Any]) -> dict[str, str]:
    """The event form filled in with the event as it is."""
    return {
        "titel": event["title"],
        "omschrijving": event.get("description", ""),
        "datum": _day(event["starts_at"]),
        "begin": _clock(event["starts_at"]),
        "einde": _clock(event["ends_at"]),
        "doelgroep": ",".join(event["audience"]),
        "plaatsen": str(event["capacity"]),
        "locatie": event["location"],
    }


def session_form(values: dict[str, str]) -> Form:
    return _form(
        values,
        SESSION_FIELDS,
        ("titel", "soort", "host", "host_naam", "doelgroep", "plaatsen", "open", "sluit"),
    )


def session_body(form: Form, event: dict[str, Any]) -> dict[str, Any]:
    """An event's session: registration opens at the start of its first day and closes at
    the end of its last; without times or place of its own it has the event's."""
    v, day = form.values, _day(event["starts_at"])
    closes = datetime.combine(
        date.fromisoformat(v["sluit"]) + timedelta(days=1), time(), formatting.AMSTERDAM
    )
    return {
        "title": v["titel"],
        "host_kind": v["soort"],
        "host": v["host"],
        "host_name": v["host_naam"],
        "capacity": int(v["plaatsen"]),
        "audience": v["doelgroep"].split(","),
        "opens_at": at(v["open"], "00:00").isoformat(),
        "closes_at": closes.isoformat(),
        "starts_at": at(day, v["begin"]).isoformat() if v["begin"] else None,
        "ends_at": at(day, v["einde"]).isoformat() if v["einde"] else None,
        "location": v["locatie"] or None,
    }


def new_session_values(event: dict[str, Any], today: date) -> dict[str, str]:
    """A new session: given by the hotspot, for the event's levels, open from today until a
    week before the event."""
    starts = formatting.local(datetime.fromisoformat(event["starts_at"])).date()
    return {
        "soort": "hotspot",
        "host": "hotspot",
        "host_naam": "T is for Tech",
        "doelgroep": ",".join(a for a in event["audience"] if a in formatting.LEVELS),
        "open": today.isoformat(),
        "sluit": (starts - timedelta(days=7)).isoformat(),
    }


def session_values(session: dict[str, Any]) -> dict[str, str]:
    """The session form filled in with the session as it is."""
    closes = formatting.local(datetime.fromisoformat(session["closes_at"]))
    last_day = (closes - timedelta(minutes=1)).date()  # closed at midnight: the day before
    return {
        "titel": session["title"],
        "soort": session["host_kind"],
        "host": session["host"],
        "host_naam": session["host_name"],
        "doelgroep": ",".join(session["audience"]),
        "plaatsen": str(session["capacity"]),
        "open": _day(session["opens_at"]),
        "sluit": last_day.isoformat(),
        "begin": _clock(session["starts_at"]) if session.get("starts_at") else "",
        "einde": _clock(session["ends_at"]) if session.get("ends_at") else "",
        "locatie": session.get("location") or "",
    }


def changes(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """What a PATCH sends: only what differs, so a change never touches what it left alone
    (times with registrations, say)."""
    return {k: v for k, v in new.items() if old.get(k) != v and v is not None}
