"""The backoffice manages events and equipment end to end through the gateway, on
PostgreSQL and a real Kafka broker, and the people concerned read what they need: a school
its registration, a company who comes to the sessions it hosts, the loans desk its list."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
import pytest

from tests.harness import Platform

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)


def test_an_event_planned_by_the_backoffice_is_registered_for_and_its_host_sees_who_comes(
    platform: Platform,
):
    backoffice, corlaer = platform.token("backoffice"), platform.token("corlaer")
    company = platform.token("voorbeeld-bouw")
    starts = NOW + timedelta(days=60)
    title = f"Girls Day {uuid4().hex[:6]}"
    event = httpx.post(
        f"{platform.gateway}/events",
        headers=backoffice,
        json={
            "title": title,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=6)).isoformat(),
            "audience": ["vmbo-kb"],
            "capacity": 60,
            "location": "Hotspot T is for Tech",
        },
    )
    refused = httpx.post(f"{platform.gateway}/events", headers=corlaer, json={})
    assert (event.status_code, refused.status_code) == (201, 403), event.text
    event_id = event.json()["id"]
    sessions = [
        httpx.post(
            f"{platform.gateway}/events/{event_id}/sessions",
            headers=backoffice,
            json={
                "title": f"Workshop bij {host}",
                "host_kind": "company",
                "host": host,
                "host_name": host,
                "capacity": 30,
                "audience": ["vmbo-kb"],
                "opens_at": (NOW - timedelta(days=1)).isoformat(),
                "closes_at": (starts - timedelta(days=7)).isoformat(),
                "location": f"Werkplaats {host}",
            },
        )
        for host in ("voorbeeld-bouw", "voorbeeld-metaal")
    ]
    assert [s.status_code for s in sessions] == [201, 201], sessions[0].text
    own = sessions[0].json()["id"]

    registered = httpx.post(
        f"{platform.gateway}/registrations",
        headers=corlaer,
        json={
            "session_id": own,
            "group": {"name": "3B", "level": "vmbo-kb", "year": 3, "students": 24},
        },
    )
    host_view = httpx.get(f"{platform.gateway}/events/{event_id}/registrations", headers=company)
    school_view = httpx.get(f"{platform.gateway}/events/{event_id}/registrations", headers=corlaer)

    assert registered.status_code == 201, registered.text
    assert (registered.json()["event_title"], registered.json()["location"]) == (
        title,
        "Werkplaats voorbeeld-bouw",
    )
    assert (host_view.status_code, school_view.status_code) == (200, 403)
    [session] = host_view.json()["sessions"]
    assert session["id"] == own
    assert [
        (r["school_id"], r["group"]["students"], r["status"]) for r in session["registrations"]
    ] == [("corlaer", 24, "confirmed")]


def test_equipment_added_by_the_backoffice_is_reserved_and_found_at_the_loans_desk(
    platform: Platform,
):
    backoffice, corlaer = platform.token("backoffice"), platform.token("corlaer")
    own = uuid4().hex[:8]
    item = {
        "id": f"tft-vr-{own}",
        "asset_tag": f"TFT-VR-{own}",
        "category": "vr-headset",
        "name": "VR-brillen klassenset",
        "quantity": 16,
        "location": "Hotspot",
    }
    added = httpx.post(f"{platform.gateway}/equipment", headers=backoffice, json=item)
    by_school = httpx.post(f"{platform.gateway}/equipment", headers=corlaer, json=item)
    assert (added.status_code, by_school.status_code) == (201, 403), added.text
    first = (NOW + timedelta(days=30)).date()
    reserved = httpx.post(
        f"{platform.gateway}/reservations",
        headers=corlaer,
        json={
            "item_id": item["id"],
            "starts_on": first.isoformat(),
            "ends_on": (first + timedelta(days=2)).isoformat(),
            "quantity": 10,
        },
    )
    assert reserved.status_code == 201, reserved.text

    fewer = httpx.patch(
        f"{platform.gateway}/equipment/{item['id']}", headers=backoffice, json={"quantity": 8}
    )
    desk = httpx.get(
        f"{platform.gateway}/reservations",
        headers=backoffice,
        params={"status": "reserved", "item_id": item["id"], "school_id": "corlaer"},
    )

    assert fewer.status_code == 409
    [shown] = desk.json()
    assert (shown["id"], shown["item_name"], shown["item_category"], shown["desk_status"]) == (
        reserved.json()["id"],
        "VR-brillen klassenset",
        "vr-headset",
        "reserved",
    )
