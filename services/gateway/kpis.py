"""Programme monitoring: the plan's targets beside what the platform measured in a calendar
year, composed from bookings' reach (completed bookings, with the students who came) and
events' reach (the attendance recorded at check-in), each service asked as the caller.

A service that does not answer is named in `missing` and its part left out, as in Mijn
planning: the figures then say less, and say so, rather than nothing at all.
"""

import asyncio
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from typing import Any, Literal

from fastapi import Response
from pydantic import BaseModel, Field

from services.gateway.auth import Principal
from services.gateway.planning import records_of
from services.gateway.routes.common import Forward
from shared.seed import targets
from shared.spreadsheet import CSV, XLSX, Cell, Sheet, as_csv, as_xlsx, attachment

Service = Literal["bookings", "events"]
EVENT = "event"  # the activity of an event session; events are core task D ("Evenementen")
EVENT_CORE_TASK = "D"
LEVEL_ORDER = ("po", "vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl", "pro", "vso", "havo", "vwo", "mbo")


class Reached(BaseModel):
    """One row of reach, whichever service counted it."""

    source: Service
    school_id: str
    level: str
    profile: str | None = None
    activity: str = Field(
        description="the kind of offer (inspiration_lesson, masterclass, ...) or `event`"
    )
    core_task: str
    groups: int
    sessions: int
    students: int


class Figures(BaseModel):
    groups: int = Field(
        default=0, description="groups reached; a group that followed a whole series counts once"
    )
    sessions: int = Field(
        default=0,
        description="sessions a group took part in: a lesson given or an event session attended",
    )
    students: int = Field(
        default=0, description="students reached: those who came (a series' group once)"
    )


class SchoolFigures(Figures):
    school_id: str
    plan_2023_students: int | None = Field(
        None,
        description="figure 2 of the plan: the school's students in hard-tech profiles in 2023",
    )


class LevelFigures(Figures):
    level: str


class ProfileFigures(Figures):
    profile: str | None = Field(None, description="null (or absent): lessons for every profile")
    plan_2023_students: int | None = Field(None, description="figure 2 of the plan, 2023")


class ActivityFigures(Figures):
    activity: str


class CoreTaskFigures(Figures):
    core_task: str
    title: str
    plan_activities: list[str]
    plan_period: str


class Kpi(BaseModel):
    key: str
    plan: str = Field(description="the plan's own words")
    target: int
    unit: str
    baseline: int | None = Field(None, description="the plan's figure for 2023")
    reached: int = Field(description="what the platform measured beside it (see reached_as)")
    reached_as: str


class Kpis(BaseModel):
    year: int
    year_kind: Literal["kalenderjaar"] = "kalenderjaar"
    first_day: date
    last_day: date
    missing: list[Service] = Field(
        description="services that did not answer: their part of the figures is absent, not zero"
    )
    totals: Figures
    kpis: list[Kpi]
    per_school: list[SchoolFigures]
    per_level: list[LevelFigures]
    per_profile: list[ProfileFigures]
    per_activity: list[ActivityFigures]
    per_core_task: list[CoreTaskFigures]
    rows: list[Reached]


async def kpis(forward: Forward, who: Principal, year: int) -> Kpis:
    asked = {
        service: forward(service, "GET", "/reach", who, params={"year": year})
        for service in ("bookings", "events")
    }
    answers = dict(zip(asked, await asyncio.gather(*asked.values()), strict=True))
    rows: list[Reached] = []
    missing: list[Service] = []
    for service, answer in answers.items():
        records = records_of(answer)
        if records is None:
            missing.append(service)  # type: ignore[arg-type]
        else:
            rows += map(_booking if service == "bookings" else _event, records)
    return measured(year, rows, missing)


def _booking(r: dict[str, Any]) -> Reached:
    return Reached(source="bookings", activity=r["kind"], sessions=r["lessons"], **r)


