"""Request bodies for notification preferences and announcements: the gateway validates
them, notify too."""

from datetime import time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.common import MultilineText, Text

Channel = Literal["email", "webhook", "in_app"]
Category = Literal["bookings", "loans", "events", "finance", "reminders", "announcements"]


class QuietHoursIn(BaseModel):
    """Wall time in Europe/Amsterdam; `start` after `end` runs past midnight."""

    start: time = Field(examples=["22:00"])
    end: time = Field(examples=["07:00"])


class PreferencesIn(BaseModel):
    channels: dict[Category, Channel] = Field(
        default_factory=dict, examples=[{"announcements": "in_app"}]
    )
    # Only non-essential categories (reminders, announcements) can be opted out of.
    opted_out: list[Category] = Field(default_factory=list, max_length=10)
    digest: bool = False
    quiet_hours: QuietHoursIn | None = None


Role = Literal[
    "school", "teacher", "company", "municipality", "backoffice", "programme", "finance", "admin"
]
OrganisationKind = Literal[
    "vmbo",
    "pro",
    "vso",
    "havo",
    "mbo",
    "po",
    "po_board",
    "company",
    "municipality",
    "hotspot",
    "central",
]
OrganisationId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")]


class AnnouncementIn(BaseModel):
    """An announcement (the newsletter, a call for projects) to the people of the chosen
    organisations and kinds of organisation (every organisation when neither is chosen),
    only those with one of the chosen roles when roles are chosen. Choose at least one."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "title": "Oproep: projecten voor het schooljaar 2027-2028",
                "body": (
                    "Beste partners,\n\nDien vóór 1 maart je projectvoorstel in bij de backoffice."
                ),
                "kinds": ["vmbo", "company"],
                "roles": ["school", "company"],
            }
        }
    )

    title: Text = Field(
        min_length=3, max_length=200, examples=["Oproep: projecten voor het schooljaar 2027-2028"]
    )
    body: MultilineText = Field(min_length=3, max_length=20000)
    organisations: list[OrganisationId] = Field(default_factory=list, max_length=500)
    kinds: list[OrganisationKind] = Field(default_factory=list, max_length=11)
    roles: list[Role] = Field(default_factory=list, max_length=8)
