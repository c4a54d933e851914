"""The backoffice books, registers and reserves on behalf of a school, through the gateway on
PostgreSQL and Kafka: the effect is the school's (its list, its messages, its quota), the
record and its events name who acted, and the gateway's audit shows who acted for whom. A
school naming another school is refused."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
import pytest

from services.bookings.domain import school_year_of
from shared.contracts.topics import BOOKING, LOAN_RESERVATION, REGISTRATION
from tests.harness import Platform, eventually, keyed_events
from tests.test_first_flow import notifications_about, plan_session

pytestmark = pytest.mark.integration

GROUP = {"name": "3B", "level": "vmbo-kb", "year": 3, "students": 12}
REFUSED = "een school handelt alleen voor zichzelf, niet namens een andere school"


def audited(platform: Platform, path: str, status: int) -> list[dict]:
    entries = httpx.get(
        f"{platform.gateway}/audit", headers=platform.token("admin"), params={"limit": 500}
    ).json()
    return [e for e in entries if e["path"] == path and e["status"] == status]


def assert_audited_for(platform: Platform, path: str, school: str) -> None:
    """The newest successful call on `path` was the backoffice's, on behalf of `school`."""
    newest = audited(platform, path, 201)[0]
    assert (newest["actor"], newest["role"], newest["on_behalf_of"]) == (
        "backoffice",
        "backoffice",
        school,
    )


def new_school(platform: Platform) -> str:
    school_id = f"vmbo-{uuid4().hex[:8]}"
    added = httpx.post(
        f"{platform.gateway}/organisations",
        headers=platform.token("backoffice"),
        json={
            "id": school_id,
            "name": f"Testschool {school_id}",
            "kind": "vmbo",
            "municipality": "Amersfoort",
        },
    )
    assert added.status_code == 201, added.text
    return school_id


def test_the_backoffice_books_for_a_school_which_sees_it_and_hears_of_it(platform: Platform):
    session = plan_session(platform)
    made = httpx.post(
        f"{platform.gateway}/bookings",
        headers=platform.token("backoffice"),
        json={"session_id": session["id"], "group": GROUP, "school_id": "trivium"},
    )
    assert made.status_code == 201, made.text
    booking = made.json()
    assert (booking["school_id"], booking["booked_by"]) == ("trivium", "backoffice")

    own = httpx.get(
        f"{platform.gateway}/bookings", headers=platform.token("trivium"), params={"limit": 500}
    ).json()
    assert booking["id"] in {b["id"] for b in own}
    told = eventually(lambda: notifications_about(platform, "trivium", booking["id"]))
    assert [n["message_type"] for n in told] == ["booking_confirmed"]
    [(_, event)] = keyed_events(platform, BOOKING, booking["id"])
    assert (event["school_id"], event["booked_by"]) == ("trivium", "backoffice")
    assert_audited_for(platform, "/api/v1/bookings", "trivium")


def test_the_schools_quota_holds_when_the_backoffice_books_for_it(platform: Platform):
    school_id, backoffice = new_school(platform), platform.token("backoffice")
    first, second = plan_session(platform), plan_session(platform)
    year = school_year_of(datetime.fromisoformat(first["starts_at"]).date())
    quota = httpx.put(
        f"{platform.gateway}/calendar/quotas/{school_id}/{year}",
        headers=backoffice,
        json={"max_sessions": 1},
    )
    assert quota.status_code == 200, quota.text

    def book(session: dict) -> httpx.Response:
        return httpx.post(
            f"{platform.gateway}/bookings",
            headers=backoffice,
            json={"session_id": session["id"], "group": GROUP, "school_id": school_id},
        )

    assert book(first).status_code == 201
    over = book(second)
    assert over.status_code == 409, over.text
    assert (over.json()["rule"], over.json()["booked"]) == ("quota", 1)


def test_a_school_may_not_book_for_another_and_the_backoffice_only_for_a_school(platform: Platform):
    session = plan_session(platform)
    by_school = httpx.post(
        f"{platform.gateway}/bookings",
        headers=platform.token("corlaer"),
        json={"session_id": session["id"], "group": GROUP, "school_id": "trivium"},
    )
    assert by_school.status_code == 403
    assert by_school.json()["detail"] == REFUSED
    assert audited(platform, "/api/v1/bookings", 403)[0]["actor"] == "corlaer"

    backoffice = platform.token("backoffice")
    company = httpx.post(
        f"{platform.gateway}/bookings",
        headers=backoffice,
        json={"session_id": session["id"], "group": GROUP, "school_id": "voorbeeld-bouw"},
    )
    unnamed = httpx.post(
        f"{platform.gateway}/bookings",
        headers=backoffice,
        json={"session_id": session["id"], "group": GROUP},
    )
    assert (company.status_code, unnamed.status_code) == (422, 422)
    assert [e["field"] for e in company.json()["errors"]] == ["school_id"]
    assert [e["field"] for e in unnamed.json()["errors"]] == ["school_id"]


