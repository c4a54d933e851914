"""Offers, their sessions and the schools' bookings (bookings service)."""

from uuid import UUID

from fastapi import APIRouter

from services.gateway.auth import BACKOFFICE, SCHOOL, Principal
from services.gateway.routes.common import Gate, Page, Slug, as_json, router
from shared.contracts.requests.bookings import NewBooking, NewOffering, NewSession


def routes(gate: Gate) -> APIRouter:
    api, forward = router(), gate.forward
    anyone, backoffice, school = gate.anyone, gate.backoffice, gate.school

    @api.get("/offerings", tags=["catalogue"])
    async def offerings(paging: Page, who: Principal = anyone):
        return await forward("bookings", "GET", "/offerings", who, params=paging)

    @api.post("/offerings", status_code=201, tags=["catalogue"])
    async def new_offering(body: NewOffering, who: Principal = backoffice):
        return await forward("bookings", "POST", "/offerings", who, body=as_json(body))

    @api.get("/offerings/{offering_id}/sessions", tags=["catalogue"])
    async def sessions(offering_id: Slug, who: Principal = anyone):
        return await forward("bookings", "GET", f"/offerings/{offering_id}/sessions", who)

    @api.post("/offerings/{offering_id}/sessions", status_code=201, tags=["catalogue"])
    async def new_session(offering_id: Slug, body: NewSession, who: Principal = backoffice):
        return await forward("bookings", "POST", f"/offerings/{offering_id}/sessions", who,
                             body=as_json(body))

    @api.post("/bookings", status_code=201, tags=["bookings"])
    async def book(body: NewBooking, who: Principal = school):
        """Confirmed, or `waitlisted` with its `waitlist_position` when the session is full."""
        return await forward("bookings", "POST", "/bookings", who, body=as_json(body))

    @api.get("/bookings/{booking_id}", tags=["bookings"])
    async def booking(booking_id: UUID, who: Principal = anyone):
        return await forward("bookings", "GET", f"/bookings/{booking_id}", who)

    @api.post("/bookings/{booking_id}/complete", tags=["bookings"])
    async def complete(booking_id: UUID, who: Principal = backoffice):
        return await forward("bookings", "POST", f"/bookings/{booking_id}/complete", who)

    @api.post("/bookings/{booking_id}/cancel", tags=["bookings"])
    async def cancel(booking_id: UUID, who: Principal = gate.guard(SCHOOL, BACKOFFICE)):
        return await forward("bookings", "POST", f"/bookings/{booking_id}/cancel", who)

    return api
