"""The backoffice's management forms, as view models: the calendar (closed days, school
exceptions, quotas, booking rules), organisations and people. What a person typed is kept on
every error; only what the API needs to be asked at all is checked here. No I/O."""

import re
from datetime import date
from typing import Any

from web.views import Form, parse_day

# Kinds of organisation as the directory knows them, in the plan's words.
ORGANISATION_KINDS = {
    "vmbo": "Vmbo-school",
    "pro": "Praktijkonderwijs",
    "vso": "Voortgezet speciaal onderwijs",
    "havo": "Havo/vwo-school",
    "mbo": "Mbo-instelling",
    "po": "Basisschool (po)",
    "po_board": "Schoolbestuur po",
    "company": "Bedrijf",
    "municipality": "Gemeente",
    "hotspot": "Hotspot",
    "central": "Programmabureau",
}
SCHOOL_KINDS = ("vmbo", "pro", "vso", "havo", "mbo", "po")
# The roles a person can be invited in, in the plan's words.
PERSON_ROLES = {
    "school": "Schoolcoördinator",
    "teacher": "Docent",
    "company": "Contactpersoon bedrijf",
    "municipality": "Contactpersoon gemeente",
    "backoffice": "Backoffice hotspot",
    "programme": "Programmamanagement",
    "finance": "Financiën (penvoerder)",
    "admin": "Beheerder",
}
CLOSURE_KINDS = {
    "closure": "Sluiting",
    "school_holiday": "Schoolvakantie",
    "public_holiday": "Feestdag",
}


def school_year_of(day: date) -> int:
    """The school year (August to July) a day falls in, by the year it starts."""
    return day.year if day.month >= 8 else day.year - 1


def school_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def paged(items: list[Any], page: int, size: int) -> tuple[list[Any], bool]:
    """One page of a list the API gives whole, and whether more follow."""
    return items[(page - 1) * size : page * size], len(items) > page * size


def _form(values: dict[str, str], labels: dict[str, str], required: dict[str, str]) -> Form:
    form = Form({k: str(values.get(k, "")).strip() for k in labels}, labels=labels)
    for name, message in required.items():
        if not form.values[name]:
            form.errors[name] = message
    return form


def _whole(form: Form, *names: str) -> None:
    for name in names:
        if form.values[name] and not form.values[name].isdigit():
            form.errors.setdefault(name, "Vul een heel getal in, bijvoorbeeld 12.")


def _days(form: Form, *names: str) -> None:
    for name in names:
        if form.values[name] and parse_day(form.values[name]) is None:
            form.errors.setdefault(name, "Vul een datum in, bijvoorbeeld 2027-06-09.")


# -- the calendar ---------------------------------------------------------------------------

CLOSED_FIELDS = {"naam": "Naam", "van": "Eerste dag", "tot": "Laatste dag", "soort": "Soort"}


def closed_form(values: dict[str, str]) -> Form:
    form = _form(
        values,
        CLOSED_FIELDS,
        {
            "naam": "Vul een naam in, bijvoorbeeld Studiedag hotspot.",
            "van": "Vul de eerste gesloten dag in.",
            "tot": "Vul de laatste gesloten dag in.",
        },
    )
    _days(form, "van", "tot")
    if form.values["soort"] not in CLOSURE_KINDS:
        form.values["soort"] = "closure"
    return form


def closed_body(form: Form) -> dict[str, Any]:
    v = form.values
    return {"name": v["naam"], "starts_on": v["van"], "ends_on": v["tot"], "kind": v["soort"]}


EXCEPTION_FIELDS = {"school": "School", "dag": "Dag", "open": "Open of dicht", "reden": "Reden"}


def exception_form(values: dict[str, str]) -> Form:
    form = _form(
        values,
        EXCEPTION_FIELDS,
        {
            "school": "Kies een school.",
            "dag": "Vul de dag in.",
            "open": "Kies of de school die dag open of dicht is.",
            "reden": "Vul de reden in, bijvoorbeeld studiedag.",
        },
    )
    _days(form, "dag")
    return form


def exception_body(form: Form) -> dict[str, Any]:
    return {"open": form.values["open"] == "open", "reason": form.values["reden"]}


QUOTA_FIELDS = {"school": "School", "schooljaar": "Schooljaar", "maximum": "Maximum sessies"}


def quota_form(values: dict[str, str]) -> Form:
    form = _form(
        values,
        QUOTA_FIELDS,
        {
            "school": "Kies een school.",
            "schooljaar": "Kies een schooljaar.",
            "maximum": "Vul het maximum aantal sessies in.",
        },
    )
    _whole(form, "schooljaar", "maximum")
    return form


RULES_FIELDS = {"voorbereiding": "Dagen vooraf boeken", "annuleren": "Dagen kosteloos annuleren"}


def rules_form(values: dict[str, str]) -> Form:
    form = _form(
        values,
        RULES_FIELDS,
        {"voorbereiding": "Vul het aantal dagen in.", "annuleren": "Vul het aantal dagen in."},
    )
    _whole(form, "voorbereiding", "annuleren")
    return form


