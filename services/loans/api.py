"""Internal HTTP API of loans; the gateway exposes it as /api/v1/... ."""

from dataclasses import asdict
from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from services.loans import commands, queries
from services.loans.domain import DeskStatus, Policy
from services.loans.settings import LoansSettings
from shared.contracts.common import Limit, Offset, Text
from shared.contracts.requests.loans import (
    CheckOut,
    ItemChange,
    LoanPolicyBody,
    NewItem,
    NewReservation,
    Repaired,
    ReservationExtension,
    Return,
)
from shared.http import Caller, current_caller
from shared.service import Runtime


class ItemOut(BaseModel):
    id: str
    asset_tag: str
    category: str
    name: str
    quantity: int
    location: str
    condition: str
    status: str
    loanable: bool
    units_out: int

    @classmethod
    def of(cls, view: queries.ItemView) -> "ItemOut":
        i = view.item
        return cls(
            id=i.id,
            asset_tag=i.asset_tag,
            category=i.category,
            name=i.name,
            quantity=i.quantity,
            location=i.location,
            condition=i.condition,
            status=view.status,
            loanable=i.loanable,
            units_out=view.units_out,
        )


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
    session_id: UUID | None = None
    # Who reserved: the school's own person, or the backoffice acting for the school.
    reserved_by: str | None = None
    status: str
    created_at: datetime
    checked_out_at: datetime | None
    checkout_note: str | None
    returned_at: datetime | None
    return_condition: str | None
    overdue_notified_at: datetime | None
    # What people read: the item, and where the loan stands today (reserved, out, overdue,
    # returned or released) with the days it is late.
    item_name: str | None = None
    item_category: str | None = None
    desk_status: str | None = None
    days_overdue: int = 0

    @classmethod
    def of(cls, view: queries.ReservationView) -> "ReservationOut":
        return cls.model_validate(view.reservation).model_copy(
            update=dict(
                item_name=view.item.name,
                item_category=view.item.category,
                desk_status=view.desk_status,
                days_overdue=view.days_overdue,
            )
        )


class DamageReportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    reservation_id: UUID
    item_id: str
    description: str
    repair_cost_cents: int
    reported_on: date
    reported_at: datetime


