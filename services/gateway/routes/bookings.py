"""Offers, their sessions and the schools' bookings (bookings service)."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from services.gateway import agenda, planning
from services.gateway.auth import (
    ADMIN,
    BACKOFFICE,
    COMPANY,
    PROGRAMME,
    SCHOOL,
    TEACHER,
    Principal,
)
from services.gateway.routes.common import (
    Gate,
    OrgId,
    Page,
    Slug,
    as_json,
    own_school,
    router,
)
from shared.contracts.common import Level, SchoolYear, Text, Theme
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
from shared.http import Problem

# A catalogue word (kind, profile), a name (room, instructor, location), a search text.
Word = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Name = Annotated[Text | None, Query(min_length=1, max_length=120)]
SearchText = Annotated[Text | None, Query(min_length=1, max_length=200)]


def _flag(value: bool | None) -> str | None:
    return None if value is None else str(value).lower()


def routes(gate: Gate) -> APIRouter:
    api, forward = router(), gate.forward
    anyone, backoffice, school = gate.anyone, gate.backoffice, gate.school

    @api.get("/offerings", tags=["catalogue"])
    async def offerings(
        paging: Page,
        kind: Word = None,
        level: Level | None = None,
        profile: Word = None,
        text: SearchText = None,
        first: date | None = Query(None, alias="from"),
        last: date | None = Query(None, alias="to"),
        has_free_seats: bool | None = None,
        theme: Annotated[
            Theme | None,
            Query(
                openapi_examples={
                    "robotica": {"summary": "Robotica en domotica", "value": "robotics"}
                }
            ),
        ] = None,
        who: Principal = anyone,
    ):
        """Filters are optional and add up: `from`/`to` keep offers with a session on those
        days, `has_free_seats` those with (or without) a session with a seat left (upcoming,
        or in `from`/`to`), `text` searches title and assignment, `theme` keeps the offers
        about that technical theme (robotics, sustainable_energy, ...)."""
        return await forward(
            "bookings",
            "GET",
            "/offerings",
            who,
            params=paging
            | {
                "kind": kind,
                "level": level,
                "profile": profile,
                "text": text,
                "from": first,
                "to": last,
                "has_free_seats": _flag(has_free_seats),
                "theme": theme,
            },
        )

    @api.get("/offerings/{offering_id}", tags=["catalogue"])
    async def offering(offering_id: Slug, who: Principal = anyone):
        return await forward("bookings", "GET", f"/offerings/{offering_id}", who)

    @api.get("/sessions", tags=["catalogue"], response_model=list[agenda.AgendaEntry])
    async def sessions_agenda(
        paging: Page,
        first: date = Query(alias="from"),
        last: date = Query(alias="to"),
        room: Name = None,
        instructor: Name = None,
        location: Name = None,
        school_id: OrgId = None,
        who: Principal = anyone,
    ):
        """The agenda: the sessions of all offers and of all events from `from` to `to` (at
        most 93 days) by start, `type` "offering" or "event", each with the classes booked
        on it (registered for an event's): every school's for the backoffice, a school only
        its own. `school_id` keeps the sessions that school has a class in (a school: its
        own); `room` and `instructor` are an offer's session's, so they leave events out.
        An event's session names its event in `offering_id`, `offering_title` (and
        `event_id`), has `offering_kind` "event", its host as `instructor` and no room."""
        if who.role == SCHOOL and school_id not in (None, who.organisation):
            raise Problem(403, "Forbidden", "een school ziet alleen haar eigen gegevens")
        return await agenda.agenda(
            forward,
            who,
            first,
            last,
            {"room": room, "instructor": instructor, "location": location, "school_id": school_id},
            paging["limit"],
            paging["offset"],
        )

    @api.get("/planning", tags=["bookings"], response_model=planning.Planning)
    async def my_planning(
        first: date = Query(alias="from"), last: date = Query(alias="to"), who: Principal = school
    ):
        """Mijn planning: the school's bookings, equipment reservations and event
        registrations from `from` to `to` (at most 93 days) by start. A service that does not
        answer is named in `missing` and its part left out; the rest still answers."""
        return await planning.planning(forward, who, first, last)

    @api.post("/offerings", status_code=201, tags=["catalogue"])
    async def new_offering(body: NewOffering, who: Principal = backoffice):
        return await forward("bookings", "POST", "/offerings", who, body=as_json(body))

    @api.get("/offerings/{offering_id}/sessions", tags=["catalogue"])
    async def sessions(offering_id: Slug, who: Principal = anyone):
        return await forward("bookings", "GET", f"/offerings/{offering_id}/sessions", who)

    @api.post("/offerings/{offering_id}/sessions", status_code=201, tags=["catalogue"])
    async def new_session(offering_id: Slug, body: NewSession, who: Principal = backoffice):
        return await forward(
            "bookings", "POST", f"/offerings/{offering_id}/sessions", who, body=as_json(body)
        )

    @api.post("/offerings/{offering_id}/series", status_code=201, tags=["catalogue"])
    async def new_series(offering_id: Slug, body: NewSeries, who: Principal = backoffice):
        """A recurring series; dates on closed days or with the room or instructor taken are
        skipped and listed in `skipped`."""
        return await forward(
            "bookings", "POST", f"/offerings/{offering_id}/series", who, body=as_json(body)
        )

    @api.post("/bookings", status_code=201, tags=["bookings"])
    async def book(
        request: Request, body: NewBooking, who: Principal = gate.guard(SCHOOL, TEACHER, BACKOFFICE)
    ):
        """Confirmed, or `waitlisted` with its `waitlist_position` when the session is full.
        A school's coordinator or teacher books for the school; the backoffice on behalf of
        the school it names in `school_id` (that school's rules, quota, planning and
        messages); a school naming another is refused (403)."""
        await gate.acting_for(request, who, body.school_id)
        return await forward("bookings", "POST", "/bookings", who, body=as_json(body))

    @api.get("/bookings", tags=["bookings"])
    async def bookings(
        paging: Page,
        school_id: OrgId = None,
        status: Annotated[str | None, Query(pattern=r"^[a-z_]{1,20}$")] = None,
        first: date | None = Query(None, alias="from"),
        last: date | None = Query(None, alias="to"),
        who: Principal = gate.guard(SCHOOL, TEACHER, BACKOFFICE, PROGRAMME, ADMIN, COMPANY),
    ):
        """A school's own bookings (for its coordinator and its teachers; naming another
        school is 403), the bookings of the company visits a company contact's company
        hosts, or all of them for the backoffice. With `from` and `to` (at most 93 days):
        those on sessions starting on those days."""
        params = paging | {
            "school_id": own_school(who, school_id),
            "status": status,
            "from": first,
            "to": last,
        }
        return await forward("bookings", "GET", "/bookings", who, params=params)

    @api.get("/bookings/{booking_id}", tags=["bookings"])
    async def booking(booking_id: UUID, who: Principal = anyone):
        return await forward("bookings", "GET", f"/bookings/{booking_id}", who)

    @api.post("/bookings/{booking_id}/complete", tags=["bookings"])
    async def complete(
        booking_id: UUID, body: Completion | None = None, who: Principal = backoffice
    ):
        """Optionally with the students who came and the instructor minutes."""
        return await forward(
            "bookings",
            "POST",
            f"/bookings/{booking_id}/complete",
            who,
            body=as_json(body) if body else None,
        )

    @api.post("/bookings/{booking_id}/no-show", tags=["bookings"])
    async def no_show(booking_id: UUID, who: Principal = backoffice):
        return await forward("bookings", "POST", f"/bookings/{booking_id}/no-show", who)

    @api.post("/bookings/{booking_id}/cancel", tags=["bookings"])
    async def cancel(booking_id: UUID, who: Principal = gate.guard(SCHOOL, TEACHER, BACKOFFICE)):
        return await forward("bookings", "POST", f"/bookings/{booking_id}/cancel", who)

    calendar_routes(api, gate)
    amendment_routes(api, gate)
    company_routes(api, gate)
    return api


def company_routes(api: APIRouter, gate: Gate) -> None:
    """Companies take part themselves: a company contact proposes offers its company hosts
    (the backoffice approves before schools see them) and answers the schools' requests for
    its visits and internship places."""
    forward, backoffice, company = gate.forward, gate.backoffice, gate.guard(COMPANY)

    @api.post("/offering-proposals", status_code=201, tags=["companies"])
    async def propose(body: NewProposal, who: Principal = company):
        """An offer hosted by the caller's own company, `approval` "proposed": schools see it
        once the backoffice approves it."""
        return await forward("bookings", "POST", "/offering-proposals", who, body=as_json(body))

    @api.get("/offering-proposals", tags=["companies"])
    async def proposals(
        paging: Page,
        approval: Annotated[str | None, Query(pattern=r"^(proposed|approved|declined)$")] = None,
        who: Principal = gate.guard(COMPANY, BACKOFFICE, PROGRAMME, ADMIN),
    ):
        """Proposals, newest first, with their `approval` and `decline_reason`: a company
        contact sees its own company's, the backoffice every company's."""
        return await forward(
            "bookings", "GET", "/offering-proposals", who, params=paging | {"approval": approval}
        )

    @api.post("/offering-proposals/{offering_id}/approve", tags=["companies"])
    async def approve(offering_id: Slug, who: Principal = backoffice):
        """Schools see the offer from now on; the company hears of it."""
        return await forward("bookings", "POST", f"/offering-proposals/{offering_id}/approve", who)

    @api.post("/offering-proposals/{offering_id}/decline", tags=["companies"])
    async def decline(offering_id: Slug, body: Decline, who: Principal = backoffice):
        """With the reason the company reads."""
        return await forward(
            "bookings",
            "POST",
            f"/offering-proposals/{offering_id}/decline",
            who,
            body=as_json(body),
        )

    @api.post("/bookings/{booking_id}/accept", tags=["companies"])
    async def accept_request(booking_id: UUID, who: Principal = company):
        """The host company takes a `requested` booking of its visit or internship places:
        confirmed, and the school hears of it."""
        return await forward("bookings", "POST", f"/bookings/{booking_id}/accept", who)

    @api.post("/bookings/{booking_id}/decline", tags=["companies"])
    async def decline_request(booking_id: UUID, body: Decline, who: Principal = company):
        """The host company cannot take the group: rejected with its reason for the school;
        the seats are released."""
        return await forward(
            "bookings", "POST", f"/bookings/{booking_id}/decline", who, body=as_json(body)
        )


def amendment_routes(api: APIRouter, gate: Gate) -> None:
    """The backoffice edits and withdraws offers, moves and cancels sessions."""
    forward, backoffice = gate.forward, gate.backoffice

    @api.patch("/offerings/{offering_id}", tags=["catalogue"])
    async def edit_offering(offering_id: Slug, body: OfferingChanges, who: Principal = backoffice):
        """Omitted fields stay as they are."""
        return await forward(
            "bookings", "PATCH", f"/offerings/{offering_id}", who, body=as_json(body)
        )

    @api.post("/offerings/{offering_id}/withdraw", tags=["catalogue"])
    async def withdraw_offering(offering_id: Slug, who: Principal = backoffice):
        """No new bookings; the bookings made stand unless their session is cancelled."""
        return await forward("bookings", "POST", f"/offerings/{offering_id}/withdraw", who)

    @api.post("/sessions/{session_id}/move", tags=["catalogue"])
    async def move_session(session_id: UUID, body: SessionMove, who: Principal = backoffice):
        """Planning's rules hold (409 naming the clash); each booked school hears once. A
        session holding equipment is not moved (409): cancel it and plan a new one."""
        return await forward(
            "bookings", "POST", f"/sessions/{session_id}/move", who, body=as_json(body)
        )

    @api.post("/sessions/{session_id}/cancel", tags=["catalogue"])
    async def cancel_session(
        session_id: UUID, body: SessionCancellation, who: Principal = backoffice
    ):
        """Cancels its bookings (a series: all its lessons) and tells each school once."""
        return await forward(
            "bookings", "POST", f"/sessions/{session_id}/cancel", who, body=as_json(body)
        )


def calendar_routes(api: APIRouter, gate: Gate) -> None:
    """Closed days, per-school exceptions, booking rules and quotas: all read, backoffice writes."""
    forward, anyone, backoffice = gate.forward, gate.anyone, gate.backoffice

    @api.get("/calendar/closed-periods", tags=["calendar"])
    async def closed_periods(
        first: date = Query(alias="from"), last: date = Query(alias="to"), who: Principal = anyone
    ):
        return await forward(
            "bookings",
            "GET",
            "/calendar/closed-periods",
            who,
            params={"from": first.isoformat(), "to": last.isoformat()},
        )

    @api.post("/calendar/closed-periods", status_code=201, tags=["calendar"])
    async def close(body: NewClosedPeriod, who: Principal = backoffice):
        return await forward(
            "bookings", "POST", "/calendar/closed-periods", who, body=as_json(body)
        )

    @api.delete("/calendar/closed-periods/{closure_id}", status_code=204, tags=["calendar"])
    async def reopen(closure_id: UUID, who: Principal = backoffice):
        return await forward("bookings", "DELETE", f"/calendar/closed-periods/{closure_id}", who)

    @api.get("/calendar/school-days", tags=["calendar"])
    async def school_days(
        first: date = Query(alias="from"),
        last: date = Query(alias="to"),
        school_id: OrgId = None,
        who: Principal = anyone,
    ):
        return await forward(
            "bookings",
            "GET",
            "/calendar/school-days",
            who,
            params={"from": first.isoformat(), "to": last.isoformat(), "school_id": school_id},
        )

    @api.get("/calendar/school-days/{school_id}/{day}", tags=["calendar"])
    async def school_day(school_id: Slug, day: date, who: Principal = anyone):
        return await forward("bookings", "GET", f"/calendar/school-days/{school_id}/{day}", who)

    @api.put("/calendar/school-days/{school_id}/{day}", tags=["calendar"])
    async def set_school_day(
        school_id: Slug, day: date, body: SchoolDayException, who: Principal = backoffice
    ):
        return await forward(
            "bookings", "PUT", f"/calendar/school-days/{school_id}/{day}", who, body=as_json(body)
        )

    @api.delete("/calendar/school-days/{school_id}/{day}", status_code=204, tags=["calendar"])
    async def remove_school_day(school_id: Slug, day: date, who: Principal = backoffice):
        return await forward("bookings", "DELETE", f"/calendar/school-days/{school_id}/{day}", who)

    @api.get("/calendar/rules", tags=["calendar"])
    async def rules(who: Principal = anyone):
        return await forward("bookings", "GET", "/calendar/rules", who)

    @api.put("/calendar/rules", tags=["calendar"])
    async def set_rules(body: BookingRulesBody, who: Principal = backoffice):
        return await forward("bookings", "PUT", "/calendar/rules", who, body=as_json(body))

    @api.get("/calendar/quotas", tags=["calendar"])
    async def quotas(school_year: SchoolYear | None = None, who: Principal = anyone):
        return await forward(
            "bookings", "GET", "/calendar/quotas", who, params={"school_year": school_year}
        )

    @api.get("/calendar/quotas/{school_id}/{school_year}", tags=["calendar"])
    async def quota(school_id: Slug, school_year: SchoolYear, who: Principal = anyone):
        return await forward("bookings", "GET", f"/calendar/quotas/{school_id}/{school_year}", who)

    @api.put("/calendar/quotas/{school_id}/{school_year}", tags=["calendar"])
    async def set_quota(
        school_id: Slug, school_year: SchoolYear, body: QuotaBody, who: Principal = backoffice
    ):
        return await forward(
            "bookings",
            "PUT",
            f"/calendar/quotas/{school_id}/{school_year}",
            who,
            body=as_json(body),
        )

    @api.delete("/calendar/quotas/{school_id}/{school_year}", status_code=204, tags=["calendar"])
    async def remove_quota(school_id: Slug, school_year: SchoolYear, who: Principal = backoffice):
        return await forward(
            "bookings", "DELETE", f"/calendar/quotas/{school_id}/{school_year}", who
        )
