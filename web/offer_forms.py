"""The backoffice's form for changing an offer in the catalogue: what it reads (title, levels,
place, group size, assignment, technical theme), as the bookings API's PATCH takes it."""

from typing import Any

from web.event_forms import changes
from web.views import Form, check_theme

OFFER_FIELDS = {
    "titel": "Titel",
    "doelgroep": "Voor niveaus",
    "locatie": "Waar",
    "plaatsen": "Aantal leerlingen per sessie",
    "opdracht": "Praktijkopdracht",
    "thema": "Thema",
}


def offer_values(offer: dict[str, Any]) -> dict[str, str]:
    """The form filled in with the offer as it is."""
    return {
        "titel": offer["title"],
        "doelgroep": ",".join(offer["audience"]),
        "locatie": offer["location"],
        "plaatsen": str(offer["capacity"]),
        "opdracht": offer.get("assignment") or "",
        "thema": offer.get("theme") or "",
    }


def offer_form(values: dict[str, str]) -> Form:
    """Only what is needed to ask the API is checked here; the API decides the rest and its
    field errors land on the form."""
    form = Form({k: values.get(k, "").strip() for k in OFFER_FIELDS}, labels=dict(OFFER_FIELDS))
    if not form.values["plaatsen"].isdigit():
        form.errors["plaatsen"] = "Vul een heel getal in, bijvoorbeeld 24."
    if not form.values["doelgroep"]:
        form.errors["doelgroep"] = "Kies minstens één niveau."
    check_theme(form)
    return form


def _body(form: Form) -> dict[str, Any]:
    v = form.values
    return {
        "title": v["titel"],
        "audience": v["doelgroep"].split(","),
        "location": v["locatie"],
        "capacity": int(v["plaatsen"]),
        "assignment": v["opdracht"] or None,
        "theme": v["thema"] or None,
    }


def offer_changes(form: Form, offer: dict[str, Any]) -> dict[str, Any]:
    """What the PATCH sends: only what the person changed. The API keeps a field it is not
    sent, so an emptied assignment or theme stays as it was."""
    return changes(_body(form), _body(offer_form(offer_values(offer))))
