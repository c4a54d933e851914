"""Programme monitoring as a person reads it: the KPIs of /programme/kpis turned into charts
(web/charts.py) and Dutch labels, the plan's figures beside what was reached."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from web import formatting
from web.charts import Bar, Chart

# The plan's period (2025-2029) and the year we are in, newest first.
PLAN_YEARS = range(2025, 2030)
ACTIVITIES = formatting.OFFER_KINDS | {"event": "Evenement"}
NO_PROFILE = "Zonder profiel"
# Figure 2 of the plan: students in the hard-tech profiles in 2023, per school and profile.
PLAN_2023 = "Plan 2023"


def years(today_year: int) -> list[int]:
    return sorted({*PLAN_YEARS, today_year}, reverse=True)


@dataclass(frozen=True)
class Monitoring:
    kpis: dict[str, Any]
    charts: list[Chart]


def monitoring(kpis: dict[str, Any], names: Mapping[str, str]) -> Monitoring:
    """`names`: organisation names by id (a school without one shows its id)."""
    schools = [
        Bar(names.get(s["school_id"], s["school_id"]), s["students"], s["plan_2023_students"])
        for s in kpis["per_school"]
    ]
    profiles = [
        Bar(p["profile"] or NO_PROFILE, p["students"], p["plan_2023_students"])
        for p in kpis["per_profile"]
    ]
    return Monitoring(
        kpis,
        [
            Chart("Leerlingen bereikt per school", schools, target_label=PLAN_2023),
            Chart(
                "Leerlingen bereikt per niveau",
                [Bar(v["level"], v["students"]) for v in kpis["per_level"]],
            ),
            Chart("Leerlingen bereikt per profiel", profiles, target_label=PLAN_2023),
            Chart(
                "Leerlingen bereikt per activiteit",
                [
                    Bar(formatting.label(ACTIVITIES, a["activity"]), a["students"])
                    for a in kpis["per_activity"]
                ],
            ),
            Chart(
                "Leerlingen bereikt per kerntaak",
                [Bar(f"Kerntaak {t['core_task']}", t["students"]) for t in kpis["per_core_task"]],
            ),
        ],
    )
