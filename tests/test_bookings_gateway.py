"""Bookings through the gateway on PostgreSQL and Kafka: room clashes answered 409 naming the
conflict, who sees which bookings (schools their own, companies the visits they host), and
the calendar everyone reads and only the backoffice writes."""

from datetime import timedelta
from uuid import uuid4

import httpx
import pytest

from tests.harness import Platform
from tests.test_first_flow import book, open_day_at_nine

pytestmark = pytest.mark.integration


def plan(
    platform: Platform, offering_id: str, room: str, instructor: str, days_ahead: int = 30
) -> httpx.Response:
    starts = open_day_at_nine(days_ahead)
    return httpx.post(
        f"{platform.gateway}/offerings/{offering_id}/sessions",
        headers=platform.token("backoffice"),
        json={
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "room": room,
            "instructor": instructor,
            "capacity": 30,
        },
    )


def test_a_room_in_use_is_refused_with_problem_details_naming_the_conflict(platform: Platform):
    room = f"Lab {uuid4().hex[:8]}"
    first = plan(platform, "insp-robotica", room, f"Instructeur {uuid4().hex[:8]}")
    assert first.status_code == 201, first.text

    clash = plan(platform, "insp-robotica", room, f"Instructeur {uuid4().hex[:8]}")

    assert clash.status_code == 409
    assert clash.headers["content-type"].startswith("application/problem+json")
    assert clash.json()["conflict"] == {
        "resource": "room",
        "value": room,
        "session_id": first.json()["id"],
    }


def test_a_school_lists_and_changes_only_its_own_bookings(platform: Platform):
    room, instructor = f"Lab {uuid4().hex[:8]}", f"Instructeur {uuid4().hex[:8]}"
    session = plan(platform, "insp-robotica", room, instructor).json()
    mine = book(platform, "trivium", session["id"], students=10).json()
    book(platform, "element", session["id"], students=10)

    listed = httpx.get(
        f"{platform.gateway}/bookings", headers=platform.token("trivium"), params={"limit": 500}
    ).json()
    assert {b["school_id"] for b in listed} == {"trivium"}
    assert mine["id"] in {b["id"] for b in listed}

    other = platform.token("element")
    assert httpx.get(f"{platform.gateway}/bookings/{mine['id']}", headers=other).status_code == 404
    assert (
        httpx.post(f"{platform.gateway}/bookings/{mine['id']}/cancel", headers=other).status_code
        == 404
    )
    assert (
        httpx.get(
            f"{platform.gateway}/bookings", headers=other, params={"school_id": "trivium"}
        ).status_code
        == 403
    )


def test_a_company_contact_sees_the_visits_its_company_hosts(platform: Platform):
    visit = plan(
        platform,
        "bedrijfsbezoek-bouw",
        f"Bouwplaats {uuid4().hex[:8]}",
        f"Begeleider {uuid4().hex[:8]}",
    ).json()
    booked = book(platform, "corlaer", visit["id"], students=20).json()

    host = platform.token("voorbeeld-bouw")
    hosted = httpx.get(f"{platform.gateway}/bookings", headers=host).json()
    assert booked["id"] in {b["id"] for b in hosted}
    assert httpx.get(f"{platform.gateway}/bookings/{booked['id']}", headers=host).status_code == 200
    elsewhere = platform.token("voorbeeld-metaal")
    assert booked["id"] not in {
        b["id"] for b in httpx.get(f"{platform.gateway}/bookings", headers=elsewhere).json()
    }
    assert (
        httpx.get(f"{platform.gateway}/bookings/{booked['id']}", headers=elsewhere).status_code
        == 404
    )


def test_the_calendar_is_read_by_all_and_written_by_the_backoffice(platform: Platform):
    period = {"from": "2027-02-15", "to": "2027-03-01"}
    closed = httpx.get(
        f"{platform.gateway}/calendar/closed-periods", headers=platform.token("nxt"), params=period
    ).json()
    assert [c["name"] for c in closed] == ["voorjaarsvakantie 2026/27"]

    exception = {"open": True, "reason": "NXT heeft een andere voorjaarsvakantie"}
    path = f"{platform.gateway}/calendar/school-days/nxt/2027-02-22"
    assert httpx.put(path, headers=platform.token("nxt"), json=exception).status_code == 403
    assert httpx.put(path, headers=platform.token("backoffice"), json=exception).status_code == 200
    days = httpx.get(
        f"{platform.gateway}/calendar/school-days",
        headers=platform.token("nxt"),
        params={**period, "school_id": "nxt"},
    ).json()
    assert [(d["day"], d["open"]) for d in days] == [("2027-02-22", True)]

    rules = httpx.get(f"{platform.gateway}/calendar/rules", headers=platform.token("nxt"))
    assert rules.json() == {"min_lead_days": 1, "free_cancellation_days": 7}
    quota = httpx.put(
        f"{platform.gateway}/calendar/quotas/nxt/2027",
        headers=platform.token("backoffice"),
        json={"max_sessions": 12},
    )
    assert quota.json() == {"school_id": "nxt", "school_year": 2027, "max_sessions": 12}
