"""Request bodies for offers, sessions and bookings: the gateway validates them, the service too."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from shared.contracts.common import Group


class NewOffering(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9-]{3,80}$", examples=["cnc-technieken-kv1313"])
    kind: str = Field(examples=["elective"])
    title: str = Field(min_length=3, max_length=200)
    audience: list[str] = Field(min_length=1, examples=[["vmbo-kb", "vmbo-gl"]])
    profile: str | None = None
    location: str = "Hotspot"
    equipment: list[str] = []


class NewSession(BaseModel):
    starts_at: datetime
    ends_at: datetime
    room: str = Field(min_length=1, max_length=80)
    instructor: str = Field(min_length=1, max_length=120)
    capacity: int = Field(ge=1, le=1000)


class NewBooking(BaseModel):
    session_id: UUID
    group: Group


class NewClosedPeriod(BaseModel):
    """Days the hotspot is closed for everyone, both inclusive (a holiday, a closure)."""

    starts_on: date
    ends_on: date
    name: str = Field(min_length=2, max_length=120, examples=["Studiedag hotspot"])
    kind: Literal["school_holiday", "public_holiday", "closure"] = "closure"


class SchoolDayException(BaseModel):
    """A school open on a day the hotspot calendar closes, or closed on an open one."""

    open: bool
    reason: str = Field(min_length=2, max_length=200, examples=["studiedag"])


class BookingRulesBody(BaseModel):
    min_lead_days: int = Field(ge=0, le=365, examples=[1])
    free_cancellation_days: int = Field(ge=0, le=365, examples=[7])


class QuotaBody(BaseModel):
    max_sessions: int = Field(ge=0, le=10_000, examples=[12])
