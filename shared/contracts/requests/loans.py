"""Request bodies for equipment reservations: the gateway validates them, the service too."""

from datetime import date

from pydantic import BaseModel, Field


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
