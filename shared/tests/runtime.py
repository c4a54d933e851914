"""One way for a test to build a service: its real `Runtime` (or app) from its spec, on a
store its migrations built. The relay is off and nothing is started (no broker, no
lifespan), so every event a use case stages stays in the outbox for the test to read, and
the service trusts the test key of `shared.tests.callers`. Dispose of `rt.db` when done."""

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from shared.service import Runtime, S, ServiceSpec, create_app
from shared.store.migrations import upgrade
from shared.tests.callers import TRUST_TEST_KEY


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def migrate(service: str, url: str) -> str:
    """Upgrade the store at `url` to the service's newest revision; return `url`."""
    await asyncio.to_thread(upgrade, service, url)  # Alembic runs an event loop of its own
    return url


def settings_for(spec: ServiceSpec[S], url: str, **overrides: Any) -> S:
    values = dict(service=spec.name, database_url=url, outbox_relay=False) | TRUST_TEST_KEY
    return spec.settings(**values | overrides)


def runtime_on(spec: ServiceSpec[S], url: str, **overrides: Any) -> Runtime[S]:
    """The service's runtime on a store that is migrated already."""
    return Runtime(spec, settings_for(spec, url, **overrides))


async def migrated_runtime(spec: ServiceSpec[S], url: str, **overrides: Any) -> Runtime[S]:
    return runtime_on(spec, await migrate(spec.name, url), **overrides)


async def migrated_app(spec: ServiceSpec[S], url: str, **overrides: Any) -> FastAPI:
    """The service's whole HTTP app (its runtime is `app.state.runtime`), not started."""
    return create_app(spec, settings_for(spec, await migrate(spec.name, url), **overrides))


def client(app: FastAPI, name: str = "service") -> httpx.AsyncClient:
    """An httpx client on the app in process; callers go in its headers (`as_caller`)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")


async def staged(rt: Runtime, event_type: str | None = None) -> list[dict]:
    """The payloads of the events staged in the outbox, in order; of one type if given."""
    outbox = rt.spec.messaging.outbox
    query = select(outbox.c.payload).order_by(outbox.c.seq)
    if event_type is not None:
        query = query.where(outbox.c.event_type == event_type)
    async with rt.db.sessions() as tx:
        return [json.loads(payload) for payload in await tx.scalars(query)]
