"""CPU per request of the bookings service in one process, one request at a time.

    python -m bench.inprocess [--requests N] [--store URL]

On a machine others share, requests per second measure the neighbours; the CPU this
process spends per request does not, much. The bookings app (demo data, the relay off)
answers `POST /bookings` and `GET /offerings?limit=50` through its whole ASGI stack
(middleware, FastAPI, SQLAlchemy, the driver) from an in-process client, whose own cost is
the same for any version of the service: run it on two checkouts to compare them.
Without --store it starts PostgreSQL of its own (TFT_BENCH_POSTGRES_PORT, TFT_BENCH_HOME).
"""

import argparse
import asyncio
import json
import time
from datetime import UTC, datetime
from uuid import uuid4

import httpx

from services.bookings import catalogue
from services.bookings.app import SPEC
from services.bookings.settings import BookingsSettings
from services.bookings.store import Offering
from services.bookings.tests.scenario import BACKOFFICE, group, two_hours_on_an_open_day
from shared.observability.logging import configure_logging
from shared.service import create_app
from shared.store.migrations import upgrade
from shared.tests.callers import TRUST_TEST_KEY, as_caller

AS_SCHOOL = as_caller("bookings", "school", "corlaer")


async def measure(url: str, requests: int) -> dict:
    app = create_app(
        SPEC,
        BookingsSettings(
            service="bookings", database_url=url, outbox_relay=False, demo=True, **TRUST_TEST_KEY
        ),
    )
    rt = app.state.runtime
    assert SPEC.seed is not None, "bookings seeds its demo calendar"
    await SPEC.seed(rt)
    offering = Offering(
        id=f"bench-{uuid4().hex[:8]}",
        kind="inspiration_lesson",
        title="Bench",
        audience=["vmbo-kb"],
        profile=None,
        location="Hotspot",
        equipment=[],
    )
    await catalogue.publish_offering(rt, BACKOFFICE, offering, [])
    starts, ends = two_hours_on_an_open_day(days_ahead=60)
    session = await catalogue.plan_session(
        rt, BACKOFFICE, offering.id, starts, ends, "Bench", "Bench", 1_000_000
    )
    booking = {"session_id": str(session.id), "group": group(1).model_dump()}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://b", headers=AS_SCHOOL
    ) as http:
        figures = {
            "booking_cpu_ms": await _cpu_ms(
                lambda: http.post("/bookings", json=booking), 201, requests
            ),
            "offerings_cpu_ms": await _cpu_ms(
                lambda: http.get("/offerings", params={"limit": 50}), 200, requests
            ),
            "hello_cpu_ms": await _cpu_ms(lambda: http.get("/healthz"), 200, requests),
        }
    await rt.db.dispose()
    return figures


async def _cpu_ms(call, status: int, requests: int) -> float:
    for _ in range(max(requests // 10, 5)):  # warm the caches: compiled SQL, statements
        assert (await call()).status_code == status
    started = time.process_time()
    for _ in range(requests):
        answer = await call()
        assert answer.status_code == status, answer.text
    return round(1000 * (time.process_time() - started) / requests, 3)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--store", help="a database URL (default: a PostgreSQL of its own)")
    args = parser.parse_args()
    configure_logging("bench", "WARNING")
    postgres = None
    url = args.store
    if url is None:
        from bench.infra import HOME, POSTGRES_PORT
        from ops.postgres import PostgresCluster

        postgres = PostgresCluster(HOME / "postgres-inprocess", port=POSTGRES_PORT)
        postgres.ensure_installed()
        postgres.init()
        postgres.start()
        postgres.wait_ready()
        postgres.drop_database("bench_inprocess")
        postgres.create_database("bench_inprocess")
        url = postgres.url("bench_inprocess")
    try:
        upgrade("bookings", url)
        figures = asyncio.run(measure(url, args.requests))
    finally:
        if postgres is not None:
            postgres.stop()
    print(json.dumps(figures | {"measured_at": datetime.now(UTC).isoformat(timespec="seconds")}))


if __name__ == "__main__":
    main()
