"""Internal HTTP API of bookings; the gateway exposes it as /api/v1/... ."""

from dataclasses import asdict
from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, model_validator

from services.bookings import (
    amendments,
    calendar,
    catalogue,
    commands,
    domain,
    proposals,
    queries,
    reach,
)
from services.bookings.domain import BookingStatus, Rules
from services.bookings.settings import BookingsSettings
from services.bookings.store import Offering
from shared.contracts.common import (
    AgendaSession,
    BookedGroup,
    CalendarYear,
    Group,
    Level,
    Limit,
    Offset,
    SchoolYear,
    Text,
    Theme,
)
from shared.contracts.requests.bookings import (
    BookingRulesBody,
    Completion,
    Decline,
    NewBooking,
    NewClosedPeriod,
    NewOffering,
    NewProposal,
    NewSeries,
    NewSession,
    OfferingChanges,
    QuotaBody,
    SchoolDayException,
    SessionCancellation,
    SessionMove,
)
from shared.http import Caller, current_caller
from shared.service import Runtime
from shared.store.versions import tagged


class ReachOut(BaseModel):
    school_id: str
    level: str
    profile: str | None
    kind: str
    core_task: str
    groups: int
    lessons: int
    students: int


class OfferingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    kind: str
    title: str
    audience: list[str]
    profile: str | None
    location: str
    equipment: list[str]
    session_minutes: int
    sessions_per_booking: int
    capacity: int
    elective_code: str | None
    host_company: str | None
    assignment: str | None
    internship_year: int | None
    period_starts_on: date | None
    period_ends_on: date | None
    # The plan's core task it is declared under: its own, else its kind's (a region lesson
    # for a hard-tech school's class is declared under A).
    core_task: str | None = None
    # Withdrawn by the backoffice: no new bookings.
    withdrawn: bool = False
    # A company's proposal: "proposed" until the backoffice approves (schools see it) or
    # declines it, with its reason for the company.
    approval: str = domain.Approval.APPROVED
    decline_reason: str | None = None
    proposed_at: datetime | None = None
    # The technical theme it is about (Theme); null: none in particular.
    theme: str | None = None

    @model_validator(mode="after")
    def kinds_core_task(self) -> "OfferingOut":
        self.core_task = self.core_task or domain.KIND_CORE_TASKS.get(self.kind)
        return self


class SessionOut(BaseModel):
    id: UUID
    offering_id: str
    series_id: UUID | None
    starts_at: datetime
    ends_at: datetime
    room: str
    capacity: int
    seats_left: int


class BookingOut(BaseModel):
    id: UUID
    session_id: UUID
    school_id: str
    group: Group
    status: str
    # 1 is next in line; null unless the booking waits for seats.
    waitlist_position: int | None
    # Why loans could not serve a `rejected` booking (Dutch, for the school); else null.
    rejection_reason: str | None
    # A school cancelled inside the free-cancellation window.
    cancelled_late: bool
    # Shared by the bookings of one group on all sessions of a series.
    series_booking_id: UUID | None
    created_at: datetime
    updated_at: datetime
    # Who booked: the school's own person, or the backoffice acting for the school.
    booked_by: str | None = None
    # What and where, so a person reads the booking without looking up its session: filled
    # on reads (GET), null on the answers of changes.
    offering_id: str | None = None
    offering_title: str | None = None
    offering_kind: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None
    room: str | None = None

    @classmethod
    def of(cls, b: queries.BookingRecord, waitlist_position: int | None = None) -> "BookingOut":
        return cls(
            id=b.id,
            session_id=b.session_id,
            school_id=b.school_id,
            group=Group.of(b),
            status=b.status,
            waitlist_position=waitlist_position,
            rejection_reason=b.rejection_reason,
            cancelled_late=b.cancelled_late,
            series_booking_id=b.series_booking_id,
            booked_by=b.booked_by,
            created_at=b.created_at,
            updated_at=b.updated_at,
        )

    @classmethod
    def described(cls, placed: queries.Placed, where: dict) -> "BookingOut":
        """The booking with its offer's title and kind and its session's times and place."""
        session, offering = where[placed.booking.session_id]
        return cls.of(*placed).model_copy(
            update={
                "offering_id": offering.id,
                "offering_title": offering.title,
                "offering_kind": offering.kind,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "location": offering.location,
                "room": session.room,
            }
        )


async def described(rt: Runtime, placed: list[queries.Placed]) -> list[BookingOut]:
    where = await queries.where_and_what(rt, {p.booking.session_id for p in placed})
    return [BookingOut.described(p, where) for p in placed]


