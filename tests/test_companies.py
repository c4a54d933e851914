"""Companies take part themselves, end to end through the gateway on PostgreSQL and Kafka: a
company contact proposes an offer (schools see it once the backoffice approves it), answers
the schools' requests for its visits (the school reads a refusal's reason) and reads its own
co-financing, and nobody else's."""

from datetime import datetime, timedelta
from uuid import uuid4

import httpx
import pytest

from shared.contracts.events import SessionHostedV1
from shared.contracts.topics import EVENT, event_source
from shared.domain import AMSTERDAM
from shared.messaging.envelope import Envelope
from tests.harness import Platform, eventually
from tests.test_faults import produce
from tests.test_first_flow import book, notifications_about, open_day_at_nine

pytestmark = pytest.mark.integration

GROUP = {"name": "3B", "level": "vmbo-kb", "year": 3, "students": 12}


def propose(platform: Platform, user: str = "voorbeeld-bouw", **changes) -> httpx.Response:
    return httpx.post(
        f"{platform.gateway}/offering-proposals",
        headers=platform.token(user),
        json={
            "kind": "company_visit",
            "title": f"Bezoek {uuid4().hex[:6]}",
            "audience": ["vmbo-kb"],
            "profile": "BWI",
            "location": "Voorbeeld Bouw BV",
            "capacity": 20,
            "assignment": "Zet in tweetallen een stuk fundering uit.",
            **changes,
        },
    )


def plan_visit(platform: Platform, offering_id: str, capacity: int = 20) -> dict:
    starts, own = open_day_at_nine(30), uuid4().hex[:8]
    planned = httpx.post(
        f"{platform.gateway}/offerings/{offering_id}/sessions",
        headers=platform.token("backoffice"),
        json={
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "room": f"Werkplaats {own}",
            "instructor": f"Gids {own}",
            "capacity": capacity,
        },
    )
    assert planned.status_code == 201, planned.text
    return planned.json()


def test_a_proposal_reaches_schools_once_approved_and_its_host_accepts_a_request(
    platform: Platform,
):
    gateway, company = platform.gateway, platform.token("voorbeeld-bouw")
    school, backoffice = platform.token("corlaer"), platform.token("backoffice")
    proposed = propose(platform)
    assert proposed.status_code == 201, proposed.text
    offer = proposed.json()
    assert (offer["approval"], offer["host_company"]) == ("proposed", "voorbeeld-bouw")

    assert httpx.get(f"{gateway}/offerings/{offer['id']}", headers=school).status_code == 404
    assert offer["id"] not in {
        o["id"]
        for o in httpx.get(
            f"{gateway}/offerings", headers=school, params={"kind": "company_visit"}
        ).json()
    }
    assert propose(platform, "corlaer").status_code == 403
    for who in (school, company):  # a school, nor the company itself, approves
        assert (
            httpx.post(
                f"{gateway}/offering-proposals/{offer['id']}/approve", headers=who
            ).status_code
            == 403
        )
    eventually(lambda: notifications_about(platform, "backoffice", offer["id"]))

    approved = httpx.post(f"{gateway}/offering-proposals/{offer['id']}/approve", headers=backoffice)
    assert (approved.status_code, approved.json()["approval"]) == (200, "approved")
    assert httpx.get(f"{gateway}/offerings/{offer['id']}", headers=school).status_code == 200
    [told] = eventually(lambda: notifications_about(platform, "voorbeeld-bouw", offer["id"]))
    assert told["subject"].startswith("Goedgekeurd")

    session = plan_visit(platform, offer["id"])
    booked = book(platform, "corlaer", session["id"], students=12)
    assert (booked.status_code, booked.json()["status"]) == (201, "requested"), booked.text
    booking_id = booked.json()["id"]
    [asked] = eventually(lambda: notifications_about(platform, "voorbeeld-bouw", booking_id))
    assert "Corlaer" in asked["body"] and "12 leerlingen" in asked["body"]
    requests = httpx.get(
        f"{gateway}/bookings", headers=company, params={"status": "requested", "limit": 500}
    ).json()
    assert booking_id in {b["id"] for b in requests}
    assert (
        httpx.post(
            f"{gateway}/bookings/{booking_id}/accept", headers=platform.token("voorbeeld-metaal")
        ).status_code
        == 404
    )
    assert httpx.post(f"{gateway}/bookings/{booking_id}/accept", headers=school).status_code == 403

    accepted = httpx.post(f"{gateway}/bookings/{booking_id}/accept", headers=company)

    assert (accepted.status_code, accepted.json()["status"]) == (200, "confirmed")
    [confirmed] = eventually(lambda: notifications_about(platform, "corlaer", booking_id))
    assert confirmed["subject"].startswith("Bevestiging")
    again = httpx.post(f"{gateway}/bookings/{booking_id}/accept", headers=company)
    assert (again.status_code, again.json()["rule"]) == (409, "answered")


