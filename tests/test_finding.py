"""Finding things through the gateway on PostgreSQL and Kafka: the agenda shows the backoffice
every school's booking and another school none, and Mijn planning lists a school's booking and
equipment reservation of those days in one list by date."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.harness import Platform
from tests.test_first_flow import book, plan_session

pytestmark = pytest.mark.integration
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_the_agenda_and_a_schools_planning(platform: Platform):
    session = plan_session(platform, days_ahead=40)
    booked = book(platform, "trivium", session["id"], students=12, name="2C")
    assert booked.status_code == 201, booked.text
    day = date.fromisoformat(session["starts_at"][:10])
    span = {"from": day.isoformat(), "to": day.isoformat()}
    # A category of its own: a new drone would free one for the saga's "no drone" test.
    item = f"tft-finding-{uuid4().hex[:8]}"
    added = httpx.post(
        f"{platform.gateway}/equipment",
        headers=platform.token("backoffice"),
        json={
            "id": item,
            "asset_tag": item.upper(),
            "category": "finding-test",
            "name": "Dronekit",
            "quantity": 1,
            "location": "Hotspot",
        },
    )
    assert added.status_code == 201, added.text
    reserved = httpx.post(
        f"{platform.gateway}/reservations",
        headers=platform.token("trivium"),
        json={
            "item_id": item,
            "starts_on": (day - timedelta(days=1)).isoformat(),
            "ends_on": day.isoformat(),
        },
    )
    assert reserved.status_code == 201, reserved.text

    def agenda(user: str) -> dict:
        answer = httpx.get(
            f"{platform.gateway}/sessions",
            headers=platform.token(user),
            params=span | {"room": session["room"]},
        )
        assert answer.status_code == 200, answer.text
        [shown] = answer.json()
        return shown

    assert [(b["school_id"], b["group"]["name"]) for b in agenda("backoffice")["bookings"]] == [
        ("trivium", "2C")
    ]
    assert agenda("lodenstein")["bookings"] == []

    planning = httpx.get(
        f"{platform.gateway}/planning",
        headers=platform.token("trivium"),
        params={"from": (day - timedelta(days=1)).isoformat(), "to": day.isoformat()},
    )
    assert planning.status_code == 200, planning.text
    ours = {i["id"]: i for i in planning.json()["items"]}
    assert planning.json()["missing"] == []
    assert [ours[reserved.json()["id"]]["type"], ours[booked.json()["id"]]["type"]] == [
        "reservation",
        "booking",
    ]
    order = list(ours)
    assert order.index(reserved.json()["id"]) < order.index(booked.json()["id"])
    assert ours[booked.json()["id"]]["place"].endswith(session["room"])


def test_the_catalogue_by_theme_through_the_gateway(platform: Platform):
    school, backoffice = platform.token("corlaer"), platform.token("backoffice")

    def themed(theme: str) -> httpx.Response:
        return httpx.get(
            f"{platform.gateway}/offerings", headers=school, params={"theme": theme, "limit": 500}
        )

    seeded = themed("robotics").json()
    assert {"insp-robotica", "mk-robotica", "kv-1906"} <= {o["id"] for o in seeded}
    assert {o["theme"] for o in seeded} == {"robotics"}
    offer_id = f"drones-{uuid4().hex[:8]}"
    added = httpx.post(
        f"{platform.gateway}/offerings",
        headers=backoffice,
        json={
            "id": offer_id,
            "kind": "inspiration_lesson",
            "title": "Inspiratieles drones vliegen",
            "audience": ["vmbo-kb"],
            "theme": "drones",
        },
    )
    assert added.status_code == 201 and added.json()["theme"] == "drones", added.text
    assert offer_id in {o["id"] for o in themed("drones").json()}
    unknown = themed("breien")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "query.theme"


def test_the_agenda_shows_the_events_sessions_beside_the_lessons(platform: Platform):
    """An event's session (at its own times, or its event's) in the agenda by start, between
    the lessons, saying it is an event's; its classes are the backoffice's to see, a school
    sees only its own."""
    backoffice, nxt = platform.token("backoffice"), platform.token("nxt")
    lesson = plan_session(platform, days_ahead=45)
    lesson_title = httpx.get(
        f"{platform.gateway}/offerings/{lesson['offering_id']}", headers=backoffice
    ).json()["title"]
    lesson_starts = datetime.fromisoformat(lesson["starts_at"])
    day = lesson_starts.astimezone(AMSTERDAM).date()
    title = f"Techevent {uuid4().hex[:6]}"
    event = httpx.post(
        f"{platform.gateway}/events",
        headers=backoffice,
        json={
            "title": title,
            "starts_at": (lesson_starts - timedelta(hours=1)).isoformat(),
            "ends_at": (lesson_starts + timedelta(hours=5)).isoformat(),
            "audience": ["vmbo-kb"],
            "capacity": 60,
            "location": f"Evenementenhal {title}",
        },
    )
    assert event.status_code == 201, event.text

    def session(name: str, **own) -> str:
        added = httpx.post(
            f"{platform.gateway}/events/{event.json()['id']}/sessions",
            headers=backoffice,
            json={
                "title": name,
                "host_kind": "hotspot",
                "host": "hotspot",
                "host_name": "Hotspot",
                "capacity": 30,
                "audience": ["vmbo-kb"],
                "opens_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
                "closes_at": (lesson_starts - timedelta(days=2)).isoformat(),
            }
            | own,
        )
        assert added.status_code == 201, added.text
        return added.json()["id"]

    early = session("Opening")  # at its event's times: before the lesson
    late = session(
        "Workshop drones",
        starts_at=(lesson_starts + timedelta(hours=3)).isoformat(),
        ends_at=(lesson_starts + timedelta(hours=4)).isoformat(),
    )
    registered = httpx.post(
        f"{platform.gateway}/registrations",
        headers=nxt,
        json={
            "session_id": late,
            "group": {"name": "2A", "level": "vmbo-kb", "year": 2, "students": 20},
        },
    )
    assert registered.status_code == 201, registered.text

    def agenda(user: str, **filters) -> list[dict]:
        answer = httpx.get(
            f"{platform.gateway}/sessions",
            headers=platform.token(user),
            params={"from": day.isoformat(), "to": day.isoformat(), "limit": 500} | filters,
        )
        assert answer.status_code == 200, answer.text
        return [s for s in answer.json() if s["id"] in (lesson["id"], early, late)]

    shown = agenda("backoffice")
    assert [(s["type"], s["title"]) for s in shown] == [
        ("event", "Opening"),
        ("offering", lesson_title),
        ("event", "Workshop drones"),
    ]
    opening, _, workshop = shown
    assert (opening["offering_id"], opening["offering_title"], opening["offering_kind"]) == (
        event.json()["id"],
        title,
        "event",
    )
    assert (workshop["location"], workshop["seats_left"]) == (f"Evenementenhal {title}", 10)
    assert [(b["school_id"], b["group"]["name"]) for b in workshop["bookings"]] == [("nxt", "2A")]
    assert [s["bookings"] for s in agenda("lodenstein") if s["type"] == "event"] == [[], []]
    assert [s["id"] for s in agenda("backoffice", school_id="nxt")] == [late]
    assert [s["id"] for s in agenda("backoffice", room=lesson["room"])] == [lesson["id"]]
