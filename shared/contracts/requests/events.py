"""Request bodies for event registrations, personal registrations and check-in (validated by
gateway and service)."""

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from shared.contracts.common import Group, Text

# The vmbo profiles (and the vmbo-tl subject T&T) a class can follow: shared.seed.PROFILES.
Profile = Literal["BWI", "PIE", "M&T", "MVI", "D&P", "Groen", "ZW", "EO", "HBR", "T&T"]


class NewRegistration(BaseModel):
    session_id: UUID
    group: Group
    # The class's profile, when it has one (vmbo years 3-4): reach is counted per profile.
    profile: Profile | None = None


class CheckIn(BaseModel):
    # The code as the registration shows it (and its QR code carries): URL-safe base64.
    code: str = Field(pattern=r"^[A-Za-z0-9_-]{22,100}$")
    students_present: int = Field(ge=0, le=200)


class NewAttendee(BaseModel):
    """A person registering themselves for an event for adults: a name and an e-mail, no more."""

    name: Text = Field(min_length=1, max_length=120, examples=["Anna de Vries"])
    # A plain shape check: whether mail arrives is the person's to see.
    email: Text = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                       examples=["anna@voorbeeld-bouw.nl"])


class SessionHeld(BaseModel):
    """The backoffice records that a session took place, with the minutes its host gave
    (preparation included, if the host says so); without them, the event's length."""

    minutes: int | None = Field(None, ge=1, le=720)


class NewEventCost(BaseModel):
    description: Text = Field(min_length=1, max_length=200,
                              examples=["Busvervoer Techevent"])
    amount_cents: int = Field(ge=1, le=100_000_000, examples=[45000])
    supplier: Text = Field(min_length=1, max_length=120, examples=["Touringcar Amersfoort"])
    invoice_reference: Text = Field(min_length=1, max_length=80, examples=["F2027-0113"])
    incurred_on: date
