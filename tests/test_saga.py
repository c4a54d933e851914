"""The equipment saga end to end through the gateway, on PostgreSQL and a real Kafka broker:
the equipment belongs to the session, so bookings of several schools share one reservation;
they are confirmed once loans reserved it, all rejected with the reason when loans has none,
and cancelling the last of them releases what loans held."""

from datetime import UTC, date, datetime, time, timedelta
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


def equipped_session(
    platform: Platform, equipment: list[str], nth_day: int, capacity: int = 30, **offer: object
) -> dict:
    """A fresh offering needing `equipment`, with one session on a day of its own."""
    backoffice = platform.token("backoffice")
    offering = httpx.post(
        f"{platform.gateway}/offerings",
        headers=backoffice,
        json={
            "id": f"saga-{uuid4().hex[:8]}",
            "kind": "inspiration_lesson",
            "title": "Inspiratieles met materiaal",
            "audience": ["vmbo-kb"],
            "equipment": equipment,
            **offer,
        },
    )
    assert offering.status_code == 201, offering.text
    starts = saga_day(nth_day)
    session = httpx.post(
        f"{platform.gateway}/offerings/{offering.json()['id']}/sessions",
        headers=backoffice,
        json={
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "room": f"Saga {nth_day}",
            "instructor": "Instructeur saga",
            "capacity": capacity,
        },
    )
    assert session.status_code == 201, session.text
    return session.json()


def booking_in(platform: Platform, school: str, booking_id: str, status: str) -> dict | None:
    found = httpx.get(
        f"{platform.gateway}/bookings/{booking_id}", headers=platform.token(school)
    ).json()
    return found if found["status"] == status else None


def reservations_for(platform: Platform, session: dict) -> list[dict]:
    """What loans holds or held for the session, as the backoffice sees it."""
    response = httpx.get(
        f"{platform.gateway}/reservations",
        headers=platform.token("backoffice"),
        params={"limit": 500},
    )
    response.raise_for_status()
    return [r for r in response.json() if r["session_id"] == session["id"]]


def seats_left(platform: Platform, session: dict) -> int:
    sessions = httpx.get(
        f"{platform.gateway}/offerings/{session['offering_id']}/sessions",
        headers=platform.token("backoffice"),
    ).json()
    return next(s["seats_left"] for s in sessions if s["id"] == session["id"])


def test_a_booking_needing_equipment_is_confirmed_once_loans_reserved_it(platform: Platform):
    session = equipped_session(platform, ["robot"], nth_day=0)
    created = book(platform, "corlaer", session["id"], students=24)
    assert created.status_code == 201, created.text
    booking = created.json()
    assert booking["status"] == "requested" and booking["rejection_reason"] is None
    assert seats_left(platform, session) == 6

    eventually(lambda: booking_in(platform, "corlaer", booking["id"], "confirmed"))
    [reservation] = reservations_for(platform, session)
    assert reservation["status"] == "reserved" and reservation["quantity"] == 12
    assert reservation["starts_on"] == session["starts_at"][:10]
    told = eventually(
        lambda: [
            n["message_type"]
            for n in notifications_about(platform, "corlaer", booking["id"])
            if n["message_type"] == "booking_confirmed"
        ]
    )
    assert told == ["booking_confirmed"]


def test_two_schools_share_the_cnc_elective_with_one_reservation_of_the_machine(
    platform: Platform,
):
    """Plan A: "het keuzevak CNC-techniek beschikbaar maken voor meerdere scholen". The one
    CNC machine is reserved once for the session; both schools' classes are confirmed."""
    session = equipped_session(
        platform,
        ["cnc"],
        nth_day=3,
        kind="elective",
        title="Keuzevak CNC-technieken (KV 1313)",
        elective_code="KV 1313",
        capacity=16,
    )
    first = book(platform, "corlaer", session["id"], students=8, name="3A")
    second = book(platform, "lodenstein", session["id"], students=8, name="3C")
    assert (first.status_code, second.status_code) == (201, 201), (first.text, second.text)

    for school, created in (("corlaer", first), ("lodenstein", second)):
        eventually(lambda s=school, b=created.json()["id"]: booking_in(platform, s, b, "confirmed"))
    [reservation] = reservations_for(platform, session)
    assert (reservation["item_id"], reservation["status"]) == ("tft-cnc-001", "reserved")
    assert seats_left(platform, session) == 0


def test_without_a_free_kit_every_booking_is_rejected_with_reason_and_an_open_day(
    platform: Platform,
):
    session = equipped_session(platform, ["drone"], nth_day=1)
    day = session["starts_at"][:10]
    taken = httpx.post(
        f"{platform.gateway}/reservations",
        headers=platform.token("element"),
        json={"item_id": "tft-drn-001", "starts_on": day, "ends_on": day, "quantity": 8},
    )
    assert taken.status_code == 201, taken.text

    bookings = {
        school: book(platform, school, session["id"], students=10).json()
        for school in ("corlaer", "nxt")
    }
    for school, booking in bookings.items():
        rejected = eventually(
            lambda s=school, b=booking["id"]: booking_in(platform, s, b, "rejected")
        )
        assert "geen droneset vrij" in rejected["rejection_reason"]
    assert seats_left(platform, session) == 30
    assert reservations_for(platform, session) == []

    booking = bookings["corlaer"]
    [told] = eventually(
        lambda: [
            n
            for n in notifications_about(platform, "corlaer", booking["id"])
            if n["message_type"] == "booking_rejected"
        ]
    )
    next_open = first_open_day(date.fromisoformat(day) + timedelta(days=1), CLOSED_PERIODS)
    assert (
        booking_in(platform, "corlaer", booking["id"], "rejected")["rejection_reason"]
        in told["body"]
    )
    assert f"vrij van {dutch_date(next_open)}" in told["body"]


def test_cancelling_the_last_booking_releases_the_sessions_reservation(platform: Platform):
    session = equipped_session(platform, ["robot"], nth_day=2)
    booking = book(platform, "nxt", session["id"], students=20).json()
    eventually(lambda: booking_in(platform, "nxt", booking["id"], "confirmed"))

    cancelled = httpx.post(
        f"{platform.gateway}/bookings/{booking['id']}/cancel", headers=platform.token("nxt")
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"

    eventually(
        lambda: [r for r in reservations_for(platform, session) if r["status"] == "released"]
    )
    assert [r["status"] for r in reservations_for(platform, session)] == ["released"]