class AgendaSessionOut(AgendaSession):
    """An offer's session in the agenda, with the bookings the caller may see."""

    @classmethod
    def of(cls, item: queries.AgendaItem) -> "AgendaSessionOut":
        s, o = item.session, item.offering
        return cls(
            id=s.id,
            offering_id=o.id,
            offering_title=o.title,
            offering_kind=o.kind,
            location=o.location,
            room=s.room,
            instructor=s.instructor,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            capacity=s.capacity,
            seats_left=s.capacity - s.seats_taken,
            series_id=s.series_id,
            bookings=[
                BookedGroup(id=b.id, school_id=b.school_id, status=b.status, group=Group.of(b))
                for b in item.bookings
            ],
        )


class Skipped(BaseModel):
    starts_at: datetime
    reason: str


class SeriesOut(BaseModel):
    series_id: UUID
    sessions: list[SessionOut]
    skipped: list[Skipped]


class ClosedPeriodOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    starts_on: date
    ends_on: date
    name: str
    kind: str


class SchoolDayOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    school_id: str
    day: date
    open: bool
    reason: str


class QuotaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    school_id: str
    school_year: int
    max_sessions: int


async def catalogue_query(
    kind: Text | None = None,
    level: Level | None = None,
    profile: Text | None = None,
    text: Text | None = None,
    first: date | None = Query(None, alias="from"),
    last: date | None = Query(None, alias="to"),
    has_free_seats: bool | None = None,
    theme: Theme | None = None,
) -> queries.CatalogueFilter:
    """The catalogue's filters, all optional and additive: `from`/`to` keep offers with a
    session on those days, `has_free_seats` offers with (or without) a session with a seat
    left (upcoming, or in `from`/`to`), `text` searches title and assignment, `theme` keeps
    the offers about that technical theme. Async, so it runs on the event loop: a plain
    function would cost a worker thread's round trip."""
    return queries.CatalogueFilter(kind, level, profile, text, first, last, has_free_seats, theme)


def _session_out(s) -> SessionOut:
    return SessionOut(
        id=s.id,
        offering_id=s.offering_id,
        series_id=s.series_id,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        room=s.room,
        capacity=s.capacity,
        seats_left=s.capacity - s.seats_taken,
    )


