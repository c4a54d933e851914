"""The hotspot's calendar, school years 2025/26 to 2028/29: when it is closed, as data.

Weekends are closed by rule (services.bookings.domain). Everything else here is seeded into the
bookings store, where the backoffice edits it (and adds per-school exceptions).

Sources (rijksoverheid.nl, "Overzicht schoolvakanties per schooljaar", region "midden";
each holiday runs Saturday to Sunday, both inclusive):
- .../overzicht-schoolvakanties-2025-2026 and -2026-2027;
- .../overzicht-schoolvakanties-2027-2028 (herfst 16-24 okt 2027, kerst 25 dec 2027 - 9 jan
  2028, voorjaar 26 feb - 5 mrt 2028, mei 29 apr - 7 mei 2028, zomer 8 jul - 20 aug 2028);
- .../overzicht-schoolvakanties-2028-2029 (herfst 21-29 okt 2028, kerst 23 dec 2028 - 7 jan
  2029, voorjaar 17-25 feb 2029, mei 28 apr - 6 mei 2029, zomer 7 jul - 19 aug 2029).
OCW gives the autumn and spring dates as advice; a school that deviates gets an exception.
Public holidays: the official Dutch ones (rijksoverheid.nl, "Officiële feestdagen"), with
Goede Vrijdag and Bevrijdingsdag, on which schools in the region close as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class ClosedPeriod:
    starts_on: date
    ends_on: date  # inclusive
    name: str
    kind: str  # "school_holiday" | "public_holiday"


SCHOOL_YEARS: tuple[str, ...] = ("2025/26", "2026/27", "2027/28", "2028/29")

# Per school year, the holidays of region midden (the summer holiday that ends the year
# belongs to it; the one before 2025/26 is listed too, since August 2025 is part of it).
SCHOOL_HOLIDAYS_MIDDEN: dict[str, dict[str, tuple[date, date]]] = {
    "2024/25": {
        "zomervakantie": (date(2025, 7, 19), date(2025, 8, 31)),
    },
    "2025/26": {
        "herfstvakantie": (date(2025, 10, 18), date(2025, 10, 26)),
        "kerstvakantie": (date(2025, 12, 20), date(2026, 1, 4)),
        "voorjaarsvakantie": (date(2026, 2, 14), date(2026, 2, 22)),
        "meivakantie": (date(2026, 4, 25), date(2026, 5, 3)),
        "zomervakantie": (date(2026, 7, 18), date(2026, 8, 30)),
    },
    "2026/27": {
        "herfstvakantie": (date(2026, 10, 17), date(2026, 10, 25)),
        "kerstvakantie": (date(2026, 12, 19), date(2027, 1, 3)),
        "voorjaarsvakantie": (date(2027, 2, 20), date(2027, 2, 28)),
        "meivakantie": (date(2027, 4, 24), date(2027, 5, 2)),
        "zomervakantie": (date(2027, 7, 17), date(2027, 8, 29)),
    },
    "2027/28": {
        "herfstvakantie": (date(2027, 10, 16), date(2027, 10, 24)),
        "kerstvakantie": (date(2027, 12, 25), date(2028, 1, 9)),
        "voorjaarsvakantie": (date(2028, 2, 26), date(2028, 3, 5)),
        "meivakantie": (date(2028, 4, 29), date(2028, 5, 7)),
        "zomervakantie": (date(2028, 7, 8), date(2028, 8, 20)),
    },
    "2028/29": {
        "herfstvakantie": (date(2028, 10, 21), date(2028, 10, 29)),
        "kerstvakantie": (date(2028, 12, 23), date(2029, 1, 7)),
        "voorjaarsvakantie": (date(2029, 2, 17), date(2029, 2, 25)),
        "meivakantie": (date(2029, 4, 28), date(2029, 5, 6)),
        "zomervakantie": (date(2029, 7, 7), date(2029, 8, 19)),
    },
}

PUBLIC_HOLIDAYS: dict[date, str] = {
    date(2025, 12, 25): "Eerste Kerstdag",
    date(2025, 12, 26): "Tweede Kerstdag",
    date(2026, 1, 1): "Nieuwjaarsdag",
    date(2026, 4, 3): "Goede Vrijdag",
    date(2026, 4, 5): "Eerste Paasdag",
    date(2026, 4, 6): "Tweede Paasdag",
    date(2026, 4, 27): "Koningsdag",
    date(2026, 5, 5): "Bevrijdingsdag",
    date(2026, 5, 14): "Hemelvaartsdag",
    date(2026, 5, 24): "Eerste Pinksterdag",
    date(2026, 5, 25): "Tweede Pinksterdag",
    date(2026, 12, 25): "Eerste Kerstdag",
    date(2026, 12, 26): "Tweede Kerstdag",
    date(2027, 1, 1): "Nieuwjaarsdag",
    date(2027, 3, 26): "Goede Vrijdag",
    date(2027, 3, 28): "Eerste Paasdag",
    date(2027, 3, 29): "Tweede Paasdag",
    date(2027, 4, 27): "Koningsdag",
    date(2027, 5, 5): "Bevrijdingsdag",
    date(2027, 5, 6): "Hemelvaartsdag",
    date(2027, 5, 16): "Eerste Pinksterdag",
    date(2027, 5, 17): "Tweede Pinksterdag",
    date(2027, 12, 25): "Eerste Kerstdag",
    date(2027, 12, 26): "Tweede Kerstdag",
    date(2028, 1, 1): "Nieuwjaarsdag",
    date(2028, 4, 14): "Goede Vrijdag",
    date(2028, 4, 16): "Eerste Paasdag",
    date(2028, 4, 17): "Tweede Paasdag",
    date(2028, 4, 27): "Koningsdag",
    date(2028, 5, 5): "Bevrijdingsdag",
    date(2028, 5, 25): "Hemelvaartsdag",
    date(2028, 6, 4): "Eerste Pinksterdag",
    date(2028, 6, 5): "Tweede Pinksterdag",
    date(2028, 12, 25): "Eerste Kerstdag",
    date(2028, 12, 26): "Tweede Kerstdag",
    date(2029, 1, 1): "Nieuwjaarsdag",
    date(2029, 3, 30): "Goede Vrijdag",
    date(2029, 4, 1): "Eerste Paasdag",
    date(2029, 4, 2): "Tweede Paasdag",
    date(2029, 4, 27): "Koningsdag",
    date(2029, 5, 5): "Bevrijdingsdag",
    date(2029, 5, 10): "Hemelvaartsdag",
    date(2029, 5, 20): "Eerste Pinksterdag",
    date(2029, 5, 21): "Tweede Pinksterdag",
}

CLOSED_PERIODS: tuple[ClosedPeriod, ...] = (
    *(
        ClosedPeriod(start, end, f"{name} {year}", "school_holiday")
        for year, holidays in SCHOOL_HOLIDAYS_MIDDEN.items()
        for name, (start, end) in holidays.items()
    ),
    *(ClosedPeriod(day, day, name, "public_holiday") for day, name in PUBLIC_HOLIDAYS.items()),
)