def test_the_backoffice_registers_a_class_of_a_school_for_an_event(platform: Platform):
    backoffice, now = platform.token("backoffice"), datetime.now(UTC).replace(microsecond=0)
    starts = now + timedelta(days=60)
    event = httpx.post(
        f"{platform.gateway}/events",
        headers=backoffice,
        json={
            "title": f"Techevent {uuid4().hex[:6]}",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=6)).isoformat(),
            "audience": ["vmbo-kb"],
            "capacity": 60,
            "location": "Hotspot T is for Tech",
        },
    ).json()
    session = httpx.post(
        f"{platform.gateway}/events/{event['id']}/sessions",
        headers=backoffice,
        json={
            "title": "Workshop lassen",
            "host_kind": "company",
            "host": "voorbeeld-metaal",
            "host_name": "Voorbeeld Metaal",
            "capacity": 30,
            "audience": ["vmbo-kb"],
            "opens_at": (now - timedelta(days=1)).isoformat(),
            "closes_at": (starts - timedelta(days=7)).isoformat(),
        },
    ).json()

    made = httpx.post(
        f"{platform.gateway}/registrations",
        headers=backoffice,
        json={"session_id": session["id"], "group": GROUP, "school_id": "element"},
    )
    by_school = httpx.post(
        f"{platform.gateway}/registrations",
        headers=platform.token("corlaer"),
        json={"session_id": session["id"], "group": GROUP, "school_id": "element"},
    )

    assert made.status_code == 201, made.text
    registration = made.json()
    assert (registration["school_id"], registration["registered_by"]) == ("element", "backoffice")
    assert (by_school.status_code, by_school.json()["detail"]) == (403, REFUSED)
    own = httpx.get(
        f"{platform.gateway}/registrations/{registration['id']}", headers=platform.token("element")
    ).json()
    assert own["check_in_code"], "the school holds its class's check-in code"
    [(_, told)] = keyed_events(platform, REGISTRATION, registration["id"])
    assert (told["school_id"], told["registered_by"]) == ("element", "backoffice")
    assert_audited_for(platform, "/api/v1/registrations", "element")


def test_the_backoffice_reserves_equipment_for_a_school(platform: Platform):
    backoffice, own = platform.token("backoffice"), uuid4().hex[:8]
    # A category of its own: a second drone set would free the kit other tests fill up.
    item = {
        "id": f"tft-drone-{own}",
        "asset_tag": f"TFT-DR-{own}",
        "category": f"drone-{own}",
        "name": "Drone",
        "location": "Hotspot",
    }
    assert (
        httpx.post(f"{platform.gateway}/equipment", headers=backoffice, json=item).status_code
        == 201
    )
    first = datetime.now(UTC).date() + timedelta(days=20)
    period = {
        "item_id": item["id"],
        "starts_on": first.isoformat(),
        "ends_on": (first + timedelta(days=2)).isoformat(),
    }

    made = httpx.post(
        f"{platform.gateway}/reservations", headers=backoffice, json=period | {"school_id": "nxt"}
    )
    by_school = httpx.post(
        f"{platform.gateway}/reservations",
        headers=platform.token("corlaer"),
        json=period | {"school_id": "nxt"},
    )

    assert made.status_code == 201, made.text
    reservation = made.json()
    assert (reservation["school_id"], reservation["reserved_by"]) == ("nxt", "backoffice")
    assert (by_school.status_code, by_school.json()["detail"]) == (403, REFUSED)
    mine = httpx.get(
        f"{platform.gateway}/reservations/{reservation['id']}", headers=platform.token("nxt")
    )
    assert mine.status_code == 200
    [(_, told)] = keyed_events(platform, LOAN_RESERVATION, reservation["id"])
    assert (told["school_id"], told["reserved_by"]) == ("nxt", "backoffice")
    assert_audited_for(platform, "/api/v1/reservations", "nxt")
