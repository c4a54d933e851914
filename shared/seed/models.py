"""Record types of the seed data: frozen dataclasses, no I/O, no third-party imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from uuid import UUID


@dataclass(frozen=True, slots=True)
class School:
    id: str  # short stable slug
    name: str
    kind: str  # vmbo | pro | vso | mbo | po | havo
    municipality: str | None  # None: figure 4 does not say and it is not certain
    place: str | None = None  # village/town when it differs from the municipality
    profiles: tuple[str, ...] = ()  # basis/kader profiles, figure 4
    tl_subjects: tuple[str, ...] = ()  # D&P / T&T in the TL column, figure 4
    has_tl: bool = False
    hard_tech: bool = False
    figure_name: str = ""  # spelling in figure 4, for traceability
    is_placeholder: bool = False  # generated, not in the document
    note: str = ""
    board_id: str | None = None  # po schools: their board (PoBoard.id, figure 5)

    @property
    def all_profiles(self) -> tuple[str, ...]:
        return self.profiles + tuple(p for p in self.tl_subjects if p not in self.profiles)


@dataclass(frozen=True, slots=True)
class PoBoard:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Elective:
    code: str  # e.g. "KV 1313"
    title: str
    profile: str  # BWI | M&T | PIE | MVI | D&P
    offered_by: tuple[str, ...]  # school ids and/or "hotspot"
    note: str = ""


@dataclass(frozen=True, slots=True)
class StudentCount:
    school_id: str
    profile: str
    year: int
    students: int


@dataclass(frozen=True, slots=True)
class TransferTarget:
    profile: str  # vmbo profile, or "TL" for vmbo-tl
    rate_2023_percent: int  # share going on to a technical mbo programme
    target_percent: int


@dataclass(frozen=True, slots=True)
class EquipmentCategory:
    id: str
    name: str  # Dutch
    tag_prefix: str


@dataclass(frozen=True, slots=True)
class EquipmentItem:
    id: str
    asset_tag: str  # generated, "TFT-<prefix>-<nnn>"
    category: str  # EquipmentCategory.id
    name: str  # Dutch
    quantity: int  # > 1 for a kit (e.g. 12 robot sets), 1 for a single item
    location: str
    loanable: bool = True  # "Apparatuur kan ook geleend worden door scholen" (B, Hotspot)


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    name: str
    location: str


@dataclass(frozen=True, slots=True)
class Offering:
    id: str  # stable slug
    kind: str  # see OFFERING_KINDS
    title: str  # Dutch
    audience: tuple[str, ...]  # see AUDIENCES
    profile: str | None  # vmbo profile the lesson belongs to, None when cross-profile
    hours_per_session: float
    sessions_per_series: int  # 1 for a single lesson, 4 for a masterclass, ...
    capacity: int  # students per session (one group)
    location: str
    equipment: tuple[str, ...] = ()  # EquipmentCategory ids
    elective_code: str | None = None  # KV code when kind == "elective"
    core_task: str = "B"  # CoreTask.code that pays for it
    host_company: str | None = None  # Company.id hosting a company visit or internship
    assignment: str | None = None  # the practical assignment of a company visit (Dutch)
    internship_year: int | None = None  # leerjaar of the internship places
    period: tuple[date, date] | None = None  # internship period, both days inclusive
    theme: str | None = None  # shared.contracts.common.Theme, None: no theme in particular

    @property
    def total_hours(self) -> float:
        return self.hours_per_session * self.sessions_per_series


@dataclass(frozen=True, slots=True)
class Session:
    id: UUID  # uuid5(offering id + index): stable between runs
    offering_id: str
    index: int  # 0-based position in the series
    starts_at: datetime  # UTC, tz-aware
    ends_at: datetime  # UTC, tz-aware
    room: str  # Room.id
    instructor: str  # placeholder name
    location: str


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    title: str
    description: str  # Dutch, from the document
    dates: tuple[date, ...]  # generated
    start: time  # Europe/Amsterdam wall-clock time
    end: time
    audience: tuple[str, ...]
    capacity: int  # generated
    location: str
    core_task: str = "D"


@dataclass(frozen=True, slots=True)
class CoreTask:
    code: str  # A..E
    title: str  # Dutch, heading in the activity plan
    short_title: str  # Dutch, wording in the intro of the activity plan
    activities: tuple[str, ...]  # "Te ondernemen activiteiten"


@dataclass(frozen=True, slots=True)
class BudgetLine:
    core_task: str
    year: int
    amount_cents: int


@dataclass(frozen=True, slots=True)
class Company:
    id: str
    name: str
    branch: str
    municipality: str | None
    offers: tuple[str, ...]  # offering kinds / "internship"
    is_placeholder: bool = True


@dataclass(frozen=True, slots=True)
class Partner:
    id: str
    name: str
    kind: str  # expertise | research | network | municipality | school_board | authority
    role: str  # Dutch, from the document
