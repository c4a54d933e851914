"""The offer as the pages need it, read through the gateway."""

from typing import Any

from web.gateway import Gateway
from web.views import SessionRow

MAX_OFFERS = 500  # the API's page limit; the hotspot's offer is far smaller


class Catalogue:
    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway

    async def offers(self, token: str) -> list[dict[str, Any]]:
        return await self._gateway.get(token, "/offerings", {"limit": MAX_OFFERS})

    async def offer(self, token: str, offer_id: str) -> dict[str, Any] | None:
        return next((o for o in await self.offers(token) if o["id"] == offer_id), None)

    async def sessions(self, token: str, offer_id: str) -> list[SessionRow]:
        rows = await self._gateway.get(token, f"/offerings/{offer_id}/sessions")
        return [SessionRow.of(s) for s in rows]
