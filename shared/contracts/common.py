"""Value types several contracts share."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Levels a group can have (DOMAIN.md: po, vmbo levels, pro/vso, havo/vwo, mbo).
Level = Literal[
    "po", "vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl", "pro", "vso", "havo", "vwo", "mbo"
]
CoreTask = Literal["A", "B", "C", "D", "E"]


class Group(BaseModel):
    """A class of students: numbers only, never names of minors."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=60, examples=["3B"])
    level: Level
    year: int = Field(ge=1, le=8)
    students: int = Field(ge=1, le=200)
