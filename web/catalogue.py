"""The offer as the pages need it, read through the gateway.

Bookings name only their session, and the API has no lookup of a session by id, so the
pages that list bookings use an index of all sessions (session id -> offer and session),
kept for a minute and read again when it does not know a session. The offer is the same
for everyone, so one index serves all people signed in.
"""

import asyncio
import time
from typing import Any

from web.gateway import Gateway
from web.views import SessionRow

Index = dict[str, tuple[dict[str, Any], SessionRow]]
MAX_OFFERS = 500  # the API's page limit; the hotspot's offer is far smaller


class Catalogue:
    def __init__(self, gateway: Gateway, max_age_seconds: float = 60.0) -> None:
        self._gateway, self._max_age = gateway, max_age_seconds
        self._index: Index = {}
        self._read_at = float("-inf")

    async def offers(self, token: str) -> list[dict[str, Any]]:
        return await self._gateway.get(token, "/offerings", {"limit": MAX_OFFERS})

    async def offer(self, token: str, offer_id: str) -> dict[str, Any] | None:
        return next((o for o in await self.offers(token) if o["id"] == offer_id), None)

    async def sessions(self, token: str, offer_id: str) -> list[SessionRow]:
        rows = await self._gateway.get(token, f"/offerings/{offer_id}/sessions")
        return [SessionRow.of(s) for s in rows]

    async def index(self, token: str, wanted: set[str]) -> Index:
        """Sessions by id; read again when old or when it lacks one of `wanted`."""
        stale = time.monotonic() - self._read_at > self._max_age
        if stale or not wanted <= self._index.keys():
            offers = await self.offers(token)
            per_offer = await asyncio.gather(*(self.sessions(token, o["id"]) for o in offers))
            self._index = {s.id: (o, s) for o, rows in zip(offers, per_offer, strict=True)
                           for s in rows}
            self._read_at = time.monotonic()
        return self._index
