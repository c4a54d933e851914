"""The backoffice manages items and kits and works the loans desk through the loans
service's HTTP API, on a real, migrated PostgreSQL store; "today" is pinned per app, so
one store is read on two days."""

from datetime import date

import httpx
import pytest

from services.loans.app import SPEC
from shared.service import create_app
from shared.tests import runtime
from shared.tests.callers import as_caller
from shared.tests.runtime import migrate, settings_for

pytestmark = pytest.mark.integration

TODAY = date(2028, 1, 11)
LATER = date(2028, 1, 20)
BACKOFFICE = as_caller("loans", "backoffice", "backoffice")
CORLAER = as_caller("loans", "school", "corlaer")
NXT = as_caller("loans", "school", "nxt")
VR_KIT = {
    "id": "tft-vr-004",
    "asset_tag": "TFT-VR-004",
    "category": "vr-headset",
    "name": "VR-brillen klassenset",
    "quantity": 16,
    "location": "Hotspot",
}
DRONE = {
    "id": "tft-drn-009",
    "asset_tag": "TFT-DRN-009",
    "category": "drone",
    "name": "Drone met camera",
    "location": "Hotspot",
}


@pytest.fixture
async def url(fresh_database) -> str:
    return await migrate("loans", fresh_database("tft_loans_inventory"))


@pytest.fixture
async def on_day(url):
    """`on_day(day)`: a client of the loans API whose today is `day`, on the one store."""
    apps = []

    async def client(day: date) -> httpx.AsyncClient:
        app = create_app(SPEC, settings_for(SPEC, url, loans_today=day))
        apps.append(app)
        return runtime.client(app, "loans")

    yield client
    for app in apps:
        await app.state.runtime.db.dispose()


async def staged(client: httpx.AsyncClient, event_type: str) -> list[dict]:
    app = client._transport.app  # noqa: SLF001
    return await runtime.staged(app.state.runtime, f"nl.tisfortech.loans.{event_type}.v1")


