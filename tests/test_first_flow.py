"""The first flow, end to end through the gateway, on PostgreSQL and a real Kafka broker:
a booking's events reach notify (a confirmation) and, once completed (not before the lesson
begins), finance (a draft line).
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from uuid import uuid4

import httpx
import pytest

from services.bookings.domain import first_open_day
from shared.seed import CLOSED_PERIODS
from tests.harness import Platform, eventually, hotspot_lesson

pytestmark = pytest.mark.integration


def quarter(moment: datetime) -> str:
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def plan_session(platform: Platform, capacity: int = 30, days_ahead: int = 14) -> dict:
    """A fresh session, so tests never compete for the demo data's seats; in a room and with
    an instructor of its own, since neither can be in two sessions at once."""
    backoffice = platform.token("backoffice")
    offering = hotspot_lesson(platform)
    starts = open_day_at_nine(days_ahead)
    own = uuid4().hex[:8]
    response = httpx.post(
        f"{platform.gateway}/offerings/{offering}/sessions",
        headers=backoffice,
        json={
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "room": f"Lab {own}",
            "instructor": f"Instructeur {own}",
            "capacity": capacity,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def open_day_at_nine(days_ahead: int) -> datetime:
    """9:00 UTC on the first day `days_ahead` days from now or later the hotspot is open."""
    day = first_open_day((datetime.now(UTC) + timedelta(days=days_ahead)).date(), CLOSED_PERIODS)
    return datetime.combine(day, time(9), UTC)


@contextmanager
def bookings_clock_at(platform: Platform, moment: str) -> Iterator[None]:
    """Bookings runs with its clock pinned to `moment` (TFT_BOOKINGS_NOW), then as before."""
    bookings = platform.processes["bookings"]
    bookings.stop()
    platform.restart("bookings", TFT_BOOKINGS_NOW=moment)
    try:
        yield
    finally:
        bookings.stop()
        platform.restart("bookings")


def book(
    platform: Platform, school: str, session_id: str, students: int = 24, name: str = "3B"
) -> httpx.Response:
    return httpx.post(
        f"{platform.gateway}/bookings",
        headers=platform.token(school),
        json={
            "session_id": session_id,
            "group": {"name": name, "level": "vmbo-kb", "year": 3, "students": students},
        },
    )


def notifications_about(platform: Platform, user: str, about: str) -> list[dict]:
    response = httpx.get(
        f"{platform.gateway}/notifications", headers=platform.token(user), params={"limit": 500}
    )
    response.raise_for_status()
    return [n for n in response.json() if n["about"] == about]


def test_demo_catalogue_lists_offerings_with_sessions(platform: Platform):
    headers = platform.token("lodenstein")
    offerings = httpx.get(f"{platform.gateway}/offerings", headers=headers).json()
    assert offerings, "demo data has offerings"
    sessions = httpx.get(
        f"{platform.gateway}/offerings/{offerings[0]['id']}/sessions", headers=headers
    ).json()
    assert sessions
    assert {"id", "starts_at", "ends_at", "capacity", "seats_left"} <= set(sessions[0])


def test_calls_without_a_token_are_refused(platform: Platform):
    response = httpx.get(f"{platform.gateway}/offerings")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_booking_is_confirmed_notified_completed_and_declared(platform: Platform):
    session = plan_session(platform)
    created = book(platform, "corlaer", session["id"])
    assert created.status_code == 201, created.text
    booking = created.json()
    assert booking["status"] == "confirmed" and booking["school_id"] == "corlaer"
    assert {"id", "status", "school_id", "created_at"} <= set(booking)

    seen = httpx.get(
        f"{platform.gateway}/bookings/{booking['id']}", headers=platform.token("corlaer")
    )
    assert seen.status_code == 200 and seen.json()["id"] == booking["id"]
    other_school = httpx.get(
        f"{platform.gateway}/bookings/{booking['id']}", headers=platform.token("lodenstein")
    )
    assert other_school.status_code == 404

    confirmed = eventually(lambda: notifications_about(platform, "corlaer", booking["id"]))
    assert [n["message_type"] for n in confirmed] == ["booking_confirmed"]
    assert "bevestigd" in confirmed[0]["body"] and "3B" in confirmed[0]["body"]

    not_allowed = httpx.post(
        f"{platform.gateway}/bookings/{booking['id']}/complete", headers=platform.token("corlaer")
    )
    assert not_allowed.status_code == 403
    complete = f"{platform.gateway}/bookings/{booking['id']}/complete"
    early = httpx.post(complete, headers=platform.token("backoffice"))
    assert early.status_code == 409 and "pas vanaf dan" in early.json()["detail"]
    with bookings_clock_at(platform, session["starts_at"]):  # the lesson has begun
        completed = httpx.post(complete, headers=platform.token("backoffice"))
    assert completed.status_code == 200 and completed.json()["status"] == "completed"

    q = quarter(datetime.fromisoformat(session["starts_at"]))

    def lines():
        response = httpx.get(
            f"{platform.gateway}/finance/declaration-lines",
            headers=platform.token("corlaer"),
            params={"school_id": "corlaer", "quarter": q},
        )
        response.raise_for_status()
        return [line for line in response.json() if line["booking_id"] == booking["id"]]

    drafted = eventually(lines)
    assert len(drafted) == 1
    assert drafted[0]["minutes"] == 120 and drafted[0]["amount_cents"] > 0
    assert drafted[0]["status"] == "draft"
    eventually(lambda: len(notifications_about(platform, "corlaer", booking["id"])) == 2)


def test_request_id_travels_from_http_through_kafka_into_the_consumers_logs(
    platform: Platform,
):
    session = plan_session(platform)
    request_id = f"e2e-{uuid4()}"
    response = httpx.post(
        f"{platform.gateway}/bookings",
        headers={**platform.token("nxt"), "X-Request-ID": request_id},
        json={
            "session_id": session["id"],
            "group": {"name": "4A", "level": "vmbo-bb", "year": 4, "students": 10},
        },
    )
    assert response.status_code == 201
    assert response.headers["X-Request-ID"] == request_id
    booking_id = response.json()["id"]
    eventually(lambda: notifications_about(platform, "nxt", booking_id))

    def applied_line():
        log = (platform.home / "log" / "notify.log").read_text()
        lines = [
            json.loads(line)
            for line in log.splitlines()
            if request_id in line and line.startswith("{")
        ]
        return [line for line in lines if line.get("event") == "event applied"]

    [line] = eventually(applied_line)
    assert line["request_id"] == request_id and line["service"] == "notify"
    assert line["correlation_id"] and line["event_id"]


def test_a_full_session_waitlists_and_a_cancellation_promotes_the_waiting_group(
    platform: Platform,
):
    session = plan_session(platform, capacity=30)
    first = book(platform, "element", session["id"], students=30).json()
    too_big = book(platform, "corlaer", session["id"], students=31)
    assert too_big.status_code == 422
    assert too_big.headers["content-type"].startswith("application/problem+json")
    waiting = book(platform, "nxt", session["id"], students=10)
    assert waiting.status_code == 201, waiting.text
    assert waiting.json()["status"] == "waitlisted"
    assert waiting.json()["waitlist_position"] == 1
    wait_id = waiting.json()["id"]
    [told] = eventually(lambda: notifications_about(platform, "nxt", wait_id))
    assert told["message_type"] == "booking_waitlisted"
    assert "op de wachtlijst, positie 1" in told["body"]

    cancelled = httpx.post(
        f"{platform.gateway}/bookings/{first['id']}/cancel", headers=platform.token("element")
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    promoted = httpx.get(
        f"{platform.gateway}/bookings/{wait_id}", headers=platform.token("nxt")
    ).json()
    assert promoted["status"] == "confirmed" and promoted["waitlist_position"] is None
    seats = httpx.get(
        f"{platform.gateway}/offerings/{session['offering_id']}/sessions",
        headers=platform.token("nxt"),
    ).json()
    assert [s["seats_left"] for s in seats if s["id"] == session["id"]] == [20]

    eventually(
        lambda: [
            n
            for n in notifications_about(platform, "nxt", wait_id)
            if n["message_type"] == "booking_promoted"
        ]
    )
    eventually(
        lambda: [
            n
            for n in notifications_about(platform, "element", first["id"])
            if n["message_type"] == "booking_cancelled"
        ]
    )
    eventually(lambda: notifications_about(platform, "backoffice", first["id"]))


def test_invalid_booking_gets_problem_details_naming_the_field(platform: Platform):
    session = plan_session(platform)
    response = httpx.post(
        f"{platform.gateway}/bookings",
        headers=platform.token("trivium"),
        json={
            "session_id": session["id"],
            "group": {"name": "2A", "level": "vmbo-kb", "year": 2, "students": 0},
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert any(e["field"].endswith("students") for e in body["errors"])
