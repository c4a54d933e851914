"""Dates, times, money and equipment written the Dutch way (Europe/Amsterdam time), for what
people read."""

from datetime import date, datetime

from shared.domain import AMSTERDAM

_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def dutch_date(day: date) -> str:
    """`woensdag 9 december 2026`."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def dutch_datetime(moment: datetime) -> str:
    """`woensdag 9 december 2026 om 10:00`: a moment, such as a deadline."""
    local = moment.astimezone(AMSTERDAM)
    return f"{dutch_date(local.date())} om {local:%H:%M}"


def dutch_period(starts_at: datetime, ends_at: datetime) -> str:
    """`woensdag 9 december 2026, 10:00-12:00`: a lesson or session on one day."""
    starts, ends = starts_at.astimezone(AMSTERDAM), ends_at.astimezone(AMSTERDAM)
    return f"{dutch_date(starts.date())}, {starts:%H:%M}-{ends:%H:%M}"


def euros(cents: int) -> str:
    """`€ 1.234,56`; a negative amount (a correction) as `€ -1.234,56`."""
    whole, rest = divmod(abs(cents), 100)
    return f"€ {'-' if cents < 0 else ''}{whole:,}".replace(",", ".") + f",{rest:02d}"


# One unit (a kit or an item) of each equipment category, as a sentence names it; the
# categories' ids (shared.seed.catalogue) are slugs nobody reads.
EQUIPMENT_NOUNS = {
    "robot": "robotset",
    "printer-3d": "3D-printer",
    "vr": "VR-set",
    "drone": "droneset",
    "hydrogen-car": "waterstofauto",
    "ev": "elektrische auto of scooter",
    "cnc": "CNC-machine",
    "plastic-shredder": "kunststofshredder",
}


def equipment_noun(category: str) -> str:
    """`waterstofauto` for `hydrogen-car`; an unknown category as it is."""
    return EQUIPMENT_NOUNS.get(category, category)


def equipment_list(categories: list[str]) -> str:
    """`de robotset, de VR-set en de waterstofauto`."""
    words = [f"de {equipment_noun(c)}" for c in categories]
    return " en ".join(filter(None, [", ".join(words[:-1]), *words[-1:]]))
