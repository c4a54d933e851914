"""Request bodies for equipment reservations: the gateway validates them, the service too."""

from datetime import date

from pydantic import BaseModel, Field

from shared.contracts.common import MultilineText, Text


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


class CheckOut(BaseModel):
    # The state of the units as they leave, in the backoffice's words.
    condition_note: MultilineText = Field("", max_length=500)


class DamageFound(BaseModel):
    description: MultilineText = Field(min_length=1, max_length=1000)
    repair_cost_cents: int = Field(ge=0, le=100_000_000)


class Return(BaseModel):
    condition: Text = Field(min_length=1, max_length=40, examples=["goed", "beschadigd"])
    # With damage the item goes in repair until the backoffice marks it repaired.
    damage: DamageFound | None = None


class Repaired(BaseModel):
    condition: Text = Field("goed", min_length=1, max_length=40)
