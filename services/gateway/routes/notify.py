"""The caller's in-app notifications and preferences; failed notifications for the backoffice;
announcements by the backoffice and programme management (notify service)."""

from uuid import UUID

from fastapi import APIRouter

from services.gateway.auth import BACKOFFICE, PROGRAMME, Principal
from services.gateway.routes.common import Gate, Page, as_json, router
from shared.contracts.requests.notify import AnnouncementIn, PreferencesIn


def routes(gate: Gate) -> APIRouter:
    api, forward = router(), gate.forward
    announcer = gate.guard(BACKOFFICE, PROGRAMME)

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
        return await forward("notify", "PUT", "/notifications/preferences", who, body=as_json(body))

    @api.post("/notifications/{notification_id}/read", tags=["notifications"])
    async def mark_read(notification_id: UUID, who: Principal = gate.anyone):
        return await forward("notify", "POST", f"/notifications/{notification_id}/read", who)

    @api.post("/announcements", status_code=201, tags=["notifications"])
    async def announce(body: AnnouncementIn, who: Principal = announcer):
        """The newsletter or a call for projects, to every active person of the chosen
        organisations and kinds of organisation (all when neither is chosen) who has one of
        the chosen roles (any when none is chosen): in their inbox always, and by e-mail
        (or push) unless they opted out of announcements. Answers with the recipient count."""
        return await forward("notify", "POST", "/announcements", who, body=as_json(body))

    @api.get("/announcements", tags=["notifications"])
    async def announcements(paging: Page, who: Principal = announcer):
        """The announcements sent, latest first, each with its recipients and their messages
        counted by delivery state."""
        return await forward("notify", "GET", "/announcements", who, params=paging)

    return api
