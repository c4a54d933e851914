"""Check-out, return, damage and repair through the loans API on a migrated SQLite store,
with "today" pinned, and the events each stages in the outbox."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

import pytest

from services.loans import overdue
from services.loans.tests.serving import BACKOFFICE, CORLAER, NXT, item, serving
from shared.domain import AMSTERDAM
from shared.tests.clock import ManualClock
from shared.tests.runtime import staged

TODAY = date(2028, 1, 11)
EVENTS = "nl.tisfortech.loans.reservation."


@pytest.fixture
async def serves(tmp_path):
    items = [item("tft-h2-001", "hydrogen-car", 1), item("tft-rob-001", "robot", 12)]
    async with serving(f"sqlite+aiosqlite:///{tmp_path / 'loans.db'}", items, TODAY) as both:
        yield both


@pytest.fixture
def app(serves):
    return serves[0]


@pytest.fixture
def client(serves):
    return serves[1]


async def _reserve(client, item_id: str, first: int, last: int, headers=CORLAER, **more) -> str:
    made = await client.post(
        "/reservations",
        headers=headers,
        json={
            "item_id": item_id,
            "starts_on": f"2028-01-{first:02d}",
            "ends_on": f"2028-01-{last:02d}",
            **more,
        },
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


@contextmanager
def _on(app, day: date) -> Iterator[None]:
    """Plays an earlier day: what is reserved then may start before TODAY."""
    runtime = app.state.runtime
    today = runtime.clock
    runtime.clock = ManualClock(datetime.combine(day, time(12), AMSTERDAM).astimezone(UTC))
    try:
        yield
    finally:
        runtime.clock = today


async def _check_out(client, reservation_id: str, note: str = "compleet, krasje op deur"):
    return await client.post(
        f"/reservations/{reservation_id}/check-out",
        headers=BACKOFFICE,
        json={"condition_note": note},
    )


async def _return(client, reservation_id: str, condition: str = "goed", damage=None):
    return await client.post(
        f"/reservations/{reservation_id}/return",
        headers=BACKOFFICE,
        json={"condition": condition, "damage": damage},
    )


async def _item_shown(client, item_id: str) -> dict:
    return (await client.get(f"/items/{item_id}", headers=CORLAER)).json()


async def _staged(app, suffix: str) -> list[dict]:
    return await staged(app.state.runtime, EVENTS + suffix)


async def test_a_loan_is_checked_out_with_its_condition_note_and_shows_as_out(app, client):
    mine = await _reserve(client, "tft-h2-001", 11, 12)
    out = await _check_out(client, mine)
    assert out.status_code == 200, out.text
    assert out.json()["status"] == "checked_out"
    assert out.json()["checkout_note"] == "compleet, krasje op deur"
    shown = await _item_shown(client, "tft-h2-001")
    assert (shown["status"], shown["units_out"]) == ("checked_out", 1)
    [event] = await _staged(app, "checked-out.v1")
    assert (event["reservation_id"], event["condition_note"]) == (mine, "compleet, krasje op deur")
    # Whoever checks it out, the loan's messages concern the person who reserved it.
    assert event["reserved_by"] == "corlaer"


async def test_a_loan_is_collected_only_on_a_day_of_its_period(app, client):
    later = await _reserve(client, "tft-h2-001", 12, 14)
    assert (await _check_out(client, later)).status_code == 409
    with _on(app, date(2028, 1, 3)):
        over = await _reserve(client, "tft-h2-001", 3, 10)
    assert (await _check_out(client, over)).status_code == 409


async def test_only_the_backoffice_checks_out_and_takes_back(client):
    mine = await _reserve(client, "tft-h2-001", 11, 12)
    refused = await client.post(f"/reservations/{mine}/check-out", headers=CORLAER, json={})
    assert refused.status_code == 403
    await _check_out(client, mine)
    refused = await client.post(
        f"/reservations/{mine}/return", headers=CORLAER, json={"condition": "goed"}
    )
    assert refused.status_code == 403


async def test_a_kit_with_part_of_its_units_out_shows_how_many(client):
    mine = await _reserve(client, "tft-rob-001", 11, 12, quantity=5)
    await _reserve(client, "tft-rob-001", 11, 11, headers=NXT, quantity=7)
    await _check_out(client, mine)
    shown = await _item_shown(client, "tft-rob-001")
    assert (shown["status"], shown["units_out"]) == ("checked_out", 5)


async def test_a_return_without_damage_frees_the_item_for_the_rest_of_the_period(app, client):
    mine = await _reserve(client, "tft-h2-001", 11, 14)
    await _check_out(client, mine)
    back = await _return(client, mine, condition="vuil, verder goed")
    assert back.status_code == 200, back.text
    assert (back.json()["status"], back.json()["return_condition"]) == (
        "returned",
        "vuil, verder goed",
    )
    shown = await _item_shown(client, "tft-h2-001")
    assert (shown["status"], shown["condition"]) == ("available", "vuil, verder goed")
    [event] = await _staged(app, "returned.v1")
    assert (event["condition"], event["returned_on"]) == ("vuil, verder goed", "2028-01-11")
    assert await _staged(app, "damage-reported.v1") == []
    await _reserve(client, "tft-h2-001", 12, 14, headers=NXT)
    assert (await _return(client, mine)).status_code == 409


async def test_damage_is_reported_to_finance_and_keeps_the_item_in_repair(app, client):
    mine = await _reserve(client, "tft-h2-001", 11, 11)
    await _check_out(client, mine)
    back = await _return(
        client,
        mine,
        condition="beschadigd",
        damage={"description": "Brandstofcel lekt", "repair_cost_cents": 48_50},
    )
    assert back.status_code == 200, back.text

    [damage] = await _staged(app, "damage-reported.v1")
    assert (
        damage["reservation_id"],
        damage["school_id"],
        damage["description"],
        damage["repair_cost_cents"],
        damage["reported_on"],
    ) == (mine, "corlaer", "Brandstofcel lekt", 4850, "2028-01-11")
    assert len(await _staged(app, "returned.v1")) == 1
    assert (await _item_shown(client, "tft-h2-001"))["status"] == "in_repair"
    listed = await client.get("/damage-reports", headers=BACKOFFICE)
    assert [d["id"] for d in listed.json()] == [damage["damage_id"]]
    refused = await client.post(
        "/reservations",
        headers=NXT,
        json={"item_id": "tft-h2-001", "starts_on": "2028-01-20", "ends_on": "2028-01-21"},
    )
    assert refused.status_code == 409


async def test_a_damaged_kit_is_not_lent_until_the_backoffice_marks_it_repaired(client):
    damaged = await _reserve(client, "tft-rob-001", 11, 12, quantity=5)
    waiting = await _reserve(client, "tft-rob-001", 11, 12, headers=NXT, quantity=7)
    await _check_out(client, damaged)
    await _return(
        client,
        damaged,
        condition="beschadigd",
        damage={"description": "Twee servo's kapot", "repair_cost_cents": 3000},
    )
    assert (await _check_out(client, waiting)).status_code == 409

    not_allowed = await client.post("/items/tft-rob-001/repaired", headers=NXT, json={})
    assert not_allowed.status_code == 403
    repaired = await client.post("/items/tft-rob-001/repaired", headers=BACKOFFICE, json={})
    assert repaired.status_code == 200
    assert (repaired.json()["status"], repaired.json()["condition"]) == ("available", "goed")
    assert (await _check_out(client, waiting)).status_code == 200
    again = await client.post("/items/tft-rob-001/repaired", headers=BACKOFFICE, json={})
    assert again.status_code == 409


async def test_a_checked_out_loan_is_extended_when_nothing_conflicts_and_never_cancelled(
    app,
    client,
):
    mine = await _reserve(client, "tft-h2-001", 11, 12)
    await _reserve(client, "tft-h2-001", 15, 16, headers=NXT)
    await _check_out(client, mine)
    extended = await client.post(
        f"/reservations/{mine}/extend", headers=CORLAER, json={"ends_on": "2028-01-14"}
    )
    assert extended.status_code == 200 and extended.json()["status"] == "checked_out"
    clash = await client.post(
        f"/reservations/{mine}/extend", headers=BACKOFFICE, json={"ends_on": "2028-01-15"}
    )
    assert clash.status_code == 409
    cancelled = await client.post(f"/reservations/{mine}/cancel", headers=CORLAER)
    assert cancelled.status_code == 409
    assert len(await _staged(app, "extended.v1")) == 1


async def test_a_school_reads_its_own_reservation_and_not_another_schools(client):
    mine = await _reserve(client, "tft-h2-001", 11, 12)
    assert (await client.get(f"/reservations/{mine}", headers=CORLAER)).status_code == 200
    assert (await client.get(f"/reservations/{mine}", headers=NXT)).status_code == 404
    assert (await client.get(f"/reservations/{mine}", headers=BACKOFFICE)).status_code == 200
    assert (await client.get("/damage-reports", headers=CORLAER)).status_code == 403


async def test_each_overdue_loan_is_reported_once_with_its_days_late(app, client):
    late = await _reserve(client, "tft-h2-001", 11, 11)
    on_time = await _reserve(client, "tft-rob-001", 11, 20, quantity=4)
    returned = await _reserve(client, "tft-rob-001", 11, 11, headers=NXT, quantity=4)
    await _reserve(client, "tft-rob-001", 11, 12, headers=NXT, quantity=4)  # never collected
    for loan in (late, on_time, returned):
        await _check_out(client, loan)
    await _return(client, returned)
    rt = app.state.runtime

    assert await overdue.report_overdue(rt, TODAY) == 0  # the last day is not late yet
    assert await overdue.report_overdue(rt, date(2028, 1, 14)) == 1
    assert await overdue.report_overdue(rt, date(2028, 1, 15)) == 0
    [notice] = await _staged(app, "overdue.v1")
    assert (notice["reservation_id"], notice["school_id"], notice["days_overdue"]) == (
        late,
        "corlaer",
        3,
    )
    shown = (await client.get(f"/reservations/{late}", headers=CORLAER)).json()
    assert shown["overdue_notified_at"] is not None


async def test_an_item_is_retired_only_when_nothing_holds_it_from_today_on(app, client):
    mine = await _reserve(client, "tft-h2-001", 11, 12)
    refused = await client.post("/items/tft-h2-001/retire", headers=BACKOFFICE)
    assert refused.status_code == 409
    await client.post(f"/reservations/{mine}/cancel", headers=CORLAER)
    with _on(app, date(2028, 1, 3)):
        await _reserve(client, "tft-h2-001", 3, 4)  # in the past now: no promise to keep
    assert (await client.post("/items/tft-h2-001/retire", headers=CORLAER)).status_code == 403
    retired = await client.post("/items/tft-h2-001/retire", headers=BACKOFFICE)
    assert retired.status_code == 200 and retired.json()["status"] == "retired"
    gone = await client.post(
        "/reservations",
        headers=NXT,
        json={"item_id": "tft-h2-001", "starts_on": "2028-02-01", "ends_on": "2028-02-01"},
    )
    assert gone.status_code == 409


async def test_a_loan_waits_until_the_overdue_one_before_it_is_back(app, client):
    with _on(app, date(2028, 1, 8)):
        late = await _reserve(client, "tft-h2-001", 8, 9)
        following = await _reserve(client, "tft-h2-001", 10, 12, headers=NXT)
    with _on(app, date(2028, 1, 9)):
        await _check_out(client, late)
    assert (await _check_out(client, following)).status_code == 409
    await _return(client, late)
    assert (await _check_out(client, following)).status_code == 200
