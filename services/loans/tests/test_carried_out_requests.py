"""A request with an Idempotency-Key acts once, whatever happens to its answer: the key is
recorded in the unit of work that makes the effect (shared.store.requests), on both stores.
Loans' reservations stand for every service's POSTs: the mechanism is the shared runtime's."""

import asyncio
from collections import Counter
from datetime import timedelta

import httpx
import pytest

from services.loans.tests.test_concurrency import ROBOTS, TODAY, _holding, _service
from shared.store.requests import IdempotentRequests
from shared.tests.callers import as_caller

pytestmark = pytest.mark.integration

SCHOOL = as_caller("loans", "school", "corlaer")
DAY = (TODAY + timedelta(days=20)).isoformat()
WISH = {"item_id": ROBOTS, "quantity": 1, "starts_on": DAY, "ends_on": DAY}


@pytest.fixture
async def loans(each_store):
    async for app in _service(each_store("tft_loans_requests")):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://loans") as http:
            yield http, app.state.runtime


def _reserve(http, key: str, wish: dict = WISH):
    return http.post("/reservations", json=wish, headers=SCHOOL | {"Idempotency-Key": key})


async def test_a_retry_gets_the_first_answer_and_reserves_nothing_more(loans):
    http, rt = loans
    first = await _reserve(http, "k-1")
    again = await _reserve(http, "k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert await _holding(rt, ROBOTS) == 1
    # Another caller's key is another key.
    other = await http.post(
        "/reservations",
        json=WISH,
        headers=as_caller("loans", "school", "corlaer", "docent-corlaer")
        | {"Idempotency-Key": "k-1"},
    )
    assert other.status_code == 201 and await _holding(rt, ROBOTS) == 2


async def test_retries_sent_all_at_once_reserve_once(loans):
    http, rt = loans
    answers = await asyncio.gather(*(_reserve(http, "k-burst") for _ in range(8)))
    assert set(Counter(a.status_code for a in answers)) <= {201, 409}
    assert await _holding(rt, ROBOTS) == 1


async def test_an_answer_lost_after_the_commit_still_reserves_once(loans, monkeypatch):
    http, rt = loans

    async def died_before_answering(self, pending, answer):
        """The process is killed between its commit and keeping (or sending) the answer."""

    monkeypatch.setattr(IdempotentRequests, "_keep", died_before_answering)
    await _reserve(http, "k-lost")
    monkeypatch.undo()
    retry = await _reserve(http, "k-lost")
    assert retry.status_code == 409 and "al uitgevoerd" in retry.json()["detail"]
    assert await _holding(rt, ROBOTS) == 1


async def test_the_same_key_on_another_request_is_refused(loans):
    http, rt = loans
    await _reserve(http, "k-2")
    other = await _reserve(http, "k-2", WISH | {"quantity": 2})
    assert other.status_code == 422 and "ander verzoek" in other.json()["detail"]
    assert await _holding(rt, ROBOTS) == 1


async def test_a_refused_request_leaves_no_key_so_its_retry_runs(loans):
    http, rt = loans
    too_many = WISH | {"quantity": 13}  # the kit has 12
    assert (await _reserve(http, "k-3", too_many)).status_code == 409
    assert (await _reserve(http, "k-3", too_many)).headers.get("idempotent-replayed") is None
