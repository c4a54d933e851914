"""Request bodies for event registrations, personal registrations and check-in (validated by
gateway and service)."""

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue

from shared.contracts.common import Group, Level, MultilineText, Text

# The vmbo profiles (and the vmbo-tl subject T&T) a class can follow: shared.seed.PROFILES.
Profile = Literal["BWI", "PIE", "M&T", "MVI", "D&P", "Groen", "ZW", "EO", "HBR", "T&T"]


class NewRegistration(BaseModel):
    session_id: UUID
    group: Group
    # The class's profile, when it has one (vmbo years 3-4): reach is counted per profile.
    profile: Profile | None = None
    # The backoffice registers on behalf of a school and names it; a school registers itself.
    school_id: str | None = Field(None, pattern=r"^[a-z0-9-]{1,80}$", examples=["corlaer"])


class CheckIn(BaseModel):
    # The code as the registration shows it (and its QR code carries): URL-safe base64.
    code: str = Field(pattern=r"^[A-Za-z0-9_-]{22,100}$")
    students_present: int = Field(ge=0, le=200)


class NewAttendee(BaseModel):
    """A person registering themselves for an event for adults: a name and an e-mail, no more."""

    name: Text = Field(min_length=1, max_length=120, examples=["Anna de Vries"])
    # A plain shape check: whether mail arrives is the person's to see.
    email: Text = Field(
        max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", examples=["anna@voorbeeld-bouw.nl"]
    )


class SessionHeld(BaseModel):
    """The backoffice records that a session took place, with the minutes its host gave
    (preparation included, if the host says so); without them, the session's length."""

    minutes: int | None = Field(None, ge=1, le=720)


class NewEventCost(BaseModel):
    description: Text = Field(min_length=1, max_length=200, examples=["Busvervoer Techevent"])
    amount_cents: int = Field(ge=1, le=100_000_000, examples=[45000])
    supplier: Text = Field(min_length=1, max_length=120, examples=["Touringcar Amersfoort"])
    invoice_reference: Text = Field(min_length=1, max_length=80, examples=["F2027-0113"])
    incurred_on: date


# Who an event or session is for: levels of groups, or the region's partners (adults who
# register personally, as for the annual meeting).
Audience = Level | Literal["partners"]
HostKind = Literal["company", "mbo", "hotspot"]

_EVENT_EXAMPLE: dict[str, JsonValue] = {
    "title": "Girls Day",
    "description": "Meiden ontdekken techniek bij bedrijven in de regio.",
    "starts_at": "2028-04-13T09:00:00+02:00",
    "ends_at": "2028-04-13T15:00:00+02:00",
    "audience": ["vmbo-kb", "vmbo-gl"],
    "capacity": 120,
    "location": "Hotspot T is for Tech",
}
_SESSION_EXAMPLE: dict[str, JsonValue] = {
    "title": "Girls Day: workshop solderen",
    "host_kind": "company",
    "host": "voorbeeld-bouw",
    "host_name": "Voorbeeld Bouw BV",
    "capacity": 40,
    "audience": ["vmbo-kb"],
    "opens_at": "2027-12-01T09:00:00+01:00",
    "closes_at": "2028-04-06T17:00:00+02:00",
    "starts_at": "2028-04-13T10:00:00+02:00",
    "ends_at": "2028-04-13T12:00:00+02:00",
    "location": "Werkplaats Voorbeeld Bouw",
}


class NewEvent(BaseModel):
    """An event the backoffice plans (next year's Week van de Techniek, a Girls Day, the
    annual meeting): each day an event of its own. Its id is made from title and date."""

    model_config = ConfigDict(json_schema_extra={"example": _EVENT_EXAMPLE})

    title: Text = Field(min_length=3, max_length=200)
    description: MultilineText = Field("", max_length=4000)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    audience: list[Audience] = Field(min_length=1, max_length=20)
    # Groups take seats of the sessions; persons (an event for partners) of the event.
    capacity: int = Field(ge=1, le=100_000)
    location: Text = Field(min_length=1, max_length=200)


class EventChange(BaseModel):
    """What changes of an event: a field left out (or null) stays as it is."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"ends_at": "2028-04-13T16:00:00+02:00", "capacity": 150}}
    )

    title: Text | None = Field(None, min_length=3, max_length=200)
    description: MultilineText | None = Field(None, max_length=4000)
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    audience: list[Audience] | None = Field(None, min_length=1, max_length=20)
    capacity: int | None = Field(None, ge=1, le=100_000)
    location: Text | None = Field(None, min_length=1, max_length=200)


class NewEventSession(BaseModel):
    """A session or workshop of an event. Without times or place of its own it is the
    event's; registration runs from `opens_at` until `closes_at`, before it starts."""

    model_config = ConfigDict(json_schema_extra={"example": _SESSION_EXAMPLE})

    title: Text = Field(min_length=3, max_length=200)
    host_kind: HostKind
    # The host's id: a company's, an mbo's school id, or "hotspot".
    host: str = Field(pattern=r"^[a-z0-9-]{1,80}$")
    host_name: Text = Field(min_length=1, max_length=200)
    capacity: int = Field(ge=1, le=10_000)
    audience: list[Level] = Field(min_length=1, max_length=20)
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    location: Text | None = Field(None, min_length=1, max_length=200)


class EventSessionChange(BaseModel):
    """What changes of a session: a field left out (or null) stays as it is."""

    model_config = ConfigDict(json_schema_extra={"example": {"capacity": 48}})

    title: Text | None = Field(None, min_length=3, max_length=200)
    host_kind: HostKind | None = None
    host: str | None = Field(None, pattern=r"^[a-z0-9-]{1,80}$")
    host_name: Text | None = Field(None, min_length=1, max_length=200)
    capacity: int | None = Field(None, ge=1, le=10_000)
    audience: list[Level] | None = Field(None, min_length=1, max_length=20)
    opens_at: AwareDatetime | None = None
    closes_at: AwareDatetime | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    location: Text | None = Field(None, min_length=1, max_length=200)