def routes(rt: Runtime[BookingsSettings]) -> APIRouter:
    router = APIRouter()

    @router.get("/offerings", response_model=list[OfferingOut])
    async def offerings(
        f: queries.CatalogueFilter = Depends(catalogue_query),
        limit: Limit = 50,
        offset: Offset = 0,
        _: Caller = Depends(current_caller),
    ):
        return await queries.offerings(rt, f, limit, offset)

    @router.get("/offerings/{offering_id}", response_model=OfferingOut)
    async def offering(offering_id: str, who: Caller = Depends(current_caller)):
        return tagged(await queries.offering(rt, who, offering_id))

    @router.post("/offerings", status_code=201, response_model=OfferingOut)
    async def new_offering(body: NewOffering, who: Caller = Depends(current_caller)):
        domain.check_offering(body)
        offering = Offering(**body.model_dump())
        await catalogue.publish_offering(rt, who, offering, [])
        return offering

    @router.get("/offerings/{offering_id}/sessions", response_model=list[SessionOut])
    async def sessions(offering_id: str, who: Caller = Depends(current_caller)):
        return [_session_out(s) for s in await catalogue.sessions_of(rt, who, offering_id)]

    @router.post("/offerings/{offering_id}/sessions", status_code=201, response_model=SessionOut)
    async def plan(offering_id: str, body: NewSession, who: Caller = Depends(current_caller)):
        session = await catalogue.plan_session(rt, who, offering_id, **body.model_dump())
        return _session_out(session)

    @router.post("/offerings/{offering_id}/series", status_code=201, response_model=SeriesOut)
    async def plan_series(offering_id: str, body: NewSeries, who: Caller = Depends(current_caller)):
        planned = await catalogue.plan_series(rt, who, offering_id, **body.model_dump())
        return SeriesOut(
            series_id=planned.series_id,
            sessions=[_session_out(s) for s in planned.sessions],
            skipped=[Skipped(starts_at=at, reason=why) for at, why in planned.skipped],
        )

    @router.post("/bookings", status_code=201, response_model=BookingOut)
    async def book(body: NewBooking, who: Caller = Depends(current_caller)):
        """201 also when the session is full: the booking is then `waitlisted`. A series
        (`series_id`) is booked on all its sessions at once; the answer is the booking of its
        first session, and all of them share its `series_booking_id`."""
        if body.series_id is not None:
            first, *_ = await commands.book_series(
                rt, who, body.series_id, body.group, body.school_id
            )
            return BookingOut.of(*first)
        if body.session_id is not None:  # the request names one or the other
            return BookingOut.of(
                *await commands.book(rt, who, body.session_id, body.group, body.school_id)
            )

    @router.get("/bookings", response_model=list[BookingOut])
    async def list_bookings(
        school_id: Text | None = None,
        status: BookingStatus | None = None,
        first: date | None = Query(None, alias="from"),
        last: date | None = Query(None, alias="to"),
        limit: Limit = 50,
        offset: Offset = 0,
        who: Caller = Depends(current_caller),
    ):
        """A school's own bookings; a company's hosted visits; everything for the backoffice.
        With `from` and `to` (at most 93 days): those on sessions starting on those days."""
        if first is None and last is None:
            return await described(
                rt, await queries.list_visible(rt, who, school_id, status, limit, offset)
            )
        if first is None or last is None:
            raise domain.BookingRefused("geef from en to samen op", 422)
        return await described(
            rt,
            await queries.bookings_between(rt, who, school_id, status, first, last, limit, offset),
        )

    @router.get("/bookings/{booking_id}", response_model=BookingOut)
    async def get_booking(booking_id: UUID, who: Caller = Depends(current_caller)):
        [booking] = await described(rt, [await queries.get_visible(rt, who, booking_id)])
        return booking

    @router.get("/sessions", response_model=list[AgendaSessionOut])
    async def agenda(
        first: date = Query(alias="from"),
        last: date = Query(alias="to"),
        room: Text | None = None,
        instructor: Text | None = None,
        location: Text | None = None,
        school_id: Text | None = None,
        limit: Limit = 200,
        offset: Offset = 0,
        who: Caller = Depends(current_caller),
    ):
        """Sessions of all offers starting from `from` to `to` (days in Amsterdam, at most
        93), by start time."""
        f = queries.AgendaFilter(room, instructor, location, school_id)
        return [
            AgendaSessionOut.of(item)
            for item in await queries.agenda(rt, who, first, last, f, limit, offset)
        ]

    @router.get("/reach", response_model=list[ReachOut])
    async def reach_figures(year: CalendarYear, who: Caller = Depends(current_caller)):
        """Students reached by the bookings completed in calendar year `year`."""
        return [asdict(row) for row in await reach.reach(rt, who, year)]

    @router.post("/bookings/{booking_id}/cancel", response_model=BookingOut)
    async def cancel(booking_id: UUID, who: Caller = Depends(current_caller)):
        return BookingOut.of(await commands.cancel(rt, who, booking_id))

    @router.post("/bookings/{booking_id}/complete", response_model=BookingOut)
    async def complete(
        booking_id: UUID, body: Completion | None = None, who: Caller = Depends(current_caller)
    ):
        reported = body.model_dump() if body else {}
        return BookingOut.of(await commands.complete(rt, who, booking_id, **reported))

    @router.post("/bookings/{booking_id}/no-show", response_model=BookingOut)
    async def no_show(booking_id: UUID, who: Caller = Depends(current_caller)):
        return BookingOut.of(await commands.no_show(rt, who, booking_id))

    calendar_routes(router, rt)
    amendment_routes(router, rt)
    company_routes(router, rt)
    return router


def company_routes(router: APIRouter, rt: Runtime[BookingsSettings]) -> None:
    """Companies take part themselves: they propose offers (the backoffice decides) and
    answer the schools' requests for their visits and internship places."""

    @router.post("/offering-proposals", status_code=201, response_model=OfferingOut)
    async def propose(body: NewProposal, who: Caller = Depends(current_caller)):
        return await proposals.propose(rt, who, body)

    @router.get("/offering-proposals", response_model=list[OfferingOut])
    async def proposed(
        approval: domain.Approval | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
        who: Caller = Depends(current_caller),
    ):
        return await proposals.proposals(rt, who, approval, limit, offset)

    @router.post("/offering-proposals/{offering_id}/approve", response_model=OfferingOut)
    async def approve(offering_id: str, who: Caller = Depends(current_caller)):
        return await proposals.decide(rt, who, offering_id, approve=True)

    @router.post("/offering-proposals/{offering_id}/decline", response_model=OfferingOut)
    async def decline(offering_id: str, body: Decline, who: Caller = Depends(current_caller)):
        return await proposals.decide(rt, who, offering_id, approve=False, reason=body.reason)

    @router.post("/bookings/{booking_id}/accept", response_model=BookingOut)
    async def accept_request(booking_id: UUID, who: Caller = Depends(current_caller)):
        return BookingOut.of(await commands.accept_request(rt, who, booking_id))

    @router.post("/bookings/{booking_id}/decline", response_model=BookingOut)
    async def decline_request(
        booking_id: UUID, body: Decline, who: Caller = Depends(current_caller)
    ):
        return BookingOut.of(await commands.decline_request(rt, who, booking_id, body.reason))


