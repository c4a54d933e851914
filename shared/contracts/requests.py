"""Bodies of the commands front ends send: the gateway validates them, the service too."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from shared.contracts.common import CoreTask, Group


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


class NewReservation(BaseModel):
    item_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$", examples=["tft-rob-001"])
    starts_on: date
    ends_on: date
    # Units of a kit; a single item has one.
    quantity: int = Field(1, ge=1, le=1000)
    # The backoffice reserves for a school and names it; a school reserves for itself.
    school_id: str | None = Field(None, pattern=r"^[a-z0-9-]{1,80}$")


class ReservationExtension(BaseModel):
    ends_on: date


class NewRegistration(BaseModel):
    session_id: UUID
    group: Group


class CheckIn(BaseModel):
    # The code as the registration shows it (and its QR code carries): URL-safe base64.
    code: str = Field(pattern=r"^[A-Za-z0-9_-]{22,100}$")
    students_present: int = Field(ge=0, le=200)


class NewDeclaration(BaseModel):
    quarter: str = Field(pattern=r"^\d{4}-Q[1-4]$", examples=["2026-Q4"])


class MaterialLine(BaseModel):
    kind: Literal["material"]
    core_task: CoreTask
    description: str = Field(min_length=3, max_length=300)
    amount_cents: int = Field(ge=1, le=100_000_000)
    supplier: str = Field(min_length=1, max_length=120)
    invoice_reference: str = Field(min_length=1, max_length=80)
    # Set when the cost belongs to an earlier quarter whose declaration is already locked.
    late_for_quarter: str | None = Field(None, pattern=r"^\d{4}-Q[1-4]$")


class StaffHoursLine(BaseModel):
    """Hours of the school's own staff, priced at the default rate finance keeps per role."""

    kind: Literal["hours"]
    core_task: CoreTask
    description: str = Field(min_length=3, max_length=300)
    role: str = Field(pattern=r"^[a-z][a-z-]{1,39}$", examples=["teacher"])
    minutes: int = Field(ge=1, le=100_000)
    late_for_quarter: str | None = Field(None, pattern=r"^\d{4}-Q[1-4]$")


NewDeclarationLine = Annotated[MaterialLine | StaffHoursLine, Field(discriminator="kind")]


class Rejection(BaseModel):
    reason: str = Field(min_length=3, max_length=500)


class Payment(BaseModel):
    batch: str = Field(min_length=1, max_length=40, examples=["2027-01"])
    paid_on: date


class RateChange(BaseModel):
    hourly_rate_cents: int = Field(ge=0, le=1_000_000)


class BudgetChange(BaseModel):
    amount_cents: int = Field(ge=0, le=10_000_000_000)
    # Stop approvals that would exceed the budget instead of only warning.
    hard_limit: bool = False
