"""Dutch notation for everything a person reads: dates, times, amounts, and the plan's words
for the platform's codes. The one place in the front end that turns API values into text;
dates and amounts are written as the platform's messages write them (shared.dutch)."""

from datetime import date, datetime

from shared.domain import AMSTERDAM
from shared.dutch import dutch_date, euros

OFFER_KINDS = {
    "inspiration_lesson": "Inspiratieles",
    "masterclass": "Masterklas",
    "elective": "Keuzevak",
    "po_series": "Lessenserie po",
    "company_visit": "Bedrijfsbezoek",
    "guest_lesson": "Gastles",
    "internship": "Stage",
    "mbo_lesson": "Module op het mbo",
    "techclub": "Techclub",
    "assignment": "Praktijkopdracht",
}
# The technical themes of the offer (shared.contracts.common.Theme) in the plan's words.
THEMES = {
    "robotics": "Robotica en domotica",
    "sustainable_energy": "Duurzaamheid en duurzame energie",
    "electric_vehicles": "Elektrische voertuigen en waterstof",
    "damage_repair": "Schadeherstel",
    "3d_printing": "3D printen en ontwerpen",
    "vr": "VR en 3D modelleren",
    "drones": "Dronetechniek",
    "construction": "Bouw",
    "installation": "Installatietechniek",
    "metal": "Metaal en verspanen",
    "ict": "ICT en AI",
}
APPROVALS = {
    "proposed": "Wacht op de backoffice",
    "approved": "Goedgekeurd",
    "declined": "Afgewezen",
}
COFINANCING_FORMS = {"in-kind": "In natura (uren)", "cash": "In geld"}
BOOKING_STATUSES = {
    "requested": "Aangevraagd",
    "confirmed": "Bevestigd",
    "waitlisted": "Op de wachtlijst",
    "rejected": "Afgewezen",
    "cancelled": "Geannuleerd",
    "completed": "Afgerond",
    "no_show": "Niet verschenen",
}
DECLARATION_STATUSES = {
    "draft": "Concept",
    "submitted": "Ingediend",
    "approved": "Goedgekeurd",
    "rejected": "Afgewezen",
    "paid": "Uitbetaald",
}
DESK_STATUSES = {
    "reserved": "Gereserveerd",
    "out": "Uitgeleend",
    "overdue": "Te laat terug",
    "returned": "Teruggebracht",
    "released": "Vrijgegeven",
}
REGISTRATION_STATUSES = {
    "confirmed": "Aangemeld",
    "waitlisted": "Op de wachtlijst",
    "offered": "Plaats aangeboden",
    "lapsed": "Aanbod verlopen",
    "cancelled": "Geannuleerd",
}
# The vmbo profiles (and the vmbo-tl subject T&T) a class can follow.
PROFILES = ("BWI", "PIE", "M&T", "MVI", "D&P", "Groen", "ZW", "EO", "HBR", "T&T")
LEVELS = ("po", "vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl", "pro", "vso", "havo", "vwo", "mbo")
ROLES = {
    "school": "Schoolcoördinator",
    "backoffice": "Backoffice hotspot",
    "finance": "Financiën (penvoerder)",
    "programme": "Programmamanagement",
    "admin": "Beheerder",
    "company": "Bedrijf",
    "teacher": "Docent",
    "municipality": "Gemeente",
}
ORGANISATION_KINDS = {
    "vmbo": "Vmbo-scholen",
    "pro": "Praktijkonderwijs",
    "vso": "Voortgezet speciaal onderwijs",
    "havo": "Havo",
    "mbo": "Mbo",
    "po": "Basisscholen (po)",
    "po_board": "Besturen po",
    "company": "Bedrijven",
    "municipality": "Gemeenten",
    "hotspot": "Hotspot",
    "central": "Programmabureau",
}
# The categories of messages a person chooses a channel for, and the channels.
MESSAGE_CATEGORIES = {
    "bookings": "Boekingen",
    "loans": "Uitlenen",
    "events": "Evenementen",
    "finance": "Financiën",
    "reminders": "Herinneringen",
    "announcements": "Aankondigingen",
}
OPTIONAL_CATEGORIES = ("reminders", "announcements")  # the others cannot be switched off
CHANNELS = {
    "email": "E-mail",
    "webhook": "Pushbericht op je telefoon",
    "in_app": "Alleen hier in Berichten",
}


def local(moment: datetime) -> datetime:
    """The moment in Amsterdam time; the API answers in UTC."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the API always sends a time zone")
    return moment.astimezone(AMSTERDAM)


def long_date(day: date | datetime) -> str:
    """ "woensdag 9 december 2026"."""
    return dutch_date(local(day).date() if isinstance(day, datetime) else day)


def today() -> date:
    """Today in Amsterdam, where loans are counted in whole days."""
    return datetime.now(AMSTERDAM).date()


def clock(moment: datetime) -> str:
    return local(moment).strftime("%H:%M")


def time_range(starts: datetime, ends: datetime) -> str:
    """ "10:00-12:00", in Amsterdam time."""
    return f"{clock(starts)}-{clock(ends)}"


def date_time(moment: datetime) -> str:
    """ "woensdag 9 december 2026, 10:00"."""
    return f"{long_date(moment)}, {clock(moment)}"


def amount(cents: int) -> str:
    """ "€ 1.234,56"; a negative amount (a correction) as "€ -1.234,56"."""
    return euros(cents)


def hours(minutes: int) -> str:
    """ "1,5 uur", "2 uur"."""
    whole, rest = divmod(minutes, 60)
    if rest == 0:
        return f"{whole} uur"
    return f"{minutes / 60:.1f}".replace(".", ",").rstrip("0").rstrip(",") + " uur"


def quarter_of(day: date) -> str:
    """The API's quarter code: "2026-Q4"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter(code: str) -> str:
    """ "2026-Q4" as "4e kwartaal 2026"."""
    year, number = code.split("-Q")
    return f"{number}e kwartaal {year}"


def label(words: dict[str, str], code: str | None) -> str:
    """The Dutch word for an API code; an unknown code is shown as it is, never hidden."""
    if code is None:
        return ""
    return words.get(code, code)
