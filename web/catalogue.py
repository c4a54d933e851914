"""The offer and the region's organisations as the pages need them, read through the gateway."""

import asyncio
import time
from typing import Any
from urllib.parse import quote

from web.gateway import Gateway
from web.views import SessionRow

MAX_OFFERS = 500  # the API's page limit; the hotspot's offer is far smaller
# The region's schools change a few times a year: one read serves everyone for a while.
NAMES_MAX_AGE_SECONDS = 300.0
# The directory's kinds of organisation that are schools.
SCHOOL_KINDS = frozenset({"po", "vmbo", "pro", "vso", "havo", "mbo"})


class Catalogue:
    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway
        self._organisations: dict[str, dict[str, Any]] = {}
        self._organisations_read_at = float("-inf")

    async def offers(self, token: str) -> list[dict[str, Any]]:
        return await self._gateway.get(token, "/offerings", {"limit": MAX_OFFERS})

    async def offer(self, token: str, offer_id: str) -> dict[str, Any] | None:
        return next((o for o in await self.offers(token) if o["id"] == offer_id), None)

    async def offer_and_sessions(
        self, token: str, offer_id: str
    ) -> tuple[dict[str, Any], list[SessionRow]]:
        """One offer and its sessions, asked at once; an unknown offer is the API's 404
        (also what a school is told of a company's proposal)."""
        return await asyncio.gather(
            self._gateway.get(token, f"/offerings/{quote(offer_id)}"),
            self.sessions(token, offer_id),
        )

    async def sessions(self, token: str, offer_id: str) -> list[SessionRow]:
        rows = await self._gateway.get(token, f"/offerings/{offer_id}/sessions")
        return [SessionRow.of(s) for s in rows]

    async def organisations(self, token: str) -> dict[str, dict[str, Any]]:
        """The region's organisations (schools, companies, ...) by id, sorted by name."""
        if time.monotonic() - self._organisations_read_at > NAMES_MAX_AGE_SECONDS:
            found = await self._gateway.get(token, "/organisations", {"limit": 500})
            self._organisations = {o["id"]: o for o in sorted(found, key=lambda o: o["name"])}
            self._organisations_read_at = time.monotonic()
        return self._organisations

    async def school_names(self, token: str) -> dict[str, str]:
        """The schools' names by id, sorted by name."""
        return {
            key: o["name"]
            for key, o in (await self.organisations(token)).items()
            if o["kind"] in SCHOOL_KINDS
        }
