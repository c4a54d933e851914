"""Request bodies for equipment reservations: the gateway validates them, the service too."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

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


class LoanPolicyBody(BaseModel):
    # Days from today to the last day a reservation may run to.
    horizon_days: int = Field(ge=1, le=730, examples=[365])
    # Days one reservation may last, its extensions included (both ends count).
    max_days: int = Field(ge=1, le=365, examples=[21])


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


# Ids of items and categories as the inventory spells them (a category: robot, drone, ...).
ITEM_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$"
CATEGORY = r"^[a-z0-9-]{1,40}$"


class NewItem(BaseModel):
    """A single piece (quantity 1) or a kit of units lent together or in part."""

    id: str = Field(pattern=ITEM_ID, examples=["tft-vr-004"])
    asset_tag: Text = Field(min_length=1, max_length=40, examples=["TFT-VR-004"])
    category: str = Field(pattern=CATEGORY, examples=["vr-headset"])
    name: Text = Field(min_length=1, max_length=200, examples=["VR-brillen klassenset"])
    quantity: int = Field(1, ge=1, le=1000, examples=[16])
    location: Text = Field(min_length=1, max_length=120, examples=["Hotspot T is for Tech"])
    condition: Text = Field("goed", min_length=1, max_length=40)
    # False for stationary equipment: it serves lessons where it stands but is never lent.
    loanable: bool = True


class ItemChange(BaseModel):
    """What changes of an item: a field left out (or null) stays as it is."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"quantity": 15, "condition": "1 bril kwijt"}}
    )

    name: Text | None = Field(
        None, min_length=1, max_length=200, examples=["VR-brillen klassenset (Meta Quest 3)"]
    )
    category: str | None = Field(None, pattern=CATEGORY)
    quantity: int | None = Field(None, ge=1, le=1000, examples=[15])
    location: Text | None = Field(None, min_length=1, max_length=120)
    condition: Text | None = Field(None, min_length=1, max_length=40)
    loanable: bool | None = None
