"""Property: whatever lines schools put on their declarations (hours, material, co-financing,
corrections), the sum of the lines = the declarations' totals = the reports' totals, read
through the internal API from a migrated SQLite store."""

import asyncio
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.finance import api, demo
from services.finance.store import messaging
from shared.clock import SYSTEM_CLOCK
from shared.messaging.outbox import Outbox
from shared.store.db import Database, create_engine
from shared.tests.callers import as_caller, service_app

SCHOOLS = ("corlaer", "element")
QUARTERS = ("2026-Q3", "2026-Q4")
FINANCE = as_caller("finance", "finance", "finance", "fatima")


def school(school_id: str) -> dict[str, str]:
    return as_caller("finance", "school", school_id, f"coordinator-{school_id}")


line_bodies = st.one_of(
    st.builds(
        lambda task, cents: {
            "kind": "material",
            "core_task": task,
            "description": "Mat",
            "amount_cents": cents,
            "supplier": "S",
            "invoice_reference": "F",
        },
        st.sampled_from("ABCDE"),
        st.integers(1, 10**7),
    ),
    st.builds(
        lambda task, minutes: {
            "kind": "hours",
            "core_task": task,
            "description": "Uren",
            "role": "teacher",
            "minutes": minutes,
        },
        st.sampled_from("ABCDE"),
        st.integers(1, 10_000),
    ),
    st.builds(
        lambda task, cents: {
            "kind": "cofinancing",
            "core_task": task,
            "description": "Bijdrage",
            "company": "voorbeeld-bouw",
            "form": "cash",
            "amount_cents": cents,
        },
        st.sampled_from("ABCDE"),
        st.integers(1, 10**7),
    ),
)
# (school, quarter, line, correction as a fraction of the line taken off, or none)
entries = st.lists(
    st.tuples(
        st.sampled_from(SCHOOLS),
        st.sampled_from(QUARTERS),
        line_bodies,
        st.one_of(st.none(), st.fractions(0, 1)),
    ),
    min_size=1,
    max_size=12,
)


async def scenario(database: Path, entries) -> None:
    db = Database(create_engine(f"sqlite+aiosqlite:///{database}"))
    rt = SimpleNamespace(
        db=db, outbox=Outbox(messaging.outbox, source="/tft/finance"), clock=SYSTEM_CLOCK
    )
    app = service_app("finance", api.routes, rt)
    try:
        await demo.load(rt)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://finance"
        ) as client:
            await client.put("/rates/teacher", json={"hourly_rate_cents": 5_001}, headers=FINANCE)
            added = []
            for school_id, quarter, body, taken_off in entries:
                declaration = (
                    await client.post(
                        "/declarations", json={"quarter": quarter}, headers=school(school_id)
                    )
                ).json()["id"]
                line = (
                    await client.post(
                        f"/declarations/{declaration}/lines", json=body, headers=school(school_id)
                    )
                ).json()
                added.append(line["amount_cents"])
                if taken_off is not None and int(line["amount_cents"] * taken_off):
                    cents = -int(line["amount_cents"] * taken_off)
                    made = await client.post(
                        f"/declarations/{declaration}/corrections",
                        headers=school(school_id),
                        json={
                            "corrects_line_id": line["id"],
                            "amount_cents": cents,
                            "description": "Fout",
                        },
                    )
                    assert made.status_code == 201, made.text
                    added.append(cents)
            await check(client, sum(added))
    finally:
        await db.dispose()


async def check(client: httpx.AsyncClient, lines_total: int) -> None:
    declarations = (await client.get("/declarations", headers=FINANCE)).json()
    assert sum(d["total_cents"] for d in declarations) == lines_total
    for summary in declarations:
        full = (await client.get(f"/declarations/{summary['id']}", headers=FINANCE)).json()
        assert (
            full["total_cents"]
            == summary["total_cents"]
            == sum(line["amount_cents"] for line in full["lines"])
            == sum(full["totals_per_core_task"].values())
        )
        assert full["total_cents"] == full["payable_cents"] + full["cofinancing_cents"]
    quarters = [
        (await client.get("/reports/quarter", params={"quarter": q}, headers=FINANCE)).json()[
            "totals"
        ]["total_cents"]
        for q in QUARTERS
    ]
    assert sum(quarters) == lines_total
    year = {"year": 2026, "on": "2026-12-31"}
    for name, column in (("budget", "declared_cents"), ("dusi", "declared_cents")):
        report = (await client.get(f"/reports/{name}", params=year, headers=FINANCE)).json()
        assert report["totals"][column] == lines_total


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=entries)
def test_lines_declarations_and_reports_always_reconcile(migrated, entries):
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(shutil.copy(migrated, Path(scratch) / "finance.db"))
        asyncio.run(scenario(database, entries))