def routes(rt: Runtime[LoansSettings]) -> APIRouter:
    router = APIRouter()

    @router.get("/items", response_model=list[ItemOut])
    async def items(limit: Limit = 50, offset: Offset = 0, _: Caller = Depends(current_caller)):
        return [ItemOut.of(v) for v in await queries.list_items(rt, limit, offset)]

    @router.get("/items/{item_id}", response_model=ItemOut)
    async def item(item_id: str, _: Caller = Depends(current_caller)):
        return ItemOut.of(await queries.item(rt, item_id))

    @router.post("/items/{item_id}/repaired", response_model=ItemOut)
    async def repaired(item_id: str, body: Repaired, who: Caller = Depends(current_caller)):
        await commands.mark_repaired(rt, who, item_id, body)
        return ItemOut.of(await queries.item(rt, item_id))

    @router.post("/items/{item_id}/retire", response_model=ItemOut)
    async def retire(item_id: str, who: Caller = Depends(current_caller)):
        await commands.retire(rt, who, item_id)
        return ItemOut.of(await queries.item(rt, item_id))

    @router.get("/damage-reports", response_model=list[DamageReportOut])
    async def damage_reports(
        item_id: Text | None = Query(None, max_length=80),
        limit: Limit = 50,
        offset: Offset = 0,
        who: Caller = Depends(current_caller),
    ):
        return await queries.damage_reports(rt, who, item_id, limit, offset)

    @router.get("/items/{item_id}/availability", response_model=AvailabilityOut)
    async def availability(
        item_id: str,
        starts_on: date = Query(alias="from"),
        ends_on: date = Query(alias="to"),
        _: Caller = Depends(current_caller),
    ):
        return _availability_out(await queries.availability(rt, item_id, starts_on, ends_on))

    @router.get("/availability", response_model=list[AvailabilityOut])
    async def category_availability(
        category: Text = Query(min_length=1, max_length=40),
        starts_on: date = Query(alias="from"),
        ends_on: date = Query(alias="to"),
        _: Caller = Depends(current_caller),
    ):
        found = await queries.category_availability(rt, category, starts_on, ends_on)
        return [_availability_out(a) for a in found]

    @router.get("/policy", response_model=LoanPolicyBody)
    async def policy(_: Caller = Depends(current_caller)):
        return asdict(await queries.policy(rt))

    @router.put("/policy", response_model=LoanPolicyBody)
    async def set_policy(body: LoanPolicyBody, who: Caller = Depends(current_caller)):
        return asdict(await commands.set_policy(rt, who, Policy(**body.model_dump())))

    @router.get("/reservations", response_model=list[ReservationOut])
    async def reservations(
        limit: Limit = 50,
        offset: Offset = 0,
        status: DeskStatus | None = None,
        item_id: Text | None = Query(None, max_length=80),
        school_id: Text | None = Query(None, max_length=80),
        starts_on: date | None = Query(None, alias="from"),
        ends_on: date | None = Query(None, alias="to"),
        who: Caller = Depends(current_caller),
    ):
        """Filtered for the loans desk: by status, item, school and period (overlapping)."""
        wanted = queries.DeskFilter(status, item_id, school_id, starts_on, ends_on)
        return [
            ReservationOut.of(v)
            for v in await queries.list_reservations(rt, who, limit, offset, wanted)
        ]

    @router.get("/overdue-loans", response_model=list[ReservationOut])
    async def overdue_loans(
        limit: Limit = 50, offset: Offset = 0, who: Caller = Depends(current_caller)
    ):
        return [ReservationOut.of(v) for v in await queries.overdue_loans(rt, who, limit, offset)]

    @router.post("/items", status_code=201, response_model=ItemOut)
    async def add_item(body: NewItem, who: Caller = Depends(current_caller)):
        item = await commands.add_item(rt, who, body)
        return ItemOut.of(await queries.item(rt, item.id))

    @router.patch("/items/{item_id}", response_model=ItemOut)
    async def change_item(item_id: str, body: ItemChange, who: Caller = Depends(current_caller)):
        await commands.change_item(rt, who, item_id, body)
        return ItemOut.of(await queries.item(rt, item_id))

    @router.post("/reservations", status_code=201, response_model=ReservationOut)
    async def reserve(body: NewReservation, who: Caller = Depends(current_caller)):
        return await _reservation_out(rt, await commands.reserve(rt, who, body))

    @router.get("/reservations/{reservation_id}", response_model=ReservationOut)
    async def reservation(reservation_id: UUID, who: Caller = Depends(current_caller)):
        return await _reservation_out(rt, await queries.reservation(rt, who, reservation_id))

    @router.post("/reservations/{reservation_id}/check-out", response_model=ReservationOut)
    async def check_out(
        reservation_id: UUID, body: CheckOut, who: Caller = Depends(current_caller)
    ):
        return await _reservation_out(rt, await commands.check_out(rt, who, reservation_id, body))

    @router.post("/reservations/{reservation_id}/return", response_model=ReservationOut)
    async def take_back(reservation_id: UUID, body: Return, who: Caller = Depends(current_caller)):
        return await _reservation_out(rt, await commands.take_back(rt, who, reservation_id, body))

    @router.post("/reservations/{reservation_id}/extend", response_model=ReservationOut)
    async def extend(
        reservation_id: UUID, body: ReservationExtension, who: Caller = Depends(current_caller)
    ):
        extended = await commands.extend(rt, who, reservation_id, body.ends_on)
        return await _reservation_out(rt, extended)

    @router.post("/reservations/{reservation_id}/cancel", response_model=ReservationOut)
    async def cancel(reservation_id: UUID, who: Caller = Depends(current_caller)):
        return await _reservation_out(rt, await commands.cancel(rt, who, reservation_id))

    return router


async def _reservation_out(rt: Runtime[LoansSettings], reservation) -> ReservationOut:
    return ReservationOut.of(await queries.reservation_view(rt, reservation))


def _availability_out(found: queries.Availability) -> AvailabilityOut:
    return AvailabilityOut(
        item_id=found.item.id,
        starts_on=found.period.starts_on,
        ends_on=found.period.ends_on,
        quantity=found.item.quantity,
        free=found.free,
    )
