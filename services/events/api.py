"""Internal HTTP API of events; the gateway exposes it as /api/v1/... ."""

from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from services.events import attendees, commands, domain, hosting, queries, reach
from services.events.domain import RegistrationStatus
from services.events.queries import Placed
from services.events.store import Event, EventSession, when_and_where
from shared.contracts.common import BookedGroup, CalendarYear, Group, Limit, Offset, Text
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
from shared.domain import SCHOOL, Refused
from shared.http import Caller, current_caller
from shared.service import Runtime
from shared.store.versions import tagged


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    audience: list[str]
    capacity: int
    location: str
    # Of an event for adults, the persons registered personally (groups count per session).
    persons_registered: int = Field(validation_alias="seats_taken")


class AttendeeOut(BaseModel):
    """A person's own registration: only they and the backoffice see it."""

    model_config = ConfigDict(from_attributes=True)
    id: UUID
    event_id: str
    name: str
    email: str
    status: str
    created_at: datetime
    updated_at: datetime


class ReachOut(BaseModel):
    """Students who took part (checked in), per event, school, level and profile."""

    model_config = ConfigDict(from_attributes=True)
    event_id: str
    event_title: str
    school_id: str
    level: str
    profile: str | None
    groups: int
    students: int


class HostingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    hosting_id: UUID = Field(validation_alias="id")
    session_id: UUID
    minutes: int
    held_on: date
    students_reached: int
    recorded_at: datetime


class EventCostOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    event_id: str
    description: str
    amount_cents: int
    supplier: str
    invoice_reference: str
    incurred_on: date
    recorded_at: datetime


class EquipmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    item_id: str
    name: str
    category: str
    quantity: int


class SessionOut(BaseModel):
    id: UUID
    event_id: str
    title: str
    host_kind: str
    host: str
    host_name: str
    capacity: int
    seats_left: int
    audience: list[str]
    opens_at: datetime
    closes_at: datetime
    # Times and place of its own; null: the event's.
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None


class HostedGroupOut(BaseModel):
    """A class coming to a hosted session: its class name (not a person's) and numbers."""

    school_id: str
    name: str
    level: str
    year: int
    students: int
    status: str


class HostedSessionOut(SessionOut):
    groups_confirmed: int
    students_confirmed: int
    # Groups waiting for a seat (and those offered one): who may still come.
    groups_waiting: int
    students_waiting: int
    groups: list[HostedGroupOut]


class RegistrationOut(BaseModel):
    id: UUID
    session_id: UUID
    event_id: str
    school_id: str
    group: Group
    profile: str | None
    status: str
    # 1 is next in line; null unless the group waits.
    waitlist_position: int | None
    # Set while seats are held for the group: accept before this moment.
    offer_expires_at: datetime | None
    # For the owning school only: whoever holds the code checks the group in.
    check_in_code: str | None
    students_present: int | None
    checked_in_at: datetime | None
    created_at: datetime
    updated_at: datetime
    # Who registered: the school's own person, or the backoffice acting for the school.
    registered_by: str | None = None
    # What the group comes to, as a person reads it: the session's own times and place, or
    # else its event's.
    event_title: str | None = None
    session_title: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None

    @classmethod
    def of(
        cls, placed: Placed, caller: Caller, where: tuple[EventSession, Event] | None = None
    ) -> "RegistrationOut":
        r, position = placed
        owner = caller.role == SCHOOL and caller.organisation == r.school_id
        return cls(
            **_where_out(where),
            id=r.id,
            session_id=r.session_id,
            event_id=r.event_id,
            school_id=r.school_id,
            profile=r.profile,
            group=Group.of(r),
            status=r.status,
            waitlist_position=position,
            offer_expires_at=r.offer_expires_at,
            check_in_code=r.check_in_code if owner else None,
            students_present=r.students_present,
            checked_in_at=r.checked_in_at,
            registered_by=r.registered_by,
            created_at=r.created_at,
            updated_at=r.updated_at,
        )


