"""The gateway's routes for managing equipment and the loans desk
(services/gateway/routes/loans.py): who may call them and what reaches the loans service.
The gateway runs in-process against a recording upstream."""

from services.gateway.tests.conftest import login, running

KIT = {
    "id": "tft-vr-004",
    "asset_tag": "TFT-VR-004",
    "category": "vr-headset",
    "name": "VR-brillen klassenset",
    "quantity": 16,
    "location": "Hotspot",
}


async def test_only_the_backoffice_adds_and_changes_equipment(echo, calls):
    async with running(echo) as client:
        school, backoffice = await login(client, "corlaer"), await login(client, "backoffice")
        refused = [
            await client.post("/api/v1/equipment", json=KIT, headers=school),
            await client.patch(
                "/api/v1/equipment/tft-vr-004", json={"quantity": 15}, headers=school
            ),
            await client.get("/api/v1/overdue-loans", headers=school),
        ]
        bad = await client.post("/api/v1/equipment", json=KIT | {"quantity": 0}, headers=backoffice)
        made = await client.post("/api/v1/equipment", json=KIT, headers=backoffice)
        changed = await client.patch(
            "/api/v1/equipment/tft-vr-004", json={"quantity": 15}, headers=backoffice
        )
    assert [a.status_code for a in refused] == [403, 403, 403]
    assert (bad.status_code, made.status_code, changed.status_code) == (422, 200, 200)
    assert [(c.method, c.url.path) for c in calls] == [
        ("POST", "/items"),
        ("PATCH", "/items/tft-vr-004"),
    ]


async def test_the_desk_filters_reach_loans_and_a_school_filters_only_its_own(echo, calls):
    desk = {"status": "overdue", "item_id": "tft-drn-001", "from": "2028-01-01", "to": "2028-01-31"}
    async with running(echo) as client:
        school = await login(client, "corlaer")
        backoffice = await client.get(
            "/api/v1/reservations",
            headers=await login(client, "backoffice"),
            params=desk | {"school_id": "nxt"},
        )
        own = await client.get("/api/v1/reservations", params=desk, headers=school)
        other = await client.get(
            "/api/v1/reservations", params={"school_id": "nxt"}, headers=school
        )
        wrong = await client.get("/api/v1/reservations", params={"status": "kwijt"}, headers=school)
    assert [a.status_code for a in (backoffice, own, other, wrong)] == [200, 200, 403, 422]
    assert [dict(c.url.params) for c in calls] == [
        {"limit": "50", "offset": "0", **desk, "school_id": "nxt"},
        {"limit": "50", "offset": "0", **desk, "school_id": "corlaer"},
    ]
