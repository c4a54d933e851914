"""Request bodies for offers, sessions and bookings: the gateway validates them, the service too."""

from datetime import datetime
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
