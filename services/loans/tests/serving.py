"""The loans service in tests: its items, and its API in process on a migrated store."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import httpx
from fastapi import FastAPI

from services.loans.app import SPEC
from services.loans.domain import ItemStatus
from services.loans.store import Item
from shared.service import Runtime
from shared.tests.callers import as_caller
from shared.tests.runtime import client, migrated_app

CORLAER = as_caller("loans", "school", "corlaer")
NXT = as_caller("loans", "school", "nxt")
BACKOFFICE = as_caller("loans", "backoffice", "backoffice")


def item(item_id: str, category: str, quantity: int) -> Item:
    """An item (a kit of `quantity` units) in good order, at the hotspot, to lend."""
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


async def stock(rt: Runtime, items: list[Item]) -> None:
    async with rt.db.transaction() as tx:
        tx.add_all(items)


async def stocked_app(url: str, items: list[Item], today: date) -> FastAPI:
    """The app on `url`, migrated (so the migrations run on its store too), holding `items`,
    with "today" pinned; not started: the routes need only the store, not the broker."""
    app = await migrated_app(SPEC, url, loans_today=today)
    await stock(app.state.runtime, items)
    return app


@asynccontextmanager
async def serving(
    url: str, items: list[Item], today: date
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """`stocked_app` and a client of it."""
    app = await stocked_app(url, items, today)
    try:
        async with client(app, "loans") as http:
            yield app, http
    finally:
        await app.state.runtime.db.dispose()