def _where_out(where: tuple[EventSession, Event] | None) -> dict:
    if where is None:
        return {}
    session, event = where
    return dict(
        event_title=event.title,
        session_title=session.title,
        **when_and_where(session, event)._asdict(),
    )


class RegisteredGroupOut(BaseModel):
    """A class registered for a session, as the backoffice and the host read it: the class,
    not its students; no check-in code (that is the school's)."""

    registration_id: UUID
    school_id: str
    group: Group
    profile: str | None
    status: str
    waitlist_position: int | None
    checked_in: bool
    students_present: int | None
    checked_in_at: datetime | None
    registered_at: datetime


class SessionRegistrationsOut(SessionOut):
    groups_confirmed: int
    students_confirmed: int
    groups_waiting: int
    registrations: list[RegisteredGroupOut]


class AgendaSessionOut(BaseModel):
    """An event's session in the agenda: its own times and place, or else its event's."""

    id: UUID
    event_id: str
    event_title: str
    title: str
    host_name: str
    location: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seats_left: int
    registrations: list[BookedGroup]

    @classmethod
    def of(cls, session: EventSession, event: Event, groups: list) -> "AgendaSessionOut":
        where = when_and_where(session, event)
        return cls(
            id=session.id,
            event_id=event.id,
            event_title=event.title,
            title=session.title,
            host_name=session.host_name,
            location=where.location,
            starts_at=where.starts_at,
            ends_at=where.ends_at,
            capacity=session.capacity,
            seats_left=session.capacity - session.seats_taken,
            registrations=[
                BookedGroup(
                    id=g.id,
                    school_id=g.school_id,
                    status=g.status,
                    group=Group(name=g.group_name, level=g.level, year=g.year, students=g.students),
                )
                for g in groups
            ],
        )


class EventRegistrationsOut(BaseModel):
    event_id: str
    event_title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    persons_registered: int
    sessions: list[SessionRegistrationsOut]


def _session_out(s) -> SessionOut:
    return SessionOut(
        id=s.id,
        event_id=s.event_id,
        title=s.title,
        host_kind=s.host_kind,
        host=s.host,
        host_name=s.host_name,
        capacity=s.capacity,
        seats_left=s.capacity - s.seats_taken,
        audience=s.audience,
        opens_at=s.opens_at,
        closes_at=s.closes_at,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        location=s.location,
    )


def _registered_out(r, position: int | None) -> RegisteredGroupOut:
    return RegisteredGroupOut(
        registration_id=r.id,
        school_id=r.school_id,
        profile=r.profile,
        status=r.status,
        group=Group(name=r.group_name, level=r.level, year=r.year, students=r.students),
        waitlist_position=position,
        checked_in=r.checked_in_at is not None,
        students_present=r.students_present,
        checked_in_at=r.checked_in_at,
        registered_at=r.created_at,
    )


def _session_registrations_out(session, groups) -> SessionRegistrationsOut:
    positions = domain.waitlist_positions([(g.id, g.status) for g in groups])
    confirmed = [g for g in groups if g.status == RegistrationStatus.CONFIRMED]
    return SessionRegistrationsOut(
        **_session_out(session).model_dump(),
        groups_confirmed=len(confirmed),
        students_confirmed=sum(g.students for g in confirmed),
        groups_waiting=len(positions),
        registrations=[_registered_out(g, positions.get(g.id)) for g in groups],
    )


async def _registrations_out(
    rt: Runtime, placed: list[Placed], who: Caller
) -> list[RegistrationOut]:
    where = await queries.where_registered(rt, {p.registration.session_id for p in placed})
    return [RegistrationOut.of(p, who, where.get(p.registration.session_id)) for p in placed]


async def _registration_out(rt: Runtime, placed: Placed, who: Caller) -> RegistrationOut:
    return (await _registrations_out(rt, [placed], who))[0]


