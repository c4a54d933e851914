"""Reservations only for sensible dates, and the loan policy the backoffice sets, through the
loans API on a migrated store (SQLite, and PostgreSQL where the dates reach the database),
with "today" pinned."""

from datetime import date, timedelta

import httpx
import pytest

from services.loans.tests.serving import BACKOFFICE, CORLAER, NXT, item, serving

TODAY = date(2027, 3, 1)
H2 = "tft-h2-001"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
async def client(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'loans.db'}"
    else:
        url = request.getfixturevalue("fresh_database")("tft_loans_policy")
    async with serving(url, [item(H2, "hydrogen-car", 1)], TODAY) as (_, http):
        yield http


def after(days: int) -> str:
    return (TODAY + timedelta(days)).isoformat()


async def _reserve(client, starts_on: str, ends_on: str, headers=CORLAER) -> httpx.Response:
    return await client.post(
        "/reservations",
        headers=headers,
        json={"item_id": H2, "starts_on": starts_on, "ends_on": ends_on},
    )


async def _extend(client, reservation_id: str, ends_on: str) -> httpx.Response:
    return await client.post(
        f"/reservations/{reservation_id}/extend", headers=CORLAER, json={"ends_on": ends_on}
    )


def _refusal(answer: httpx.Response) -> tuple[str, str]:
    """A 422 problem naming one field: that field and the Dutch detail."""
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    [error] = body["errors"]
    assert error["message"] == body["detail"]
    return error["field"], body["detail"]


async def test_a_reservation_starting_in_the_past_is_refused_and_today_is_not(client):
    field, detail = _refusal(await _reserve(client, after(-1), after(1)))
    assert (field, detail) == (
        "starts_on",
        "Een reservering begint vandaag (01-03-2027) of later, niet in het verleden.",
    )
    assert (await _reserve(client, after(0), after(1))).status_code == 201


async def test_a_reservation_ending_before_it_starts_is_refused(client):
    field, detail = _refusal(await _reserve(client, after(3), after(2)))
    assert field == "ends_on" and "niet voor de eerste dag" in detail


async def test_a_reservation_beyond_the_horizon_or_the_maximum_length_is_refused(client):
    field, detail = _refusal(await _reserve(client, after(360), after(366)))
    assert (field, detail) == (
        "ends_on",
        "Apparatuur wordt ten hoogste 365 dagen vooruit "
        "gereserveerd: de laatste dag is uiterlijk "
        "29-02-2028.",
    )
    field, detail = _refusal(await _reserve(client, after(10), after(31)))
    assert field == "ends_on" and "ten hoogste 21 dagen" in detail and "duurt 22" in detail
    assert (await _reserve(client, after(10), after(30))).status_code == 201


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        ("0001-01-01", "0001-01-01"),
        ("0001-01-01", "9999-12-31"),
        ("9999-12-31", "9999-12-31"),
        (after(0), "9999-12-31"),
    ],
)
async def test_absurd_dates_are_refused_with_a_422(client, starts_on, ends_on):
    _refusal(await _reserve(client, starts_on, ends_on))


async def test_an_extension_past_the_maximum_length_or_the_horizon_is_refused(client):
    mine = (await _reserve(client, after(1), after(3))).json()["id"]
    field, detail = _refusal(await _extend(client, mine, after(22)))
    assert field == "ends_on" and "verlengingen meegerekend" in detail
    field, detail = _refusal(await _extend(client, mine, "9999-12-31"))
    assert field == "ends_on" and "365 dagen vooruit" in detail
    extended = await _extend(client, mine, after(21))
    assert extended.status_code == 200 and extended.json()["ends_on"] == after(21)


async def test_the_backoffice_sets_the_policy_and_reservations_follow_it(client):
    assert (await client.get("/policy", headers=CORLAER)).json() == {
        "horizon_days": 365,
        "max_days": 21,
    }
    stricter = {"horizon_days": 30, "max_days": 7}
    changed = await client.put("/policy", headers=BACKOFFICE, json=stricter)
    assert changed.status_code == 200 and changed.json() == stricter
    assert (await client.get("/policy", headers=CORLAER)).json() == stricter

    field, detail = _refusal(await _reserve(client, after(1), after(8)))
    assert "ten hoogste 7 dagen" in detail
    field, detail = _refusal(await _reserve(client, after(31), after(31)))
    assert "uiterlijk 31-03-2027" in detail
    assert (await _reserve(client, after(24), after(30))).status_code == 201


async def test_a_school_may_not_change_the_policy_nor_set_a_senseless_one(client):
    refused = await client.put(
        "/policy", headers=CORLAER, json={"horizon_days": 730, "max_days": 365}
    )
    assert refused.status_code == 403
    nothing = await client.put(
        "/policy", headers=BACKOFFICE, json={"horizon_days": 30, "max_days": 0}
    )
    assert nothing.status_code == 422
    assert (await client.get("/policy", headers=BACKOFFICE)).json() == {
        "horizon_days": 365,
        "max_days": 21,
    }


async def test_no_alternative_is_offered_beyond_the_horizon(client):
    await client.put("/policy", headers=BACKOFFICE, json={"horizon_days": 30, "max_days": 7})
    assert (await _reserve(client, after(25), after(30), headers=NXT)).status_code == 201
    taken = await _reserve(client, after(28), after(29))
    assert taken.status_code == 409 and "alternative" not in taken.json()
    await _reserve(client, after(20), after(21), headers=NXT)
    offered = await _reserve(client, after(20), after(20))
    assert offered.json()["alternative"] == {
        "item_id": H2,
        "starts_on": after(22),
        "ends_on": after(22),
    }