def _event(r: dict[str, Any]) -> Reached:
    """A registration is one group at one session: its groups are its sessions."""
    return Reached(
        source="events", activity=EVENT, core_task=EVENT_CORE_TASK, sessions=r["groups"], **r
    )


def measured(year: int, rows: list[Reached], missing: list[Service]) -> Kpis:
    """The figures of `rows` per school, level, profile, activity and core task, with the
    plan's targets beside them."""
    by_profile = _summed(rows, lambda r: r.profile)
    by_level = _summed(rows, lambda r: r.level)
    by_task = _summed(rows, lambda r: r.core_task)
    schools = _summed(rows, lambda r: r.school_id)
    return Kpis(
        year=year,
        first_day=date(year, 1, 1),
        last_day=date(year, 12, 31),
        missing=missing,
        totals=_total(rows),
        kpis=_kpis(year, rows, by_profile, by_level),
        per_school=[
            SchoolFigures(
                school_id=s,
                plan_2023_students=targets.SCHOOL_BASELINE.get(s),
                **schools.get(s, Figures()).model_dump(),
            )
            for s in _ordered(schools, targets.SCHOOL_BASELINE)
        ],
        per_level=[
            LevelFigures(level=level, **f.model_dump())
            for level, f in sorted(by_level.items(), key=_level_order)
        ],
        per_profile=[
            ProfileFigures(
                profile=p,
                plan_2023_students=targets.PROFILE_BASELINE.get(p),
                **by_profile.get(p, Figures()).model_dump(),
            )
            for p in _ordered(by_profile, targets.PROFILE_BASELINE)
        ],
        per_activity=[
            ActivityFigures(activity=a, **f.model_dump())
            for a, f in sorted(_summed(rows, lambda r: r.activity).items())
        ],
        per_core_task=[
            CoreTaskFigures(
                core_task=code,
                title=title,
                plan_activities=list(done),
                plan_period=targets.ACTIVITIES_RUN,
                **by_task.get(code, Figures()).model_dump(),
            )
            for code, (title, done) in targets.CORE_TASK_ACTIVITIES.items()
        ],
        rows=rows,
    )


def _kpis(
    year: int, rows: list[Reached], by_profile: dict[Any, Figures], by_level: dict[Any, Figures]
) -> list[Kpi]:
    hard_tech = sum(by_profile.get(p, Figures()).students for p in targets.HARD_TECH_PROFILES)
    po_schools = {r.school_id for r in rows if r.level == "po" and r.students}
    tech, po = targets.TECHNICAL_PROFILES, targets.PO_SCHOOLS
    found = [
        _kpi(
            tech,
            tech.value,
            hard_tech,
            f"leerlingen uit de harde techniekprofielen "
            f"({', '.join(targets.HARD_TECH_PROFILES)}) die in {year} een les of evenement "
            "volgden; hoeveel leerlingen een profiel kiezen, houdt het platform niet bij",
        ),
        _kpi(
            po,
            po.value,
            len(po_schools),
            f"po-scholen waarvan een klas in {year} een les of evenement volgde",
        ),
    ]
    for transfer in targets.TRANSFER:
        profile = transfer.key.removeprefix("doorstroom-")
        figures = (
            by_level.get(targets.TL_LEVEL) if profile == "TL" else by_profile.get(profile)
        ) or Figures()
        found.append(
            _kpi(
                transfer,
                targets.TRANSFER_2023_PERCENT[profile],
                figures.students,
                f"leerlingen ({profile}) die in {year} een les of evenement volgden; de "
                "doorstroom naar het technisch mbo houdt het platform niet bij",
            )
        )
    return found


def _kpi(target: targets.Target, baseline: int, reached: int, reached_as: str) -> Kpi:
    return Kpi(
        key=target.key,
        plan=target.plan,
        target=target.value,
        unit=target.unit,
        baseline=baseline,
        reached=reached,
        reached_as=reached_as,
    )


