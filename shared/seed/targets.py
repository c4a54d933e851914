"""The programme's targets, in the plan's words, for monitoring what the platform measures.

Source: the plan's section 2 (the goal: keep the 613 pupils in technical profiles, raise the
transfer to technical mbo), section 4.1 (figure 2, po schools) and section 4.2 (transfer per
profile), and the core tasks' "Te ondernemen activiteiten" (finance.py). The figures are
stated once, in region.py and finance.py; this module adds what the plan says about them.

The plan counts in calendar years (figure 2 runs 2019..2023, "In 2023 volgden 613 ...",
co-financing and budget "jaarlijks"), so the monitoring does too.
"""

from __future__ import annotations

from dataclasses import dataclass

from .finance import CORE_TASKS
from .region import (
    HARD_TECH_PROFILES,
    PO_SCHOOLS_ACTIVE,
    PO_SCHOOLS_IN_REGION,
    STUDENT_COUNT_YEARS,
    STUDENT_COUNTS,
    STUDENT_TOTALS,
    STUDENT_TOTALS_BY_PROFILE,
    TRANSFER_TARGETS,
)

YEAR_KIND = "kalenderjaar"
BASELINE_YEAR = STUDENT_COUNT_YEARS[-1]  # 2023, the last year of figure 2


@dataclass(frozen=True)
class Target:
    key: str
    plan: str  # the plan's own words
    value: int
    unit: str  # Dutch: "leerlingen", "%", "scholen"


TECHNICAL_PROFILES = Target(
    "technische-profielen",
    "In 2023 volgden 613 vmbo leerlingen een technisch profiel; dit aantal willen we behouden.",
    STUDENT_TOTALS[-1],
    "leerlingen",
)

PO_SCHOOLS = Target(
    "po-scholen",
    f"Van de {PO_SCHOOLS_IN_REGION} po scholen in de regio, werken we intensief samen met "
    f"{PO_SCHOOLS_ACTIVE} scholen.",
    PO_SCHOOLS_ACTIVE,
    "scholen",
)

# Section 4.2, sentence by sentence; "TL" is vmbo-tl (a level, not a profile).
_TRANSFER_WORDS = {
    "BWI": "De percentages voor BWI en PIE willen we behouden.",
    "PIE": "De percentages voor BWI en PIE willen we behouden.",
    "M&T": "voor M&T willen we het verhogen naar 80%",
    "MVI": "voor MVI naar 65%",
    "D&P": "Het profiel D&P heeft een doorstroompercentage van 26%, en het profiel Groen van "
    "25%. Beiden willen we verhogen 30%.",
    "Groen": "Het profiel D&P heeft een doorstroompercentage van 26%, en het profiel Groen "
    "van 25%. Beiden willen we verhogen 30%.",
    "TL": "Het huidige doorstroompercentage van de TL is 26%. Dit willen we verhogen naar 30%.",
}
TRANSFER = tuple(
    Target(f"doorstroom-{t.profile}", _TRANSFER_WORDS[t.profile], t.target_percent, "%")
    for t in TRANSFER_TARGETS
)
TRANSFER_2023_PERCENT = {t.profile: t.rate_2023_percent for t in TRANSFER_TARGETS}
TL_LEVEL = "vmbo-tl"  # the "TL" of the transfer targets

# Figure 2, the baseline year: pupils per hard-tech profile, and per school in all of them.
PROFILE_BASELINE = {profile: counts[-1] for profile, counts in STUDENT_TOTALS_BY_PROFILE.items()}
SCHOOL_BASELINE: dict[str, int] = {}
for _count in STUDENT_COUNTS:
    if _count.year == BASELINE_YEAR:
        SCHOOL_BASELINE[_count.school_id] = (
            SCHOOL_BASELINE.get(_count.school_id, 0) + _count.students
        )

# Per core task: the activities the plan sets, all "Continue 2025 tot 2029".
CORE_TASK_ACTIVITIES = {t.code: (t.title, t.activities) for t in CORE_TASKS}
ACTIVITIES_RUN = "Continue 2025 tot 2029"

__all__ = [
    "ACTIVITIES_RUN",
    "BASELINE_YEAR",
    "CORE_TASK_ACTIVITIES",
    "HARD_TECH_PROFILES",
    "PO_SCHOOLS",
    "PROFILE_BASELINE",
    "SCHOOL_BASELINE",
    "TECHNICAL_PROFILES",
    "TL_LEVEL",
    "TRANSFER",
    "TRANSFER_2023_PERCENT",
    "YEAR_KIND",
    "Target",
]