def _hosted_out(session, groups) -> HostedSessionOut:
    confirmed = [g for g in groups if g.status == RegistrationStatus.CONFIRMED]
    waiting = [g for g in groups if g.status != RegistrationStatus.CONFIRMED]
    return HostedSessionOut(
        **_session_out(session).model_dump(),
        groups_confirmed=len(confirmed),
        students_confirmed=sum(g.students for g in confirmed),
        groups_waiting=len(waiting),
        students_waiting=sum(g.students for g in waiting),
        groups=[
            HostedGroupOut(
                school_id=g.school_id,
                name=g.group_name,
                level=g.level,
                year=g.year,
                students=g.students,
                status=g.status,
            )
            for g in groups
        ],
    )


def routes(rt: Runtime) -> APIRouter:
    router = APIRouter()

    @router.get("/events", response_model=list[EventOut])
    async def events(limit: Limit = 50, offset: Offset = 0, _: Caller = Depends(current_caller)):
        return await queries.list_events(rt, limit, offset)

    @router.get("/events/{event_id}", response_model=EventOut)
    async def event(event_id: str, _: Caller = Depends(current_caller)):
        found = await queries.get_event(rt, event_id)
        if found is None:
            raise Refused("dit evenement bestaat niet", 404)
        return tagged(found)

    @router.get("/events/{event_id}/sessions", response_model=list[SessionOut])
    async def sessions(event_id: str, _: Caller = Depends(current_caller)):
        found = await queries.sessions_of(rt, event_id)
        if found is None:
            raise Refused("dit evenement bestaat niet", 404)
        return [_session_out(s) for s in found]

    @router.get("/sessions", response_model=list[AgendaSessionOut])
    async def agenda(
        first: date = Query(alias="from"),
        last: date = Query(alias="to"),
        location: Text | None = None,
        school_id: Text | None = None,
        limit: Limit = 200,
        offset: Offset = 0,
        who: Caller = Depends(current_caller),
    ):
        """The events' sessions from `from` to `to` (Amsterdam days, at most 93), by start."""
        return [
            AgendaSessionOut.of(*row)
            for row in await queries.agenda(
                rt, who, first, last, location, school_id, limit, offset
            )
        ]

    @router.post("/events", status_code=201, response_model=EventOut)
    async def create_event(body: NewEvent, who: Caller = Depends(current_caller)):
        return await commands.create_event(rt, who, body)

    @router.patch("/events/{event_id}", response_model=EventOut)
    async def change_event(event_id: str, body: EventChange, who: Caller = Depends(current_caller)):
        return await commands.change_event(rt, who, event_id, body)

    @router.post("/events/{event_id}/sessions", status_code=201, response_model=SessionOut)
    async def add_session(
        event_id: str, body: NewEventSession, who: Caller = Depends(current_caller)
    ):
        return _session_out(await commands.add_session(rt, who, event_id, body))

    @router.get("/sessions/{session_id}", response_model=SessionOut)
    async def session(session_id: UUID, _: Caller = Depends(current_caller)):
        found = await queries.session(rt, session_id)
        if found is None:
            raise Refused("deze sessie bestaat niet", 404)
        return _session_out(tagged(found))

    @router.patch("/sessions/{session_id}", response_model=SessionOut)
    async def change_session(
        session_id: UUID, body: EventSessionChange, who: Caller = Depends(current_caller)
    ):
        return _session_out(await commands.change_session(rt, who, session_id, body))

    @router.get("/events/{event_id}/registrations", response_model=EventRegistrationsOut)
    async def who_comes(
        event_id: str, session_id: UUID | None = None, who: Caller = Depends(current_caller)
    ):
        event, sessions = await queries.who_comes(rt, who, event_id, session_id)
        return EventRegistrationsOut(
            event_id=event.id,
            event_title=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            location=event.location,
            persons_registered=event.seats_taken,
            sessions=[_session_registrations_out(s, groups) for s, groups in sessions],
        )

    @router.post("/registrations", status_code=201, response_model=RegistrationOut)
    async def register(body: NewRegistration, who: Caller = Depends(current_caller)):
        """201 also when the session is full: the registration is then `waitlisted`."""
        placed = await commands.register(
            rt, who, body.session_id, body.group, body.profile, school_id=body.school_id
        )
        return await _registration_out(rt, placed, who)

    @router.get("/registrations", response_model=list[RegistrationOut])
    async def list_registrations(
        limit: Limit = 50, offset: Offset = 0, who: Caller = Depends(current_caller)
    ):
        return await _registrations_out(
            rt, await queries.list_registrations(rt, who, limit, offset), who
        )

    @router.get("/registrations/{registration_id}", response_model=RegistrationOut)
    async def registration(registration_id: UUID, who: Caller = Depends(current_caller)):
        return await _registration_out(
            rt, await queries.get_registration(rt, who, registration_id), who
        )

    @router.post("/registrations/{registration_id}/accept", response_model=RegistrationOut)
    async def accept(registration_id: UUID, who: Caller = Depends(current_caller)):
        accepted = await commands.accept(rt, who, registration_id)
        return await _registration_out(rt, Placed(accepted, None), who)

    @router.post("/registrations/{registration_id}/cancel", response_model=RegistrationOut)
    async def cancel(registration_id: UUID, who: Caller = Depends(current_caller)):
        cancelled = await commands.cancel(rt, who, registration_id)
        return await _registration_out(rt, Placed(cancelled, None), who)

    @router.post("/events/{event_id}/check-in", response_model=RegistrationOut)
    async def check_in(event_id: str, body: CheckIn, who: Caller = Depends(current_caller)):
        checked = await commands.check_in(rt, who, event_id, body.code, body.students_present)
        return await _registration_out(rt, Placed(checked, None), who)

    @router.post("/events/{event_id}/attendees", status_code=201, response_model=AttendeeOut)
    async def attend(event_id: str, body: NewAttendee, who: Caller = Depends(current_caller)):
        return await attendees.register(rt, who, event_id, body.name, body.email)

    @router.get("/attendees", response_model=list[AttendeeOut])
    async def list_attendees(
        event_id: Text | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
        who: Caller = Depends(current_caller),
    ):
        return await attendees.list_visible(rt, who, event_id, limit, offset)

    @router.post("/attendees/{attendee_id}/cancel", response_model=AttendeeOut)
    async def cancel_attendance(attendee_id: UUID, who: Caller = Depends(current_caller)):
        return await attendees.cancel(rt, who, attendee_id)

    @router.get("/hosted-sessions", response_model=list[HostedSessionOut])
    async def hosted_sessions(
        host: Text | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
        who: Caller = Depends(current_caller),
    ):
        return [
            _hosted_out(s, groups)
            for s, groups in await queries.hosted_sessions(rt, who, host, limit, offset)
        ]

    @router.get("/reach", response_model=list[ReachOut])
    async def reach_figures(
        event_id: Text | None = None,
        school_id: Text | None = None,
        year: CalendarYear | None = None,
        who: Caller = Depends(current_caller),
    ):
        return await reach.reach(rt, who, event_id, school_id, year)

    @router.post("/sessions/{session_id}/held", status_code=201, response_model=HostingOut)
    async def held(session_id: UUID, body: SessionHeld, who: Caller = Depends(current_caller)):
        return await hosting.record_held(rt, who, session_id, body.minutes)

    @router.post("/events/{event_id}/costs", status_code=201, response_model=EventCostOut)
    async def record_cost(event_id: str, body: NewEventCost, who: Caller = Depends(current_caller)):
        return await hosting.record_cost(rt, who, event_id, body)

    @router.get("/events/{event_id}/costs", response_model=list[EventCostOut])
    async def costs(event_id: str, who: Caller = Depends(current_caller)):
        return await hosting.costs_of(rt, who, event_id)

    @router.get("/equipment", response_model=list[EquipmentOut])
    async def equipment(_: Caller = Depends(current_caller)):
        return await queries.list_equipment(rt)

    return router
