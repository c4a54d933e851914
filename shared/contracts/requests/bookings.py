"""Request bodies for offers, sessions and bookings: the gateway validates them, the service too."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.common import CoreTask, Group, MultilineText, Text, Theme


class NewOffering(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9-]{3,80}$", examples=["cnc-technieken-kv1313"])
    kind: Text = Field(max_length=40, examples=["elective"])
    title: Text = Field(min_length=3, max_length=200)
    audience: list[Text] = Field(min_length=1, max_length=20, examples=[["vmbo-kb", "vmbo-gl"]])
    profile: Text | None = Field(None, max_length=20)
    location: Text = Field("Hotspot", max_length=120)
    equipment: list[Text] = Field([], max_length=50)
    session_minutes: int = Field(120, ge=15, le=60 * 24 * 366)
    # More than 1: a series a group books as a whole (masterclass 4, po-lessenserie 4).
    sessions_per_booking: int = Field(1, ge=1, le=60)
    capacity: int = Field(30, ge=1, le=1000, description="students per session")
    elective_code: Text | None = Field(None, max_length=20, examples=["KV 1313"])
    host_company: str | None = Field(
        None, pattern=r"^[a-z0-9-]{1,80}$", examples=["voorbeeld-bouw"]
    )
    assignment: MultilineText | None = Field(None, max_length=1000)
    internship_year: int | None = Field(None, ge=1, le=8)
    period_starts_on: date | None = None
    period_ends_on: date | None = None
    core_task: CoreTask | None = Field(
        None,
        description="the plan's core task the offer is declared under; "
        "omitted: the one its kind falls under",
    )
    theme: Theme | None = Field(
        None, description="the technical theme the offer is about", examples=["robotics"]
    )


class NewProposal(BaseModel):
    """An offer a company contact proposes, hosted by its own company (plan: "Bedrijven en
    gemeenten dragen praktijkopdrachten aan"; "bedrijfsbezoek, levensechte opdrachten en
    gastlessen"; stageplaatsen). A company visit and a practical assignment describe the
    assignment; internship places name a profile, a leerjaar and a period."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "kind": "company_visit",
                "title": "Bedrijfsbezoek prefab bouwen",
                "audience": ["vmbo-kb", "vmbo-gl"],
                "profile": "BWI",
                "location": "Voorbeeld Bouw BV",
                "session_minutes": 120,
                "capacity": 25,
                "assignment": "Zet in tweetallen een stuk fundering uit.",
            }
        }
    )

    kind: Literal["company_visit", "guest_lesson", "internship", "assignment"]
    title: Text = Field(min_length=3, max_length=200)
    audience: list[Text] = Field(min_length=1, max_length=20, examples=[["vmbo-kb"]])
    profile: Text | None = Field(None, max_length=20, examples=["BWI"])
    theme: Theme | None = Field(None, examples=["construction"])
    location: Text = Field(min_length=2, max_length=120, examples=["Voorbeeld Bouw BV"])
    session_minutes: int = Field(120, ge=15, le=60 * 24)
    capacity: int = Field(25, ge=1, le=1000, description="students per session")
    assignment: MultilineText | None = Field(None, max_length=1000)
    internship_year: int | None = Field(None, ge=1, le=8)
    period_starts_on: date | None = None
    period_ends_on: date | None = None


class Decline(BaseModel):
    """Why not, in words the other side reads (Dutch)."""

    reason: MultilineText = Field(
        min_length=3, max_length=500, examples=["In die week is onze werkplaats gesloten."]
    )


class NewSession(BaseModel):
    starts_at: datetime
    ends_at: datetime
    room: Text = Field(min_length=1, max_length=80)
    instructor: Text = Field(min_length=1, max_length=120)
    capacity: int = Field(ge=1, le=1000)


