"""Finding things through the gateway on PostgreSQL and Kafka: the agenda shows the backoffice
every school's booking and another school none, and Mijn planning lists a school's booking and
equipment reservation of those days in one list by date."""

from datetime import date, timedelta
from uuid import uuid4

import httpx
import pytest

from tests.harness import Platform
from tests.test_first_flow import book, plan_session

pytestmark = pytest.mark.integration


def test_the_agenda_and_a_schools_planning(platform: Platform):
    session = plan_session(platform, days_ahead=40)
    booked = book(platform, "trivium", session["id"], students=12, name="2C")
    assert booked.status_code == 201, booked.text
    day = date.fromisoformat(session["starts_at"][:10])
    span = {"from": day.isoformat(), "to": day.isoformat()}
    # A category of its own: a new drone would free one for the saga's "no drone" test.
    item = f"tft-finding-{uuid4().hex[:8]}"
    added = httpx.post(f"{platform.gateway}/equipment", headers=platform.token("backoffice"),
                       json={"id": item, "asset_tag": item.upper(), "category": "finding-test",
                             "name": "Dronekit", "quantity": 1, "location": "Hotspot"})
    assert added.status_code == 201, added.text
    reserved = httpx.post(f"{platform.gateway}/reservations", headers=platform.token("trivium"),
                          json={"item_id": item, "starts_on": (day - timedelta(days=1)).isoformat(),
                                "ends_on": day.isoformat()})
    assert reserved.status_code == 201, reserved.text

    def agenda(user: str) -> dict:
        answer = httpx.get(f"{platform.gateway}/sessions", headers=platform.token(user),
                           params=span | {"room": session["room"]})
        assert answer.status_code == 200, answer.text
        [shown] = answer.json()
        return shown

    assert [(b["school_id"], b["group"]["name"]) for b in agenda("backoffice")["bookings"]] == [
        ("trivium", "2C")]
    assert agenda("lodenstein")["bookings"] == []

    planning = httpx.get(f"{platform.gateway}/planning", headers=platform.token("trivium"),
                         params={"from": (day - timedelta(days=1)).isoformat(),
                                 "to": day.isoformat()})
    assert planning.status_code == 200, planning.text
    ours = {i["id"]: i for i in planning.json()["items"]}
    assert planning.json()["missing"] == []
    assert [ours[reserved.json()["id"]]["type"], ours[booked.json()["id"]]["type"]] == [
        "reservation", "booking"]
    order = list(ours)
    assert order.index(reserved.json()["id"]) < order.index(booked.json()["id"])
    assert ours[booked.json()["id"]]["place"].endswith(session["room"])


def test_the_catalogue_by_theme_through_the_gateway(platform: Platform):
    school, backoffice = platform.token("corlaer"), platform.token("backoffice")

    def themed(theme: str) -> httpx.Response:
        return httpx.get(f"{platform.gateway}/offerings", headers=school,
                         params={"theme": theme, "limit": 500})

    seeded = themed("robotics").json()
    assert {"insp-robotica", "mk-robotica", "kv-1906"} <= {o["id"] for o in seeded}
    assert {o["theme"] for o in seeded} == {"robotics"}
    offer_id = f"drones-{uuid4().hex[:8]}"
    added = httpx.post(f"{platform.gateway}/offerings", headers=backoffice, json={
        "id": offer_id, "kind": "inspiration_lesson", "title": "Inspiratieles drones vliegen",
        "audience": ["vmbo-kb"], "theme": "drones"})
    assert added.status_code == 201 and added.json()["theme"] == "drones", added.text
    assert offer_id in {o["id"] for o in themed("drones").json()}
    unknown = themed("breien")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "theme"