def _summed(rows: Iterable[Reached], key: Callable[[Reached], Hashable]) -> dict[Any, Figures]:
    sums: dict[Any, Figures] = {}
    for row in rows:
        f = sums.setdefault(key(row), Figures())
        f.groups, f.sessions, f.students = (
            f.groups + row.groups,
            f.sessions + row.sessions,
            f.students + row.students,
        )
    return sums


def _total(rows: list[Reached]) -> Figures:
    return _summed(rows, lambda _: None).get(None, Figures())


def _ordered(measured_keys: dict[Any, Figures], planned: dict[str, int]) -> list[Any]:
    """The plan's keys first (in its order, also when nothing was reached), then the rest."""
    rest = sorted(
        (k for k in measured_keys if k not in planned), key=lambda k: (k is None, k or "")
    )
    return [*planned, *rest]


def _level_order(item: tuple[str, Figures]) -> tuple[int, str]:
    level = item[0]
    return (LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER), level)


# Downloads: the same figures as tables with Dutch headings, one sheet each in XLSX and one
# after another in CSV (its first column names the table).
FIGURE_HEADINGS = ["groepen", "sessies", "leerlingen"]


def _figures(f: Figures) -> list[Cell]:
    return [f.groups, f.sessions, f.students]


def sheets(k: Kpis) -> list[Sheet]:
    title = f"KPI's T is for Tech {k.year} ({k.year_kind} {k.first_day} t/m {k.last_day})"
    note = [f"Ontbreekt (dienst antwoordde niet): {', '.join(k.missing)}"] if k.missing else []
    return [
        Sheet(
            "Doelen",
            [
                [title],
                *([note] if note else []),
                ["doel", "plan", "doel (waarde)", "eenheid", "plan 2023", "bereikt", "bereikt als"],
                *(
                    [i.key, i.plan, i.target, i.unit, i.baseline, i.reached, i.reached_as]
                    for i in k.kpis
                ),
            ],
        ),
        Sheet(
            "Per school",
            [
                ["school", *FIGURE_HEADINGS, "plan 2023 (technische profielen)"],
                *([s.school_id, *_figures(s), s.plan_2023_students] for s in k.per_school),
            ],
        ),
        Sheet(
            "Per niveau",
            [["niveau", *FIGURE_HEADINGS], *([v.level, *_figures(v)] for v in k.per_level)],
        ),
        Sheet(
            "Per profiel",
            [
                ["profiel", *FIGURE_HEADINGS, "plan 2023"],
                *(
                    [p.profile or "zonder profiel", *_figures(p), p.plan_2023_students]
                    for p in k.per_profile
                ),
            ],
        ),
        Sheet(
            "Per activiteit",
            [
                ["activiteit", *FIGURE_HEADINGS],
                *([a.activity, *_figures(a)] for a in k.per_activity),
            ],
        ),
        Sheet(
            "Per kerntaak",
            [
                ["kerntaak", *FIGURE_HEADINGS, "titel", "activiteiten (plan)"],
                *(
                    [c.core_task, *_figures(c), c.title, "; ".join(c.plan_activities)]
                    for c in k.per_core_task
                ),
            ],
        ),
    ]


def download(k: Kpis, format: Literal["csv", "xlsx"]) -> Response:
    name = f"kpis-{k.year}.{format}"
    if format == "xlsx":
        return attachment(as_xlsx(sheets(k)), XLSX, name)
    lines = [[sheet.title, *row] for sheet in sheets(k) for row in sheet.rows]
    return attachment(as_csv(lines), CSV, name)


def chosen_format(format: str | None, accept: str) -> Literal["json", "csv", "xlsx"]:
    """`format` when given, else XLSX or CSV when Accept names it (XLSX first), else JSON."""
    if format in ("json", "csv", "xlsx"):
        return format  # type: ignore[return-value]
    accept = accept.lower()
    if XLSX in accept:
        return "xlsx"
    return "csv" if "text/csv" in accept else "json"
