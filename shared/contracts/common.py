"""Value types several contracts share, and the bounds every request's values keep."""

import re
from datetime import datetime
from typing import Annotated, Literal, Protocol
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

# Levels a group can have (DOMAIN.md: po, vmbo levels, pro/vso, havo/vwo, mbo).
Level = Literal[
    "po", "vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl", "pro", "vso", "havo", "vwo", "mbo"
]
CoreTask = Literal["A", "B", "C", "D", "E"]
# The technical themes an offer is about, in the plan's words ("Thema's zijn o.a. robotica,
# duurzame energie, schadeherstel, elektrische voertuigen, 3d printen"; dronetechniek, VR en
# 3d modelleren, AI; the branches bouw, installatie, metaal and ICT). Dutch names: web.formatting.
Theme = Literal[
    "robotics",
    "sustainable_energy",
    "electric_vehicles",
    "damage_repair",
    "3d_printing",
    "vr",
    "drones",
    "construction",
    "installation",
    "metal",
    "ict",
]


# Paging of every list. The stores hold 64-bit offsets, but no list comes near a million rows:
# past the bound a client made a mistake, and hears so (422) instead of a store's overflow.
Limit = Annotated[int, Field(ge=1, le=500)]
Offset = Annotated[int, Field(ge=0, le=1_000_000)]
# A school year by the calendar year it starts in (2026 is 2026/27).
SchoolYear = Annotated[int, Field(ge=2000, le=2100)]
# A calendar year (1 January to 31 December in Amsterdam): the plan counts its figures so.
CalendarYear = Annotated[int, Field(ge=2000, le=2100)]
# An amount a request stores: PostgreSQL's INTEGER holds up to 2**31 - 1 cents.
MAX_CENTS = 2_000_000_000

# Control characters (NUL and the like): PostgreSQL refuses NUL in text, mail and screens
# garble the others. Multi-line text keeps tab, newline and carriage return. (Pydantic
# refuses lone surrogates itself.)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _refusing(pattern: re.Pattern[str]) -> AfterValidator:
    def check(value: str) -> str:
        if pattern.search(value):
            raise PydanticCustomError(
                "control_character", "bevat een stuurteken (zoals een NUL-byte)"
            )
        return value

    return AfterValidator(check)


# Every text a request carries is one of these (ids with a pattern of their own excepted).
Text = Annotated[str, _refusing(_CONTROL)]
MultilineText = Annotated[str, _refusing(_CONTROL_IN_LINES)]


class GroupColumns(Protocol):
    """A store row that keeps a group in columns of its own (a booking, a registration)."""

    @property
    def group_name(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def students(self) -> int: ...


class Group(BaseModel):
    """A class of students: numbers only, never names of minors."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Text = Field(min_length=1, max_length=60, examples=["3B"])
    level: Level
    year: int = Field(ge=1, le=8)
    students: int = Field(ge=1, le=200)

    @classmethod
    def of(cls, row: GroupColumns) -> "Group":
        """The group `row` keeps, validated (its level column is plain text)."""
        return cls.model_validate(
            {"name": row.group_name, "level": row.level, "year": row.year, "students": row.students}
        )


class BookedGroup(BaseModel):
    """A class booked on a session (or registered for an event's), as an agenda shows it."""

    id: UUID
    school_id: str
    group: Group
    status: str


class AgendaSession(BaseModel):
    """A session in the agenda (GET /api/v1/sessions): of an offer, or through the gateway
    of an event, which then names its event in the `offering_*` fields."""

    id: UUID
    offering_id: str
    offering_title: str
    offering_kind: str
    location: str
    room: str
    instructor: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seats_left: int
    series_id: UUID | None = None
    # The classes the caller may see: every school's for the backoffice, a school its own.
    bookings: list[BookedGroup]
