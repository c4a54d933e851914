"""Equipment, its availability and reservations (loans service)."""

from datetime import date
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request

from services.gateway.auth import BACKOFFICE, SCHOOL, Principal
from services.gateway.routes.common import (
    Gate,
    OrgId,
    Page,
    Slug,
    as_json,
    own_school,
    router,
)
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

ITEM_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$"
# Where a reservation stands at the loans desk (services/loans/domain.py DeskStatus).
DeskStatus = Literal["reserved", "out", "overdue", "returned", "released"]


def routes(gate: Gate) -> APIRouter:
    api, forward, anyone, backoffice = router(), gate.forward, gate.anyone, gate.backoffice
    reserver = gate.guard(SCHOOL, BACKOFFICE)

    @api.get("/equipment", tags=["equipment"])
    async def equipment(paging: Page, who: Principal = anyone):
        return await forward("loans", "GET", "/items", who, params=paging)

    @api.get("/equipment/{item_id}", tags=["equipment"])
    async def equipment_item(item_id: Slug, who: Principal = anyone):
        """An item with its status: available, checked_out, in_repair or retired."""
        return await forward("loans", "GET", f"/items/{item_id}", who)

    @api.post("/equipment/{item_id}/repaired", tags=["equipment"])
    async def mark_repaired(item_id: Slug, body: Repaired, who: Principal = backoffice):
        """Back in service after a damage report."""
        return await forward("loans", "POST", f"/items/{item_id}/repaired", who, body=as_json(body))

    @api.post("/equipment/{item_id}/retire", tags=["equipment"])
    async def retire(item_id: Slug, who: Principal = backoffice):
        """Out of service for good; refused while a reservation holds it from today on."""
        return await forward("loans", "POST", f"/items/{item_id}/retire", who)

    @api.get("/damage-reports", tags=["equipment"])
    async def damage_reports(
        paging: Page,
        item_id: str | None = Query(None, pattern=ITEM_ID),
        who: Principal = backoffice,
    ):
        params = paging | ({"item_id": item_id} if item_id else {})
        return await forward("loans", "GET", "/damage-reports", who, params=params)

    @api.get("/equipment/{item_id}/availability", tags=["equipment"])
    async def availability(
        item_id: Slug,
        from_: date = Query(alias="from"),
        to: date = Query(),
        who: Principal = anyone,
    ):
        params = {"from": from_.isoformat(), "to": to.isoformat()}
        return await forward("loans", "GET", f"/items/{item_id}/availability", who, params=params)

    @api.get("/availability", tags=["equipment"])
    async def category_availability(
        category: str = Query(pattern=r"^[a-z0-9-]{1,40}$"),
        from_: date = Query(alias="from"),
        to: date = Query(),
        who: Principal = anyone,
    ):
        params = {"category": category, "from": from_.isoformat(), "to": to.isoformat()}
        return await forward("loans", "GET", "/availability", who, params=params)

    @api.get("/loans/policy", tags=["equipment"])
    async def loan_policy(who: Principal = anyone):
        """How far ahead (`horizon_days`) and how long (`max_days`, extensions included)
        equipment is lent."""
        return await forward("loans", "GET", "/policy", who)

    @api.put("/loans/policy", tags=["equipment"])
    async def set_loan_policy(body: LoanPolicyBody, who: Principal = backoffice):
        """Applies to reservations and extensions from now on; made ones keep their period."""
        return await forward("loans", "PUT", "/policy", who, body=as_json(body))

    @api.post("/equipment", status_code=201, tags=["equipment"])
    async def add_item(body: NewItem, who: Principal = backoffice):
        """A piece (quantity 1) or a kit; 409 when its id or asset tag exists already."""
        return await forward("loans", "POST", "/items", who, body=as_json(body))

    @api.patch("/equipment/{item_id}", tags=["equipment"])
    async def change_item(item_id: Slug, body: ItemChange, who: Principal = backoffice):
        """Change what the body names; a kit keeps the units reserved or out (409)."""
        return await forward("loans", "PATCH", f"/items/{item_id}", who, body=as_json(body))

    @api.get("/reservations", tags=["equipment"])
    async def reservations(
        paging: Page,
        status: DeskStatus | None = None,
        item_id: str | None = Query(None, pattern=ITEM_ID),
        school_id: OrgId = None,
        from_: date | None = Query(None, alias="from"),
        to: date | None = None,
        who: Principal = anyone,
    ):
        """The loans desk: by `status` (`out` is on time, `overdue` late), item, school and
        a period the reservations overlap. A school sees its own."""
        return await forward(
            "loans",
            "GET",
            "/reservations",
            who,
            params=paging
            | {
                "status": status,
                "item_id": item_id,
                "school_id": own_school(who, school_id),
                "from": from_,
                "to": to,
            },
        )

    @api.get("/overdue-loans", tags=["equipment"])
    async def overdue_loans(paging: Page, who: Principal = backoffice):
        """Loans not back after their last day, the longest overdue first."""
        return await forward("loans", "GET", "/overdue-loans", who, params=paging)

    @api.get("/reservations/{reservation_id}", tags=["equipment"])
    async def reservation(reservation_id: UUID, who: Principal = reserver):
        """A school reads only its own reservations: another school's answers 404."""
        return await forward("loans", "GET", f"/reservations/{reservation_id}", who)

    @api.post("/reservations/{reservation_id}/check-out", tags=["equipment"])
    async def check_out(reservation_id: UUID, body: CheckOut, who: Principal = backoffice):
        """Handed over on a day of the reservation's period, with a note on its condition."""
        return await forward(
            "loans", "POST", f"/reservations/{reservation_id}/check-out", who, body=as_json(body)
        )

    @api.post("/reservations/{reservation_id}/return", tags=["equipment"])
    async def take_back(reservation_id: UUID, body: Return, who: Principal = backoffice):
        """Back in `condition`; a `damage` report puts the item in repair and goes to finance."""
        return await forward(
            "loans", "POST", f"/reservations/{reservation_id}/return", who, body=as_json(body)
        )

    @api.post("/reservations", status_code=201, tags=["equipment"])
    async def reserve(request: Request, body: NewReservation, who: Principal = reserver):
        """Reserved, or 409 with the reason and, where there is one, an `alternative`; 422
        for a start in the past or a period beyond the loan policy. The backoffice reserves
        on behalf of the school it names in `school_id`; a school naming another: 403."""
        await gate.acting_for(request, who, body.school_id)
        return await forward("loans", "POST", "/reservations", who, body=as_json(body))

    @api.post("/reservations/{reservation_id}/extend", tags=["equipment"])
    async def extend_reservation(
        reservation_id: UUID, body: ReservationExtension, who: Principal = reserver
    ):
        return await forward(
            "loans", "POST", f"/reservations/{reservation_id}/extend", who, body=as_json(body)
        )

    @api.post("/reservations/{reservation_id}/cancel", tags=["equipment"])
    async def cancel_reservation(reservation_id: UUID, who: Principal = reserver):
        return await forward("loans", "POST", f"/reservations/{reservation_id}/cancel", who)

    return api
