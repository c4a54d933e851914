"""A booking is refused for a level its offer is not meant for, with the problem event
registrations give (the rule is one, in shared.domain), through the service's HTTP API."""

import pytest

from services.bookings import api
from services.bookings.tests.scenario import plan_session, seats_taken
from shared.tests.callers import as_caller

SCHOOL = as_caller("bookings", "school", "corlaer")


@pytest.fixture
async def client(rt, api_client):
    return await api_client("bookings", api.routes, rt)


def _class(level: str) -> dict:
    return {"name": "2A", "level": level, "year": 2, "students": 20}


async def test_a_vmbo_class_cannot_book_a_lesson_for_primary_schools(rt, client):
    session_id = await plan_session(rt, capacity=30, audience=("po",))

    refused = await client.post(
        "/bookings",
        headers=SCHOOL,
        json={"session_id": str(session_id), "group": _class("vmbo-kb")},
    )

    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json() == {
        "type": "about:blank",
        "title": "Not possible",
        "status": 422,
        "detail": "Dit is niet bedoeld voor niveau vmbo-kb, wel voor: po.",
        "rule": "audience",
        "level": "vmbo-kb",
        "audience": ["po"],
    }
    assert await seats_taken(rt, session_id) == 0


async def test_a_class_of_a_level_the_offer_is_meant_for_books_it(rt, client):
    session_id = await plan_session(rt, capacity=30, audience=("po",))
    booked = await client.post(
        "/bookings", headers=SCHOOL, json={"session_id": str(session_id), "group": _class("po")}
    )
    assert booked.status_code == 201 and booked.json()["status"] == "confirmed"
