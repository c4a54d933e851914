"""View models of Berichten's preferences and the announcements page: forms from what a person
typed or chose, bodies for the API, and the API's refusals on the right field. No I/O."""

import re
from dataclasses import dataclass, field
from typing import Any

from web.formatting import CHANNELS, MESSAGE_CATEGORIES, OPTIONAL_CATEGORIES
from web.gateway import ApiProblem
from web.views import Form, field_message

_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
QUIET_FIELDS = {"stil-van": "Stil vanaf", "stil-tot": "Stil tot"}
# The API's names (problem `errors[].field`, or `field` of a refusal) to the forms'.
PREFERENCE_FIELDS = {
    "quiet_hours": "stil-van",
    "quiet_hours.start": "stil-van",
    "quiet_hours.end": "stil-tot",
    "opted_out": "afmelden",
    "channels": "kanaal-bookings",
}
ANNOUNCEMENT_FIELDS = {
    "title": "titel",
    "body": "tekst",
    "organisations": "organisaties",
    "kinds": "soorten",
    "roles": "rollen",
}


def channel_field(category: str) -> str:
    return f"kanaal-{category}"


def preferences_form(saved: dict[str, Any]) -> tuple[Form, set[str]]:
    """The form of a person's saved preferences, and the categories they opted out of."""
    quiet = saved.get("quiet_hours") or {}
    values = {
        channel_field(c): saved.get("channels", {}).get(c, "email") for c in MESSAGE_CATEGORIES
    }
    values |= {
        "afmelden": "",
        "dagoverzicht": "ja" if saved.get("digest") else "",
        "stil-van": str(quiet.get("start", ""))[:5],
        "stil-tot": str(quiet.get("end", ""))[:5],
    }
    return Form(values, labels=preferences_labels()), set(saved.get("opted_out", []))


def preferences_labels() -> dict[str, str]:
    return {
        **{channel_field(c): label for c, label in MESSAGE_CATEGORIES.items()},
        "afmelden": "Niet ontvangen",
        **QUIET_FIELDS,
    }


def sent_preferences(sent: dict[str, str], opted_out: list[str]) -> tuple[Form, set[str]]:
    """What a person sent, checked as far as asking the API needs."""
    values = {
        name: sent.get(name, "").strip()
        for name in [
            *map(channel_field, MESSAGE_CATEGORIES),
            "afmelden",
            "dagoverzicht",
            *QUIET_FIELDS,
        ]
    }
    form = Form(values, labels=preferences_labels())
    for category in MESSAGE_CATEGORIES:
        if values[channel_field(category)] not in CHANNELS:
            form.errors[channel_field(category)] = "Kies hoe je deze berichten krijgt."
    for name in QUIET_FIELDS:
        if values[name] and not _HH_MM.match(values[name]):
            form.errors[name] = "Vul een tijd in, bijvoorbeeld 22:00."
    if bool(values["stil-van"]) != bool(values["stil-tot"]):
        empty = "stil-tot" if values["stil-van"] else "stil-van"
        form.errors.setdefault(
            empty, "Vul zowel het begin als het einde van de stille uren in, of laat beide leeg."
        )
    chosen = {c for c in opted_out if c in OPTIONAL_CATEGORIES}
    return form, chosen


def preferences_body(form: Form, opted_out: set[str]) -> dict[str, Any]:
    v = form.values
    quiet = {"start": v["stil-van"], "end": v["stil-tot"]} if v["stil-van"] else None
    return {
        "channels": {c: v[channel_field(c)] for c in MESSAGE_CATEGORIES},
        "opted_out": sorted(opted_out),
        "digest": v["dagoverzicht"] == "ja",
        "quiet_hours": quiet,
    }


@dataclass
class AnnouncementForm:
    """The announcement being written: its texts, and whom it goes to."""

    form: Form
    organisations: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


ANNOUNCEMENT_LABELS = {
    "titel": "Titel",
    "tekst": "Tekst",
    "organisaties": "Organisaties",
    "soorten": "Soorten organisatie",
    "rollen": "Rollen",
}


def announcement_form(
    texts: dict[str, str], organisations: list[str], kinds: list[str], roles: list[str]
) -> AnnouncementForm:
    values = {
        "titel": texts.get("titel", "").strip(),
        "tekst": texts.get("tekst", "").strip(),
        "organisaties": "",
        "soorten": "",
        "rollen": "",
    }
    chosen = AnnouncementForm(Form(values, labels=ANNOUNCEMENT_LABELS), organisations, kinds, roles)
    errors = chosen.form.errors
    if not values["titel"]:
        errors["titel"] = "Vul een titel in, bijvoorbeeld 'Nieuwsbrief maart'."
    if not values["tekst"]:
        errors["tekst"] = "Schrijf de tekst van de aankondiging."
    if not (organisations or kinds or roles):
        errors["organisaties"] = "Kies organisaties, soorten organisatie of rollen."
    return chosen


def announcement_body(chosen: AnnouncementForm) -> dict[str, Any]:
    return {
        "title": chosen.form.values["titel"],
        "body": chosen.form.values["tekst"],
        "organisations": chosen.organisations,
        "kinds": chosen.kinds,
        "roles": chosen.roles,
    }


def place_problem(form: Form, problem: ApiProblem, names: dict[str, str]) -> bool:
    """Put the API's refusal on the fields it names (`names`: API name -> form field; a list
    item's error lands on its list); False when it names none of them."""
    placed = False
    for error in problem.errors:
        api_name = str(error.get("field", ""))
        name = names.get(api_name) or names.get(api_name.split(".")[0])
        if name in form.values:
            form.errors.setdefault(name, field_message(error))
            placed = True
    name = names.get(str(problem.extra.get("field", "")))
    if problem.status == 422 and name in form.values and problem.detail:
        form.errors.setdefault(name, f"{problem.detail[:1].upper()}{problem.detail[1:]}.")
        placed = True
    return placed