def rules_values(rules: dict[str, Any]) -> dict[str, str]:
    return {
        "voorbereiding": str(rules["min_lead_days"]),
        "annuleren": str(rules["free_cancellation_days"]),
    }


def rules_body(form: Form) -> dict[str, Any]:
    return {
        "min_lead_days": int(form.values["voorbereiding"]),
        "free_cancellation_days": int(form.values["annuleren"]),
    }


# -- organisations and people ---------------------------------------------------------------

ORGANISATION_FIELDS = {
    "code": "Code",
    "naam": "Naam",
    "soort": "Soort",
    "gemeente": "Gemeente",
    "plaats": "Plaats",
    "branche": "Branche",
    "profielen": "Profielen",
}


def organisation_form(values: dict[str, str], new: bool) -> Form:
    required = {"naam": "Vul de naam in.", "soort": "Kies een soort organisatie."}
    if new:
        required["code"] = "Vul een code in, bijvoorbeeld po-zonnewijzer."
    return _form(values, ORGANISATION_FIELDS, required)


def organisation_values(org: dict[str, Any]) -> dict[str, str]:
    return {
        "code": org["id"],
        "naam": org["name"],
        "soort": org["kind"],
        "gemeente": org.get("municipality") or "",
        "plaats": org.get("place") or "",
        "branche": org.get("branch") or "",
        "profielen": ", ".join(org["profiles"]),
    }


def organisation_body(form: Form, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole organisation as it is to be: what the form shows over what it keeps."""
    v = form.values
    kept = (
        {k: current[k] for k in ("tl_subjects", "has_tl", "hard_tech", "board_id")}
        if current
        else {}
    )
    return (
        kept
        | {
            "name": v["naam"],
            "kind": v["soort"],
            "municipality": v["gemeente"] or None,
            "place": v["plaats"] or None,
            "branch": v["branche"] or None,
            "profiles": [p.strip() for p in v["profielen"].split(",") if p.strip()],
        }
        | ({"id": v["code"]} if current is None else {})
    )


INVITATION_FIELDS = {
    "organisatie": "Organisatie",
    "rol": "Rol",
    "naam": "Naam",
    "email": "E-mailadres",
}


def invitation_form(values: dict[str, str]) -> Form:
    form = _form(
        values,
        INVITATION_FIELDS,
        {
            "organisatie": "Kies de organisatie.",
            "rol": "Kies een rol.",
            "naam": "Vul de naam in.",
            "email": "Vul het e-mailadres in.",
        },
    )
    if form.values["email"] and "@" not in form.values["email"]:
        form.errors["email"] = "Vul een e-mailadres in, bijvoorbeeld naam@school.nl."
    return form


def invitation_body(form: Form) -> dict[str, Any]:
    v = form.values
    return {
        "organisation_id": v["organisatie"],
        "role": v["rol"],
        "name": v["naam"],
        "email": v["email"],
    }


ACCEPT_FIELDS = {
    "code": "Uitnodigingscode",
    "gebruikersnaam": "Gebruikersnaam",
    "wachtwoord": "Wachtwoord",
    "herhaling": "Herhaal het wachtwoord",
}
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 10  # the directory's minimum length


def accept_form(values: dict[str, str]) -> Form:
    """An invited person picks a user name and sets a password, typed twice. The code comes
    with the link; what the directory decides (a code used or expired, a name taken) it
    answers and the answer lands at its field."""
    form = _form(
        values,
        ACCEPT_FIELDS,
        {
            "code": "Vul de code uit je uitnodiging in.",
            "gebruikersnaam": "Kies een gebruikersnaam.",
            "wachtwoord": "Kies een wachtwoord.",
            "herhaling": "Typ het wachtwoord nog een keer.",
        },
    )
    v, errors = form.values, form.errors
    for secret in ("wachtwoord", "herhaling"):  # a password is as typed, spaces and all
        v[secret] = str(values.get(secret, ""))
    if v["gebruikersnaam"] and not _USERNAME.match(v["gebruikersnaam"]):
        errors["gebruikersnaam"] = (
            "Gebruik 3 tot 64 kleine letters, cijfers, punten, "
            "streepjes of liggende streepjes, bijvoorbeeld "
            "sanne.devries."
        )
    if v["wachtwoord"] and len(v["wachtwoord"]) < MIN_PASSWORD:
        errors["wachtwoord"] = f"Kies een wachtwoord van minstens {MIN_PASSWORD} tekens."
    if v["herhaling"] and v["herhaling"] != v["wachtwoord"]:
        errors["herhaling"] = "De twee wachtwoorden zijn niet gelijk. Typ ze opnieuw."
    return form


def accept_body(form: Form) -> dict[str, Any]:
    v = form.values
    return {"code": v["code"], "username": v["gebruikersnaam"], "password": v["wachtwoord"]}