def test_a_declined_proposal_and_a_declined_request_give_their_reasons(platform: Platform):
    gateway, company = platform.gateway, platform.token("voorbeeld-bouw")
    backoffice = platform.token("backoffice")
    offer = propose(platform).json()
    without_reason = httpx.post(
        f"{gateway}/offering-proposals/{offer['id']}/decline", headers=backoffice, json={}
    )
    assert without_reason.status_code == 422
    assert [e["field"] for e in without_reason.json()["errors"]] == ["reason"]

    declined = httpx.post(
        f"{gateway}/offering-proposals/{offer['id']}/decline",
        headers=backoffice,
        json={"reason": "Dit jaar zijn er genoeg bezoeken."},
    )

    assert declined.status_code == 200, declined.text
    own = httpx.get(
        f"{gateway}/offering-proposals",
        headers=company,
        params={"approval": "declined", "limit": 500},
    ).json()
    assert {(p["id"], p["decline_reason"]) for p in own} >= {
        (offer["id"], "Dit jaar zijn er genoeg bezoeken.")
    }
    others = httpx.get(
        f"{gateway}/offering-proposals",
        headers=platform.token("voorbeeld-metaal"),
        params={"limit": 500},
    ).json()
    assert offer["id"] not in {p["id"] for p in others}
    assert (
        httpx.get(f"{gateway}/offering-proposals", headers=platform.token("corlaer")).status_code
        == 403
    )

    session = plan_visit(platform, "bedrijfsbezoek-bouw", capacity=20)
    booking_id = book(platform, "element", session["id"], students=15).json()["id"]
    refused = httpx.post(
        f"{gateway}/bookings/{booking_id}/decline",
        headers=company,
        json={"reason": "Die week is onze werkplaats dicht"},
    )

    assert (refused.status_code, refused.json()["status"]) == (200, "rejected"), refused.text
    seen = httpx.get(f"{gateway}/bookings/{booking_id}", headers=platform.token("element"))
    assert seen.json()["rejection_reason"] == "Die week is onze werkplaats dicht"
    [left] = [
        s
        for s in httpx.get(
            f"{gateway}/offerings/bedrijfsbezoek-bouw/sessions", headers=company
        ).json()
        if s["id"] == session["id"]
    ]
    assert left["seats_left"] == 20
    [told] = eventually(lambda: notifications_about(platform, "element", booking_id))
    assert "Die week is onze werkplaats dicht." in told["body"]
    assert "gastbedrijf" in told["body"]


def test_a_company_reads_its_own_cofinancing_and_nobody_elses(platform: Platform):
    held_on = datetime.now(AMSTERDAM).date()
    title = f"Robotarm programmeren {uuid4().hex[:6]}"
    event = SessionHostedV1(
        hosting_id=uuid4(),
        event_id="techevent",
        event_title="Techevent",
        session_id=uuid4(),
        session_title=title,
        host_kind="company",
        host="voorbeeld-ict",
        host_name="Voorbeeld ICT BV",
        minutes=120,
        held_on=held_on,
        students_reached=25,
    )
    envelope = Envelope.new(
        type=event.event_type, source=event_source("events"), subject=event.subject()
    )
    produce(platform, [(event.model_dump_json().encode(), envelope.to_headers())], topic=EVENT)
    gateway, ict = platform.gateway, platform.token("voorbeeld-ict")

    def own_lines():
        answer = httpx.get(
            f"{gateway}/finance/cofinancing", headers=ict, params={"year": held_on.year}
        )
        answer.raise_for_status()
        return [line for line in answer.json()["lines"] if title in line["description"]]

    [line] = eventually(own_lines)
    assert (line["form"], line["core_task"], line["minutes"]) == ("in-kind", "D", 120)
    mine = httpx.get(
        f"{gateway}/finance/cofinancing", headers=ict, params={"year": held_on.year}
    ).json()
    assert mine["company"] == "voorbeeld-ict"
    assert (
        mine["total_cents"]
        == mine["in_kind_cents"] + mine["cash_cents"]
        >= line["amount_cents"]
        > 0
    )

    bouw = platform.token("voorbeeld-bouw")
    assert (
        httpx.get(
            f"{gateway}/finance/cofinancing", headers=bouw, params={"organisation": "voorbeeld-ict"}
        ).status_code
        == 403
    )
    assert title not in str(httpx.get(f"{gateway}/finance/cofinancing", headers=bouw).json())
    assert (
        httpx.get(f"{gateway}/finance/cofinancing", headers=platform.token("corlaer")).status_code
        == 403
    )
    quarter = f"{held_on.year}-Q{(held_on.month - 1) // 3 + 1}"
    assert (
        httpx.get(
            f"{gateway}/finance/declaration-lines",
            headers=ict,
            params={"school_id": "corlaer", "quarter": quarter},
        ).status_code
        == 403
    )
    finance = platform.token("finance")
    assert httpx.get(f"{gateway}/finance/cofinancing", headers=finance).status_code == 422
    by_finance = httpx.get(
        f"{gateway}/finance/cofinancing",
        headers=finance,
        params={"organisation": "voorbeeld-ict", "year": held_on.year},
    )
    assert by_finance.json()["total_cents"] == mine["total_cents"]
