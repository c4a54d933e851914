"""The backoffice moves, then cancels, a booked session through the gateway, on PostgreSQL
and a real Kafka broker: each booked school reads one message per change in its inbox, and
its bookings end cancelled by the backoffice with the reason."""

from datetime import timedelta
from uuid import uuid4

import httpx
import pytest

from tests.harness import Platform, eventually
from tests.test_bookings_gateway import plan
from tests.test_first_flow import book, notifications_about, open_day_at_nine

pytestmark = pytest.mark.integration


def test_a_moved_then_cancelled_session_tells_each_school_once_per_change(platform: Platform):
    offering_id = f"les-{uuid4().hex[:8]}"  # without equipment: an equipped one is not moved
    offered = httpx.post(
        f"{platform.gateway}/offerings",
        headers=platform.token("backoffice"),
        json={
            "id": offering_id,
            "kind": "inspiration_lesson",
            "title": "Inspiratieles Drones",
            "audience": ["vmbo-kb"],
        },
    )
    assert offered.status_code == 201, offered.text
    session = plan(
        platform, offering_id, f"Lab {uuid4().hex[:8]}", f"Instructeur {uuid4().hex[:8]}"
    ).json()
    bookings = [
        book(platform, school, session["id"], students=8, name=name).json()
        for school, name in (("corlaer", "3A"), ("corlaer", "3B"), ("nxt", "2C"))
    ]
    backoffice = platform.token("backoffice")
    starts = open_day_at_nine(45)

    moved = httpx.post(
        f"{platform.gateway}/sessions/{session['id']}/move",
        headers=backoffice,
        json={
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
        },
    )
    assert moved.status_code == 200, moved.text
    assert (
        httpx.post(
            f"{platform.gateway}/sessions/{session['id']}/cancel",
            headers=platform.token("corlaer"),
            json={"reason": "geen zin"},
        ).status_code
        == 403
    )
    cancelled = httpx.post(
        f"{platform.gateway}/sessions/{session['id']}/cancel",
        headers=backoffice,
        json={"reason": "De docent is ziek"},
    )
    assert cancelled.status_code == 200, cancelled.text

    for school in ("corlaer", "nxt"):
        told = eventually(
            lambda s=school: (
                sorted(n["message_type"] for n in notifications_about(platform, s, session["id"]))
                if len(notifications_about(platform, s, session["id"])) >= 2
                else None
            )
        )
        assert told == ["booking_session_cancelled", "booking_session_moved"], school
    for booking in bookings:
        after = httpx.get(f"{platform.gateway}/bookings/{booking['id']}", headers=backoffice)
        assert (after.json()["status"], after.json()["cancelled_late"]) == ("cancelled", False)
