"""Equipment, its availability and reservations (loans service)."""

from datetime import date
from uuid import UUID

from fastapi import APIRouter, Query

from services.gateway.auth import BACKOFFICE, SCHOOL, Principal
from services.gateway.routes.common import Gate, Page, Slug, as_json, router
from shared.contracts.requests.loans import NewReservation, ReservationExtension


def routes(gate: Gate) -> APIRouter:
    api, forward, anyone = router(), gate.forward, gate.anyone
    reserver = gate.guard(SCHOOL, BACKOFFICE)

    @api.get("/equipment", tags=["equipment"])
    async def equipment(paging: Page, who: Principal = anyone):
        return await forward("loans", "GET", "/items", who, params=paging)

    @api.get("/equipment/{item_id}/availability", tags=["equipment"])
    async def availability(item_id: Slug, from_: date = Query(alias="from"),
                           to: date = Query(), who: Principal = anyone):
        params = {"from": from_.isoformat(), "to": to.isoformat()}
        return await forward("loans", "GET", f"/items/{item_id}/availability", who, params=params)

    @api.get("/availability", tags=["equipment"])
    async def category_availability(category: str = Query(pattern=r"^[a-z0-9-]{1,40}$"),
                                    from_: date = Query(alias="from"),
                                    to: date = Query(), who: Principal = anyone):
        params = {"category": category, "from": from_.isoformat(), "to": to.isoformat()}
        return await forward("loans", "GET", "/availability", who, params=params)

    @api.get("/reservations", tags=["equipment"])
    async def reservations(paging: Page, who: Principal = anyone):
        return await forward("loans", "GET", "/reservations", who, params=paging)

    @api.post("/reservations", status_code=201, tags=["equipment"])
    async def reserve(body: NewReservation, who: Principal = reserver):
        """Reserved, or 409 with the reason and, where there is one, an `alternative`."""
        return await forward("loans", "POST", "/reservations", who, body=as_json(body))

    @api.post("/reservations/{reservation_id}/extend", tags=["equipment"])
    async def extend_reservation(reservation_id: UUID, body: ReservationExtension,
                                 who: Principal = reserver):
        return await forward("loans", "POST", f"/reservations/{reservation_id}/extend", who,
                             body=as_json(body))

    @api.post("/reservations/{reservation_id}/cancel", tags=["equipment"])
    async def cancel_reservation(reservation_id: UUID, who: Principal = reserver):
        return await forward("loans", "POST", f"/reservations/{reservation_id}/cancel", who)

    return api
