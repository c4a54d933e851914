"""The equipment saga end to end through the gateway, on PostgreSQL and a real Kafka broker:
a booking whose offering needs equipment is confirmed once loans reserved it, rejected when
loans has none, and cancelling it releases what loans held."""

from datetime import UTC, datetime, time, timedelta
from uuid import uuid4

import httpx
import pytest

from services.bookings.domain import first_open_day
from shared.dutch import dutch_date
from shared.seed import CLOSED_PERIODS
from tests.harness import Platform, eventually
from tests.test_first_flow import book, notifications_about, open_day_at_nine

pytestmark = pytest.mark.integration


def saga_day(nth: int) -> datetime:
    """9:00 UTC on the `nth` open day (0 is the first) from 250 days ahead: past the demo
    data (until July 2027), within the loan horizon (a school reserves the kit itself in one
    test), and a day of its own per test, so the tests never compete for kits."""
    day = open_day_at_nine(250).date()
    for _ in range(nth):
        day = first_open_day(day + timedelta(days=1), CLOSED_PERIODS)
    return datetime.combine(day, time(9), UTC)


def equipped_session(platform: Platform, equipment: list[str], nth_day: int) -> dict:
    """A fresh offering needing `equipment`, with one session on a day of its own."""
    backoffice = platform.token("backoffice")
    offering = httpx.post(f"{platform.gateway}/offerings", headers=backoffice, json={
        "id": f"saga-{uuid4().hex[:8]}", "kind": "inspiration_lesson",
        "title": "Inspiratieles met materiaal", "audience": ["vmbo-kb"],
        "equipment": equipment})
    assert offering.status_code == 201, offering.text
    starts = saga_day(nth_day)
    session = httpx.post(
        f"{platform.gateway}/offerings/{offering.json()['id']}/sessions", headers=backoffice,
        json={"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
              "room": f"Saga {nth_day}", "instructor": "Instructeur saga", "capacity": 30})
    assert session.status_code == 201, session.text
    return session.json()


def booking_in(platform: Platform, school: str, booking_id: str, status: str) -> dict | None:
    found = httpx.get(f"{platform.gateway}/bookings/{booking_id}",
                      headers=platform.token(school)).json()
    return found if found["status"] == status else None


def reservations_of(platform: Platform, school: str, booking_id: str) -> list[dict]:
    response = httpx.get(f"{platform.gateway}/reservations", headers=platform.token(school),
                         params={"limit": 500})
    response.raise_for_status()
    return [r for r in response.json() if r["booking_id"] == booking_id]


def seats_left(platform: Platform, session: dict) -> int:
    sessions = httpx.get(f"{platform.gateway}/offerings/{session['offering_id']}/sessions",
                         headers=platform.token("backoffice")).json()
    return next(s["seats_left"] for s in sessions if s["id"] == session["id"])


def test_a_booking_needing_equipment_is_confirmed_once_loans_reserved_it(platform: Platform):
    session = equipped_session(platform, ["robot"], nth_day=0)
    created = book(platform, "corlaer", session["id"], students=24)
    assert created.status_code == 201, created.text
    booking = created.json()
    assert booking["status"] == "requested" and booking["rejection_reason"] is None
    assert seats_left(platform, session) == 6

    eventually(lambda: booking_in(platform, "corlaer", booking["id"], "confirmed"))
    [reservation] = reservations_of(platform, "corlaer", booking["id"])
    assert reservation["status"] == "reserved" and reservation["quantity"] == 12
    assert reservation["starts_on"] == session["starts_at"][:10]
    assert reservations_of(platform, "lodenstein", booking["id"]) == []
    told = eventually(lambda: [n["message_type"] for n in
                               notifications_about(platform, "corlaer", booking["id"])
                               if n["message_type"] == "booking_confirmed"])
    assert told == ["booking_confirmed"]


def test_without_a_free_kit_the_booking_is_rejected_with_reason_and_alternative(
    platform: Platform,
):
    session = equipped_session(platform, ["drone"], nth_day=1)
    day = session["starts_at"][:10]
    taken = httpx.post(f"{platform.gateway}/reservations", headers=platform.token("element"),
                       json={"item_id": "tft-drn-001", "starts_on": day, "ends_on": day,
                             "quantity": 8})
    assert taken.status_code == 201, taken.text

    booking = book(platform, "corlaer", session["id"], students=20).json()
    rejected = eventually(lambda: booking_in(platform, "corlaer", booking["id"], "rejected"))
    assert "geen droneset vrij" in rejected["rejection_reason"]
    assert seats_left(platform, session) == 30
    assert reservations_of(platform, "corlaer", booking["id"]) == []

    [told] = eventually(lambda: [n for n in notifications_about(platform, "corlaer",
                                                                 booking["id"])
                                 if n["message_type"] == "booking_rejected"])
    next_day = (datetime.fromisoformat(day) + timedelta(days=1)).date()
    assert rejected["rejection_reason"] in told["body"]
    assert f"vrij van {dutch_date(next_day)}" in told["body"]


def test_cancelling_a_confirmed_booking_releases_its_reservation(platform: Platform):
    session = equipped_session(platform, ["robot"], nth_day=2)
    booking = book(platform, "nxt", session["id"], students=20).json()
    eventually(lambda: booking_in(platform, "nxt", booking["id"], "confirmed"))

    cancelled = httpx.post(f"{platform.gateway}/bookings/{booking['id']}/cancel",
                           headers=platform.token("nxt"))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"

    eventually(lambda: [r for r in reservations_of(platform, "nxt", booking["id"])
                        if r["status"] == "released"])
    assert [r["status"] for r in reservations_of(platform, "nxt", booking["id"])] == [
        "released"]
