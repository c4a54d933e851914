"""The caller's in-app notifications (notify service)."""

from fastapi import APIRouter

from services.gateway.auth import Principal
from services.gateway.routes.common import Gate, Page, router


def routes(gate: Gate) -> APIRouter:
    api, forward = router(), gate.forward

    @api.get("/notifications", tags=["notifications"])
    async def notifications(paging: Page, who: Principal = gate.anyone):
        return await forward("notify", "GET", "/notifications", who, params=paging)

    return api