class NewSeries(BaseModel):
    """`count` sessions every `every_days` days from `first_starts_at`, always the whole
    series (an offer booked as a series has exactly its number of lessons): a date on a
    closed day moves on to the next date in the rhythm and is reported in `skipped`; a room
    or instructor already taken refuses the series. `rooms`: one for all sessions, one per
    session, or for a po-lessenserie two (the vmbo host school's for the first half, the po
    school's for the second)."""

    first_starts_at: datetime
    minutes: int = Field(ge=15, le=60 * 12)
    every_days: int = Field(7, ge=1, le=365)
    count: int = Field(ge=1, le=60)
    rooms: list[Annotated[Text, Field(min_length=1, max_length=80)]] = Field(
        min_length=1, max_length=60
    )
    instructor: Text = Field(min_length=1, max_length=120)
    capacity: int = Field(ge=1, le=1000)


class NewBooking(BaseModel):
    """One session, or a whole series (`series_id`) of an offer booked as one."""

    session_id: UUID | None = None
    series_id: UUID | None = None
    group: Group
    # The backoffice books on behalf of a school and names it; a school books for itself.
    school_id: str | None = Field(None, pattern=r"^[a-z0-9-]{1,80}$", examples=["corlaer"])

    @model_validator(mode="after")
    def one_target(self) -> "NewBooking":
        if (self.session_id is None) == (self.series_id is None):
            raise ValueError("name either session_id or series_id")
        return self


class NewClosedPeriod(BaseModel):
    """Days the hotspot is closed for everyone, both inclusive (a holiday, a closure)."""

    starts_on: date
    ends_on: date
    name: Text = Field(min_length=2, max_length=120, examples=["Studiedag hotspot"])
    kind: Literal["school_holiday", "public_holiday", "closure"] = "closure"


class SchoolDayException(BaseModel):
    """A school open on a day the hotspot calendar closes, or closed on an open one."""

    open: bool
    reason: Text = Field(min_length=2, max_length=200, examples=["studiedag"])


class BookingRulesBody(BaseModel):
    min_lead_days: int = Field(ge=0, le=365, examples=[1])
    free_cancellation_days: int = Field(ge=0, le=365, examples=[7])


class QuotaBody(BaseModel):
    max_sessions: int = Field(ge=0, le=10_000, examples=[12])


class Completion(BaseModel):
    """What the backoffice reports on a delivered session; omitted: the whole group came and
    one instructor taught it."""

    students_reached: int | None = Field(None, ge=0, le=200)
    instructor_minutes: int | None = Field(None, ge=0, le=60 * 24)


class OfferingChanges(BaseModel):
    """What the backoffice changes in an offer; an omitted (or null) field stays as it is.
    `capacity` is the default for sessions planned from now on."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"title": "Inspiratieles Robotica en AI", "capacity": 24}}
    )

    title: Text | None = Field(
        None, min_length=3, max_length=200, examples=["Inspiratieles Robotica en AI"]
    )
    audience: list[Text] | None = Field(
        None, min_length=1, max_length=20, examples=[["vmbo-kb", "vmbo-gl", "vmbo-tl"]]
    )
    location: Text | None = Field(None, max_length=120, examples=["Hotspot Amersfoort"])
    capacity: int | None = Field(None, ge=1, le=1000, examples=[24])
    assignment: MultilineText | None = Field(
        None, max_length=1000, examples=["Ontwerp een slimme lantaarnpaal."]
    )
    theme: Theme | None = Field(None, examples=["robotics"])

    @model_validator(mode="after")
    def something(self) -> "OfferingChanges":
        if not self.model_dump(exclude_none=True):
            raise ValueError("noem minstens één veld om te wijzigen")
        return self


class SessionMove(BaseModel):
    """New times, and optionally a new room or instructor, for a planned session."""

    starts_at: datetime = Field(examples=["2027-03-10T09:00:00+01:00"])
    ends_at: datetime = Field(examples=["2027-03-10T11:00:00+01:00"])
    room: Text | None = Field(None, min_length=1, max_length=80, examples=["Lab 2"])
    instructor: Text | None = Field(None, min_length=1, max_length=120, examples=["Sanne de Vries"])


class SessionCancellation(BaseModel):
    reason: MultilineText = Field(
        min_length=3, max_length=500, examples=["De docent is ziek en er is geen vervanger."]
    )