async def reserve(
    client, item_id: str, first: int, last: int, quantity: int = 1, headers=CORLAER
) -> str:
    made = await client.post(
        "/reservations",
        headers=headers,
        json={
            "item_id": item_id,
            "starts_on": f"2028-01-{first:02d}",
            "ends_on": f"2028-01-{last:02d}",
            "quantity": quantity,
        },
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


async def test_the_backoffice_adds_a_kit_and_a_school_may_not(on_day):
    client = await on_day(TODAY)
    added = await client.post("/items", json=VR_KIT, headers=BACKOFFICE)
    again = await client.post("/items", json=VR_KIT | {"id": "tft-vr-005"}, headers=BACKOFFICE)
    by_school = await client.post("/items", json=DRONE, headers=CORLAER)
    assert (added.status_code, again.status_code, by_school.status_code) == (201, 409, 403)
    assert (added.json()["status"], added.json()["quantity"]) == ("available", 16)
    assert again.json()["detail"] == "Er is al een item met dit id of dit inventarisnummer."
    [registered] = await staged(client, "item.registered")
    assert (registered["item_id"], registered["quantity"]) == ("tft-vr-004", 16)


async def test_a_kit_keeps_the_units_reserved_and_a_change_is_told(on_day):
    client = await on_day(TODAY)
    await client.post("/items", json=VR_KIT, headers=BACKOFFICE)
    await reserve(client, "tft-vr-004", 12, 14, quantity=10)
    await reserve(client, "tft-vr-004", 13, 15, quantity=5, headers=NXT)

    below = await client.patch("/items/tft-vr-004", json={"quantity": 14}, headers=BACKOFFICE)
    kept = await client.patch(
        "/items/tft-vr-004",
        headers=BACKOFFICE,
        json={"quantity": 15, "name": "VR-brillen (Quest 3)"},
    )
    unknown = await client.patch("/items/geen-item", json={"quantity": 1}, headers=BACKOFFICE)

    assert (below.status_code, kept.status_code, unknown.status_code) == (409, 200, 404)
    assert below.json()["detail"].startswith("Er zijn 15 eenheden uitgeleend of gereserveerd")
    assert (kept.json()["quantity"], kept.json()["name"]) == (15, "VR-brillen (Quest 3)")
    [changed] = await staged(client, "item.changed")
    assert (changed["quantity"], sorted(changed["changed"])) == (15, ["name", "quantity"])


async def test_an_item_schools_reserved_stays_lendable_and_one_out_is_not_retired(on_day):
    client = await on_day(TODAY)
    await client.post("/items", json=DRONE, headers=BACKOFFICE)
    loan = await reserve(client, "tft-drn-009", 11, 12)
    stationary = await client.patch(
        "/items/tft-drn-009", json={"loanable": False}, headers=BACKOFFICE
    )
    await client.post(f"/reservations/{loan}/check-out", json={}, headers=BACKOFFICE)
    out = await client.post("/items/tft-drn-009/retire", headers=BACKOFFICE)
    await client.post(
        f"/reservations/{loan}/return", json={"condition": "goed"}, headers=BACKOFFICE
    )
    retired = await client.post("/items/tft-drn-009/retire", headers=BACKOFFICE)
    after = await client.patch("/items/tft-drn-009", json={"name": "Oud"}, headers=BACKOFFICE)
    assert [a.status_code for a in (stationary, out, retired, after)] == [409, 409, 200, 409]
    assert [r["item_id"] for r in await staged(client, "item.retired")] == ["tft-drn-009"]


async def test_the_loans_desk_filters_by_status_item_school_and_period(on_day):
    client = await on_day(TODAY)
    for body in (VR_KIT, DRONE):
        await client.post("/items", json=body, headers=BACKOFFICE)
    late = await reserve(client, "tft-drn-009", 11, 12)
    on_time = await reserve(client, "tft-vr-004", 11, 25, quantity=8, headers=NXT)
    ahead = await reserve(client, "tft-vr-004", 22, 23, quantity=4)
    for loan in (late, on_time):
        await client.post(f"/reservations/{loan}/check-out", json={}, headers=BACKOFFICE)
    desk = await on_day(LATER)

    async def ids(headers=BACKOFFICE, **params) -> list[str]:
        found = await desk.get("/reservations", params=params, headers=headers)
        assert found.status_code == 200, found.text
        return [r["id"] for r in found.json()]

    assert await ids(status="overdue") == [late]
    assert await ids(status="out") == [on_time]
    assert await ids(status="reserved") == [ahead]
    assert await ids(item_id="tft-vr-004") == [on_time, ahead]
    assert await ids(school_id="corlaer") == [late, ahead]
    assert await ids(**{"from": "2028-01-13", "to": "2028-01-21"}) == [on_time]
    assert await ids(headers=CORLAER, school_id="nxt") == [late, ahead]  # its own only
    bad = await desk.get("/reservations", params={"status": "kwijt"}, headers=BACKOFFICE)
    assert bad.status_code == 422


async def test_the_overdue_list_reads_what_a_person_needs_and_is_the_backoffices(on_day):
    client = await on_day(TODAY)
    await client.post("/items", json=DRONE, headers=BACKOFFICE)
    loan = await reserve(client, "tft-drn-009", 11, 12)
    await client.post(f"/reservations/{loan}/check-out", json={}, headers=BACKOFFICE)
    desk = await on_day(LATER)
    overdue = await desk.get("/overdue-loans", headers=BACKOFFICE)
    by_school = await desk.get("/overdue-loans", headers=CORLAER)
    [shown] = overdue.json()
    assert by_school.status_code == 403
    assert {
        k: shown[k]
        for k in (
            "id",
            "item_name",
            "item_category",
            "school_id",
            "starts_on",
            "ends_on",
            "status",
            "desk_status",
            "days_overdue",
        )
    } == {
        "id": loan,
        "item_name": "Drone met camera",
        "item_category": "drone",
        "school_id": "corlaer",
        "starts_on": "2028-01-11",
        "ends_on": "2028-01-12",
        "status": "checked_out",
        "desk_status": "overdue",
        "days_overdue": 8,
    }
