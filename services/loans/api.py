"""Internal HTTP API of loans; the gateway exposes it as /api/v1/... ."""

from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from services.loans import commands, queries
from shared.contracts.requests.loans import NewReservation, ReservationExtension
from shared.http import Caller, current_caller
from shared.service import Runtime


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    asset_tag: str
    category: str
    name: str
    quantity: int
    location: str
    condition: str
    status: str
    loanable: bool


class AvailabilityOut(BaseModel):
    item_id: str
    starts_on: date = Field(serialization_alias="from")
    ends_on: date = Field(serialization_alias="to")
    quantity: int
    free: int


class ReservationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    item_id: str
    school_id: str
    quantity: int
    starts_on: date
    ends_on: date
    booking_id: UUID | None
    status: str
    created_at: datetime


def routes(rt: Runtime) -> APIRouter:
    router = APIRouter()

    @router.get("/items", response_model=list[ItemOut])
    async def items(limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0),
                    _: Caller = Depends(current_caller)):
        return await queries.list_items(rt, limit, offset)

    @router.get("/items/{item_id}/availability", response_model=AvailabilityOut)
    async def availability(item_id: str, starts_on: date = Query(alias="from"),
                           ends_on: date = Query(alias="to"),
                           _: Caller = Depends(current_caller)):
        return _availability_out(await queries.availability(rt, item_id, starts_on, ends_on))

    @router.get("/availability", response_model=list[AvailabilityOut])
    async def category_availability(category: str = Query(min_length=1, max_length=40),
                                    starts_on: date = Query(alias="from"),
                                    ends_on: date = Query(alias="to"),
                                    _: Caller = Depends(current_caller)):
        found = await queries.category_availability(rt, category, starts_on, ends_on)
        return [_availability_out(a) for a in found]

    @router.get("/reservations", response_model=list[ReservationOut])
    async def reservations(limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0),
                           who: Caller = Depends(current_caller)):
        return await queries.list_reservations(rt, who, limit, offset)

    @router.post("/reservations", status_code=201, response_model=ReservationOut)
    async def reserve(body: NewReservation, who: Caller = Depends(current_caller)):
        return await commands.reserve(rt, who, body)

    @router.post("/reservations/{reservation_id}/extend", response_model=ReservationOut)
    async def extend(reservation_id: UUID, body: ReservationExtension,
                     who: Caller = Depends(current_caller)):
        return await commands.extend(rt, who, reservation_id, body.ends_on)

    @router.post("/reservations/{reservation_id}/cancel", response_model=ReservationOut)
    async def cancel(reservation_id: UUID, who: Caller = Depends(current_caller)):
        return await commands.cancel(rt, who, reservation_id)

    return router


def _availability_out(found: queries.Availability) -> AvailabilityOut:
    return AvailabilityOut(item_id=found.item.id, starts_on=found.period.starts_on,
                           ends_on=found.period.ends_on, quantity=found.item.quantity,
                           free=found.free)