def amendment_routes(router: APIRouter, rt: Runtime[BookingsSettings]) -> None:
    """The backoffice edits and withdraws offers, moves and cancels sessions."""

    @router.patch("/offerings/{offering_id}", response_model=OfferingOut)
    async def edit_offering(
        offering_id: str, body: OfferingChanges, who: Caller = Depends(current_caller)
    ):
        return await amendments.edit_offering(
            rt, who, offering_id, body.model_dump(exclude_none=True)
        )

    @router.post("/offerings/{offering_id}/withdraw", response_model=OfferingOut)
    async def withdraw_offering(offering_id: str, who: Caller = Depends(current_caller)):
        return await amendments.withdraw_offering(rt, who, offering_id)

    @router.post("/sessions/{session_id}/move", response_model=SessionOut)
    async def move_session(
        session_id: UUID, body: SessionMove, who: Caller = Depends(current_caller)
    ):
        return _session_out(await amendments.move_session(rt, who, session_id, **body.model_dump()))

    @router.post("/sessions/{session_id}/cancel", response_model=list[SessionOut])
    async def cancel_session(
        session_id: UUID, body: SessionCancellation, who: Caller = Depends(current_caller)
    ):
        """The sessions cancelled: this one, or every lesson of its series."""
        return [
            _session_out(s)
            for s in await amendments.cancel_session(rt, who, session_id, body.reason)
        ]


def calendar_routes(router: APIRouter, rt: Runtime) -> None:
    """The calendar: everyone reads it, the backoffice changes it (checked in calendar.py)."""

    @router.get("/calendar/closed-periods", response_model=list[ClosedPeriodOut])
    async def closed_periods(
        first: date = Query(alias="from"),
        last: date = Query(alias="to"),
        _: Caller = Depends(current_caller),
    ):
        return await calendar.closures(rt, first, last)

    @router.post("/calendar/closed-periods", status_code=201, response_model=ClosedPeriodOut)
    async def close(body: NewClosedPeriod, who: Caller = Depends(current_caller)):
        return await calendar.add_closure(rt, who, **body.model_dump())

    @router.delete("/calendar/closed-periods/{closure_id}", status_code=204)
    async def reopen(closure_id: UUID, who: Caller = Depends(current_caller)):
        await calendar.remove_closure(rt, who, closure_id)

    @router.get("/calendar/school-days", response_model=list[SchoolDayOut])
    async def school_days(
        first: date = Query(alias="from"),
        last: date = Query(alias="to"),
        school_id: Text | None = None,
        _: Caller = Depends(current_caller),
    ):
        return await calendar.school_days(rt, school_id, first, last)

    @router.get("/calendar/school-days/{school_id}/{day}", response_model=SchoolDayOut)
    async def school_day(school_id: str, day: date, _: Caller = Depends(current_caller)):
        return await calendar.school_day(rt, school_id, day)

    @router.put("/calendar/school-days/{school_id}/{day}", response_model=SchoolDayOut)
    async def set_school_day(
        school_id: str, day: date, body: SchoolDayException, who: Caller = Depends(current_caller)
    ):
        return await calendar.set_school_day(rt, who, school_id, day, body.open, body.reason)

    @router.delete("/calendar/school-days/{school_id}/{day}", status_code=204)
    async def remove_school_day(school_id: str, day: date, who: Caller = Depends(current_caller)):
        await calendar.remove_school_day(rt, who, school_id, day)

    @router.get("/calendar/rules", response_model=BookingRulesBody)
    async def rules(_: Caller = Depends(current_caller)):
        return asdict(await calendar.rules(rt))

    @router.put("/calendar/rules", response_model=BookingRulesBody)
    async def set_rules(body: BookingRulesBody, who: Caller = Depends(current_caller)):
        return asdict(await calendar.set_rules(rt, who, Rules(**body.model_dump())))

    @router.get("/calendar/quotas", response_model=list[QuotaOut])
    async def quotas(school_year: SchoolYear | None = None, _: Caller = Depends(current_caller)):
        return await calendar.quotas(rt, school_year)

    @router.get("/calendar/quotas/{school_id}/{school_year}", response_model=QuotaOut)
    async def quota(school_id: str, school_year: SchoolYear, _: Caller = Depends(current_caller)):
        return await calendar.quota(rt, school_id, school_year)

    @router.put("/calendar/quotas/{school_id}/{school_year}", response_model=QuotaOut)
    async def set_quota(
        school_id: str,
        school_year: SchoolYear,
        body: QuotaBody,
        who: Caller = Depends(current_caller),
    ):
        return await calendar.set_quota(rt, who, school_id, school_year, body.max_sessions)

    @router.delete("/calendar/quotas/{school_id}/{school_year}", status_code=204)
    async def remove_quota(
        school_id: str, school_year: SchoolYear, who: Caller = Depends(current_caller)
    ):
        await calendar.remove_quota(rt, who, school_id, school_year)
