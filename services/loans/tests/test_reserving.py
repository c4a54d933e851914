"""Reserving, extending and cancelling through the loans API on a migrated SQLite store,
with "today" pinned before the days reserved."""

from datetime import date

import pytest

from services.loans.tests.serving import BACKOFFICE, CORLAER, NXT, item, serving

TODAY = date(2028, 1, 2)


@pytest.fixture
async def client(tmp_path):
    items = [
        item("tft-drn-001", "drone", 1),
        item("tft-drn-002", "drone", 1),
        item("tft-h2-001", "hydrogen-car", 1),
        item("tft-rob-001", "robot", 12),
    ]
    async with serving(f"sqlite+aiosqlite:///{tmp_path / 'loans.db'}", items, TODAY) as (_, http):
        yield http


async def _reserve(client, item_id: str, first: int, last: int, headers=CORLAER, **more):
    return await client.post(
        "/reservations",
        headers=headers,
        json={
            "item_id": item_id,
            "starts_on": f"2028-01-{first:02d}",
            "ends_on": f"2028-01-{last:02d}",
            **more,
        },
    )


async def test_a_school_reserves_far_ahead_and_the_item_is_taken(client):
    made = await _reserve(client, "tft-h2-001", 10, 12)
    assert made.status_code == 201, made.text
    assert made.json() | {"id": None, "created_at": None} == {
        "id": None,
        "item_id": "tft-h2-001",
        "school_id": "corlaer",
        "quantity": 1,
        "starts_on": "2028-01-10",
        "ends_on": "2028-01-12",
        "booking_id": None,
        "session_id": None,
        "status": "reserved",
        "created_at": None,
        "checked_out_at": None,
        "checkout_note": None,
        "returned_at": None,
        "return_condition": None,
        "overdue_notified_at": None,
        "item_name": "tft-h2-001",
        "item_category": "hydrogen-car",
        "desk_status": "reserved",
        "days_overdue": 0,
        "reserved_by": "corlaer",
    }
    free = await client.get(
        "/items/tft-h2-001/availability?from=2028-01-12&to=2028-01-13", headers=NXT
    )
    assert free.json()["free"] == 0


async def test_a_taken_item_offers_the_first_later_start_of_the_same_length(client):
    await _reserve(client, "tft-h2-001", 10, 12)
    refused = await _reserve(client, "tft-h2-001", 11, 11, headers=NXT)
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["alternative"] == {
        "item_id": "tft-h2-001",
        "starts_on": "2028-01-13",
        "ends_on": "2028-01-13",
    }


async def test_a_taken_item_offers_another_of_its_category(client):
    await _reserve(client, "tft-drn-001", 10, 12)
    refused = await _reserve(client, "tft-drn-001", 12, 14, headers=NXT)
    assert refused.status_code == 409
    assert refused.json()["alternative"] == {
        "item_id": "tft-drn-002",
        "starts_on": "2028-01-12",
        "ends_on": "2028-01-14",
    }


async def test_kit_units_are_reserved_up_to_what_exists(client):
    assert (await _reserve(client, "tft-rob-001", 5, 5, quantity=8)).status_code == 201
    refused = await _reserve(client, "tft-rob-001", 5, 6, headers=NXT, quantity=5)
    assert refused.status_code == 409 and "maar 4 stuk(s) vrij" in refused.json()["detail"]
    assert (await _reserve(client, "tft-rob-001", 5, 6, headers=NXT, quantity=4)).is_success


async def test_the_backoffice_reserves_for_a_named_school(client):
    made = await _reserve(client, "tft-drn-001", 3, 4, headers=BACKOFFICE, school_id="trivium")
    assert made.status_code == 201 and made.json()["school_id"] == "trivium"
    unnamed = await _reserve(client, "tft-drn-002", 3, 4, headers=BACKOFFICE)
    assert unnamed.status_code == 422


async def test_an_extension_is_granted_only_while_nothing_conflicts(client):
    mine = (await _reserve(client, "tft-h2-001", 10, 12)).json()["id"]
    await _reserve(client, "tft-h2-001", 15, 16, headers=NXT)
    extended = await client.post(
        f"/reservations/{mine}/extend", headers=CORLAER, json={"ends_on": "2028-01-14"}
    )
    assert extended.status_code == 200 and extended.json()["ends_on"] == "2028-01-14"
    clash = await client.post(
        f"/reservations/{mine}/extend", headers=CORLAER, json={"ends_on": "2028-01-15"}
    )
    assert clash.status_code == 409


async def test_a_school_changes_only_its_own_reservations(client):
    mine = (await _reserve(client, "tft-h2-001", 10, 12)).json()["id"]
    for action, body in (("extend", {"ends_on": "2028-01-20"}), ("cancel", None)):
        answer = await client.post(f"/reservations/{mine}/{action}", headers=NXT, json=body)
        assert answer.status_code == 404
    listed = await client.get("/reservations", headers=NXT)
    assert listed.json() == []


async def test_a_cancelled_reservation_frees_the_item(client):
    mine = (await _reserve(client, "tft-h2-001", 10, 12)).json()["id"]
    cancelled = await client.post(f"/reservations/{mine}/cancel", headers=CORLAER)
    assert cancelled.json()["status"] == "released"
    assert (await _reserve(client, "tft-h2-001", 10, 12, headers=NXT)).status_code == 201
    again = await client.post(f"/reservations/{mine}/cancel", headers=CORLAER)
    assert again.status_code == 409


async def test_availability_lists_free_units_per_item_of_a_category(client):
    await _reserve(client, "tft-drn-001", 10, 12)
    listed = await client.get(
        "/availability?category=drone&from=2028-01-11&to=2028-01-11", headers=NXT
    )
    assert [(a["item_id"], a["free"]) for a in listed.json()] == [
        ("tft-drn-001", 0),
        ("tft-drn-002", 1),
    ]
