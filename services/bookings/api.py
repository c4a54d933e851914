"""Internal HTTP API of bookings; the gateway exposes it as /api/v1/... ."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict

from services.bookings import catalogue, commands
from services.bookings.store import Booking, Offering
from shared.contracts.common import Group
from shared.contracts.requests.bookings import NewBooking, NewOffering, NewSession
from shared.http import Caller, current_caller
from shared.service import Runtime


class OfferingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    kind: str
    title: str
    audience: list[str]
    profile: str | None
    location: str
    equipment: list[str]


class SessionOut(BaseModel):
    id: UUID
    offering_id: str
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
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, b: Booking, waitlist_position: int | None = None) -> "BookingOut":
        return cls(id=b.id, session_id=b.session_id, school_id=b.school_id,
                   group=Group(name=b.group_name, level=b.level, year=b.year, students=b.students),
                   status=b.status, waitlist_position=waitlist_position,
                   rejection_reason=b.rejection_reason,
                   created_at=b.created_at, updated_at=b.updated_at)


def _session_out(s) -> SessionOut:
    return SessionOut(id=s.id, offering_id=s.offering_id, starts_at=s.starts_at, ends_at=s.ends_at,
                      room=s.room, capacity=s.capacity, seats_left=s.capacity - s.seats_taken)



def routes(rt: Runtime) -> APIRouter:
    router = APIRouter()

    @router.get("/offerings", response_model=list[OfferingOut])
    async def offerings(limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0),
                        _: Caller = Depends(current_caller)):
        return await catalogue.list_offerings(rt, limit, offset)

    @router.post("/offerings", status_code=201, response_model=OfferingOut)
    async def new_offering(body: NewOffering, who: Caller = Depends(current_caller)):
        offering = Offering(**body.model_dump())
        await catalogue.publish_offering(rt, who, offering, [])
        return offering

    @router.get("/offerings/{offering_id}/sessions", response_model=list[SessionOut])
    async def sessions(offering_id: str, _: Caller = Depends(current_caller)):
        return [_session_out(s) for s in await catalogue.sessions_of(rt, offering_id)]

    @router.post("/offerings/{offering_id}/sessions", status_code=201, response_model=SessionOut)
    async def plan(offering_id: str, body: NewSession, who: Caller = Depends(current_caller)):
        session = await catalogue.plan_session(rt, who, offering_id, **body.model_dump())
        return _session_out(session)

    @router.post("/bookings", status_code=201, response_model=BookingOut)
    async def book(body: NewBooking, who: Caller = Depends(current_caller)):
        """201 also when the session is full: the booking is then `waitlisted`."""
        return BookingOut.of(*await commands.book(rt, who, body.session_id, body.group))

    @router.get("/bookings/{booking_id}", response_model=BookingOut)
    async def get_booking(booking_id: UUID, who: Caller = Depends(current_caller)):
        return BookingOut.of(*await commands.get_visible(rt, who, booking_id))

    @router.post("/bookings/{booking_id}/cancel", response_model=BookingOut)
    async def cancel(booking_id: UUID, who: Caller = Depends(current_caller)):
        return BookingOut.of(await commands.cancel(rt, who, booking_id))

    @router.post("/bookings/{booking_id}/complete", response_model=BookingOut)
    async def complete(booking_id: UUID, who: Caller = Depends(current_caller)):
        return BookingOut.of(await commands.complete(rt, who, booking_id))

    return router
