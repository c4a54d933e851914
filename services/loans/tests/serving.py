"""The loans API in process on a migrated store, for the API tests: callers and items."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import httpx
from fastapi import FastAPI

from services.loans.app import SPEC
from services.loans.domain import ItemStatus
from services.loans.settings import LoansSettings
from services.loans.store import Item
from shared.service import create_app
from shared.store.migrations import upgrade
from shared.tests.callers import TRUST_TEST_KEY, as_caller

CORLAER = as_caller("loans", "school", "corlaer")
NXT = as_caller("loans", "school", "nxt")
BACKOFFICE = as_caller("loans", "backoffice", "backoffice")


def item(item_id: str, category: str, quantity: int) -> Item:
    return Item(
        id=item_id,
        asset_tag=item_id.upper(),
        category=category,
        name=item_id,
        quantity=quantity,
        location="Hotspot",
        condition="goed",
        status=ItemStatus.AVAILABLE,
        loanable=True,
    )


@asynccontextmanager
async def serving(
    url: str, items: list[Item], today: date
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app on `url`, migrated (so the migrations run on its store too), holding `items`,
    with "today" pinned; no lifespan: the routes need only the store, not the broker."""
    await asyncio.to_thread(upgrade, "loans", url)  # it runs a loop of its own
    app = create_app(
        SPEC, LoansSettings(service="loans", database_url=url, loans_today=today, **TRUST_TEST_KEY)
    )
    async with app.state.runtime.db.transaction() as tx:
        tx.add_all(items)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://loans") as http:
            yield app, http
    finally:
        await app.state.runtime.db.dispose()
