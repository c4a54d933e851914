"""The caller's in-app notifications and preferences; failed notifications for the backoffice
(notify service)."""

from uuid import UUID

from fastapi import APIRouter

from services.gateway.auth import Principal
from services.gateway.routes.common import Gate, Page, as_json, router
from shared.contracts.requests.notify import PreferencesIn


def routes(gate: Gate) -> APIRouter:
    api, forward = router(), gate.forward

    @api.get("/notifications", tags=["notifications"])
    async def notifications(paging: Page, who: Principal = gate.anyone):
        return await forward("notify", "GET", "/notifications", who, params=paging)

    @api.get("/notifications/failed", tags=["notifications"])
    async def failed_notifications(paging: Page, who: Principal = gate.backoffice):
        return await forward("notify", "GET", "/notifications/failed", who, params=paging)

    @api.get("/notifications/preferences", tags=["notifications"])
    async def preferences(who: Principal = gate.anyone):
        return await forward("notify", "GET", "/notifications/preferences", who)

    @api.put("/notifications/preferences", tags=["notifications"])
    async def set_preferences(body: PreferencesIn, who: Principal = gate.anyone):
        return await forward("notify", "PUT", "/notifications/preferences", who,
                             body=as_json(body))

    @api.post("/notifications/{notification_id}/read", tags=["notifications"])
    async def mark_read(notification_id: UUID, who: Principal = gate.anyone):
        return await forward("notify", "POST", f"/notifications/{notification_id}/read", who)

    return api
