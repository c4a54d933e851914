"""The region's events, their sessions, registrations and check-in (events service)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from services.gateway.auth import BACKOFFICE, COMPANY, FINANCE, PROGRAMME, SCHOOL, Principal
from services.gateway.routes.common import Gate, OrgId, Page, Slug, as_json, own_school, router
from shared.contracts.requests.events import (
    CheckIn,
    EventChange,
    EventSessionChange,
    NewAttendee,
    NewEvent,
    NewEventCost,
    NewEventSession,
    NewRegistration,
    SessionHeld,
)

# An event id as a query filter: the same shape as in a path.
EventFilter = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")]


def routes(gate: Gate) -> APIRouter:
    api, forward = router(), gate.forward
    anyone, backoffice, school = gate.anyone, gate.backoffice, gate.school
    registrant = gate.guard(SCHOOL, BACKOFFICE)

    @api.get("/events", tags=["events"])
    async def events(paging: Page, who: Principal = anyone):
        return await forward("events", "GET", "/events", who, params=paging)

    @api.get("/events/{event_id}", tags=["events"])
    async def event(event_id: Slug, who: Principal = anyone):
        return await forward("events", "GET", f"/events/{event_id}", who)

    @api.get("/events/{event_id}/sessions", tags=["events"])
    async def event_sessions(event_id: Slug, who: Principal = anyone):
        return await forward("events", "GET", f"/events/{event_id}/sessions", who)

    @api.post("/events/{event_id}/check-in", tags=["events"])
    async def check_in(event_id: Slug, body: CheckIn, who: Principal = backoffice):
        """Attendance, once per code; a code of another event is 404 like a wrong one."""
        return await forward(
            "events", "POST", f"/events/{event_id}/check-in", who, body=as_json(body)
        )

    @api.post("/registrations", status_code=201, tags=["events"])
    async def register(request: Request, body: NewRegistration, who: Principal = registrant):
        """Confirmed, or `waitlisted` with its `waitlist_position` when the session is full.
        The backoffice registers on behalf of the school it names in `school_id`; a school
        naming another is refused (403)."""
        await gate.acting_for(request, who, body.school_id)
        return await forward("events", "POST", "/registrations", who, body=as_json(body))

    @api.get("/registrations", tags=["events"])
    async def registrations(paging: Page, who: Principal = registrant):
        return await forward("events", "GET", "/registrations", who, params=paging)

    @api.get("/registrations/{registration_id}", tags=["events"])
    async def registration(registration_id: UUID, who: Principal = registrant):
        return await forward("events", "GET", f"/registrations/{registration_id}", who)

    @api.post("/registrations/{registration_id}/accept", tags=["events"])
    async def accept_offer(registration_id: UUID, who: Principal = school):
        """Take the offered place before `offer_expires_at`."""
        return await forward("events", "POST", f"/registrations/{registration_id}/accept", who)

    @api.post("/registrations/{registration_id}/cancel", tags=["events"])
    async def cancel_registration(registration_id: UUID, who: Principal = registrant):
        """Cancel, decline an offer or leave the waiting list."""
        return await forward("events", "POST", f"/registrations/{registration_id}/cancel", who)

    @api.post("/events/{event_id}/attendees", status_code=201, tags=["events"])
    async def attend(event_id: Slug, body: NewAttendee, who: Principal = anyone):
        """Register yourself for an event for adults (the annual meeting): name and e-mail.
        Any signed-in person may; 409 when the event is full or the address registered."""
        return await forward(
            "events", "POST", f"/events/{event_id}/attendees", who, body=as_json(body)
        )

    @api.get("/attendees", tags=["events"])
    async def attendees(paging: Page, event_id: EventFilter = None, who: Principal = anyone):
        """Your own registrations for events for adults; the backoffice sees everyone's."""
        return await forward(
            "events", "GET", "/attendees", who, params=paging | {"event_id": event_id}
        )

    @api.post("/attendees/{attendee_id}/cancel", tags=["events"])
    async def cancel_attendance(attendee_id: UUID, who: Principal = anyone):
        """Cancel your own registration before the event starts."""
        return await forward("events", "POST", f"/attendees/{attendee_id}/cancel", who)

    @api.get("/hosted-sessions", tags=["events"])
    async def hosted_sessions(
        paging: Page,
        host: OrgId = None,
        who: Principal = gate.guard(COMPANY, BACKOFFICE, PROGRAMME),
    ):
        """Sessions with the classes registered (class name, level, numbers): a company
        contact sees those its company hosts; the backoffice and programme any `host`."""
        own = who.organisation if who.role == COMPANY else host
        return await forward(
            "events", "GET", "/hosted-sessions", who, params=paging | {"host": own}
        )

    @api.get("/event-reach", tags=["events"])
    async def event_reach(
        event_id: EventFilter = None,
        school_id: OrgId = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        who: Principal = gate.guard(BACKOFFICE, PROGRAMME, SCHOOL),
    ):
        """Students who took part, per event, school, level and profile, from the attendance
        recorded at check-in; `year`: sessions in that calendar year. A school sees its own
        figures."""
        return await forward(
            "events",
            "GET",
            "/reach",
            who,
            params={"event_id": event_id, "year": year, "school_id": own_school(who, school_id)},
        )

    @api.post("/event-sessions/{session_id}/held", status_code=201, tags=["events"])
    async def session_held(session_id: UUID, body: SessionHeld, who: Principal = backoffice):
        """Record that a session took place, with its host's minutes (default: the session's
        length); finance books a company's hours as in-kind co-financing. Once: 409 after."""
        return await forward(
            "events", "POST", f"/sessions/{session_id}/held", who, body=as_json(body)
        )

    @api.post("/events/{event_id}/costs", status_code=201, tags=["events"])
    async def record_event_cost(event_id: Slug, body: NewEventCost, who: Principal = backoffice):
        """A cost of the event (in cents) for the lead school's declaration; an invoice
        counts once per event (409)."""
        return await forward("events", "POST", f"/events/{event_id}/costs", who, body=as_json(body))

    @api.get("/events/{event_id}/costs", tags=["events"])
    async def event_costs(
        event_id: Slug, who: Principal = gate.guard(BACKOFFICE, PROGRAMME, FINANCE)
    ):
        return await forward("events", "GET", f"/events/{event_id}/costs", who)

    @api.post("/events", status_code=201, tags=["events"])
    async def create_event(body: NewEvent, who: Principal = backoffice):
        """Plan an event (each day one event); its id is made from title and day, 409 if
        that event exists already."""
        return await forward("events", "POST", "/events", who, body=as_json(body))

    @api.patch("/events/{event_id}", tags=["events"])
    async def change_event(event_id: Slug, body: EventChange, who: Principal = backoffice):
        """Change what the body names; refused (409/422) when persons registered or its
        sessions would no longer fit."""
        return await forward("events", "PATCH", f"/events/{event_id}", who, body=as_json(body))

    @api.post("/events/{event_id}/sessions", status_code=201, tags=["events"])
    async def add_event_session(event_id: Slug, body: NewEventSession, who: Principal = backoffice):
        """A session within the event's times, for part of its audience."""
        return await forward(
            "events", "POST", f"/events/{event_id}/sessions", who, body=as_json(body)
        )

    @api.get("/event-sessions/{session_id}", tags=["events"])
    async def event_session(session_id: UUID, who: Principal = anyone):
        return await forward("events", "GET", f"/sessions/{session_id}", who)

    @api.patch("/event-sessions/{session_id}", tags=["events"])
    async def change_event_session(
        session_id: UUID, body: EventSessionChange, who: Principal = backoffice
    ):
        """Capacity never below the seats taken; seats a larger capacity frees are offered
        to the waiting groups at once."""
        return await forward("events", "PATCH", f"/sessions/{session_id}", who, body=as_json(body))

    @api.get("/events/{event_id}/registrations", tags=["events"])
    async def event_registrations(
        event_id: Slug,
        session_id: UUID | None = None,
        who: Principal = gate.guard(BACKOFFICE, PROGRAMME, COMPANY),
    ):
        """Who comes: per session the classes registered (school, level, size, status,
        waiting place, checked in). A company contact sees only the sessions it hosts."""
        return await forward(
            "events",
            "GET",
            f"/events/{event_id}/registrations",
            who,
            params={"session_id": session_id},
        )

    return api
