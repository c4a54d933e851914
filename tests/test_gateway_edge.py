"""The gateway in front of the real platform: idempotent retries and a stopped service."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.harness import Platform
from tests.test_first_flow import plan_session

pytestmark = pytest.mark.integration


def test_twenty_parallel_retries_with_one_key_book_once(platform: Platform):
    session = plan_session(platform, capacity=30)
    headers = platform.token("element") | {"Idempotency-Key": f"book-{session['id']}"}
    body = {
        "session_id": session["id"],
        "group": {"name": "2A", "level": "vmbo-kb", "year": 2, "students": 1},
    }
    with ThreadPoolExecutor(20) as pool:
        answers = list(
            pool.map(
                lambda _: httpx.post(
                    f"{platform.gateway}/bookings", headers=headers, json=body, timeout=30
                ),
                range(20),
            )
        )
    assert {a.status_code for a in answers} <= {201, 409}
    assert len({a.json()["id"] for a in answers if a.status_code == 201}) == 1
    sessions = httpx.get(
        f"{platform.gateway}/offerings/{session['offering_id']}/sessions",
        headers=platform.token("element"),
    ).json()
    assert next(s for s in sessions if s["id"] == session["id"])["seats_left"] == 29


def test_a_stopped_service_gives_503_on_its_routes_and_the_others_answer(platform: Platform):
    headers = platform.token("backoffice")
    platform.processes["loans"].stop()
    try:
        loans = httpx.get(f"{platform.gateway}/equipment", headers=headers)
        bookings = httpx.get(f"{platform.gateway}/offerings", headers=headers)
    finally:
        platform.restart("loans")
    assert loans.status_code == 503 and loans.json()["service"] == "loans"
    assert loans.headers["retry-after"]
    assert bookings.status_code == 200
