"""Hosting hours and event costs for finance, through the use cases on a migrated SQLite
store: each told once through the outbox."""

from datetime import date, timedelta

import pytest

from services.events import commands, hosting
from services.events.domain import RegistrationRefused
from services.events.tests.scenario import (
    BACKOFFICE,
    NOW,
    group,
    plan_session,
    school,
    staged,
)
from shared.contracts.requests.events import EventSessionChange, NewEventCost
from shared.domain import Refused
from shared.http import Caller

EVENT = "girls-day-2027-04-08"
AFTER = NOW + timedelta(days=7, hours=7)  # plan_session's event: NOW + 7 days, 6 hours long
COST = NewEventCost(
    description="Busvervoer",
    amount_cents=45_000,
    supplier="Touringcar BV",
    invoice_reference="F2027-0113",
    incurred_on=date(2027, 1, 17),
)


async def test_a_held_session_tells_finance_once_with_its_hosts_minutes_and_reach(rt):
    session_id = await plan_session(rt, capacity=60, event_id=EVENT)
    for school_id, registered, present in (("corlaer", 25, 25), ("element", 20, 16)):
        placed = await commands.register(
            rt, school(school_id), session_id, group(registered), now=NOW
        )
        await commands.check_in(
            rt, BACKOFFICE, EVENT, placed.registration.check_in_code, present, now=AFTER
        )

    held = await hosting.record_held(rt, BACKOFFICE, session_id, None, now=AFTER)
    with pytest.raises(RegistrationRefused, match=" al ") as twice:
        await hosting.record_held(rt, BACKOFFICE, session_id, 90, now=AFTER)

    assert twice.value.status == 409
    [told] = await staged(rt, "hosted", aggregate="session")
    assert told["hosting_id"] == str(held.id)
    assert (told["host_kind"], told["host"], told["host_name"]) == (
        "company",
        "voorbeeld-bouw",
        "Voorbeeld Bouw BV",
    )
    assert (told["minutes"], told["students_reached"], told["held_on"]) == (
        6 * 60,
        25 + 16,
        "2027-01-17",
    )


async def test_a_session_with_times_of_its_own_is_held_for_its_own_length(rt):
    session_id = await plan_session(rt, capacity=60, event_id=EVENT)
    await commands.change_session(
        rt,
        BACKOFFICE,
        session_id,
        EventSessionChange(
            starts_at=NOW + timedelta(days=7, hours=1), ends_at=NOW + timedelta(days=7, hours=3)
        ),
    )
    with pytest.raises(RegistrationRefused, match="begonnen"):
        await hosting.record_held(
            rt, BACKOFFICE, session_id, None, now=NOW + timedelta(days=7, minutes=30)
        )
    held = await hosting.record_held(rt, BACKOFFICE, session_id, None, now=AFTER)
    assert held.minutes == 2 * 60


async def test_a_session_is_not_held_before_its_event_begins_nor_by_a_school(rt):
    session_id = await plan_session(rt, capacity=60, event_id=EVENT)
    with pytest.raises(RegistrationRefused, match="begonnen") as early:
        await hosting.record_held(rt, BACKOFFICE, session_id, 120, now=NOW)
    assert early.value.status == 422
    with pytest.raises(Refused) as not_backoffice:
        await hosting.record_held(rt, school(), session_id, 120, now=AFTER)
    assert not_backoffice.value.status == 403
    assert await staged(rt, "hosted", aggregate="session") == []


async def test_an_event_cost_is_recorded_once_per_invoice_and_told_to_finance(rt):
    await plan_session(rt, capacity=60, event_id=EVENT)
    cost = await hosting.record_cost(rt, BACKOFFICE, EVENT, COST, now=NOW)
    with pytest.raises(RegistrationRefused, match=" al "):
        await hosting.record_cost(rt, BACKOFFICE, EVENT, COST, now=NOW)

    [told] = await staged(rt, "recorded", aggregate="cost")
    assert told == {
        "cost_id": str(cost.id),
        "event_id": EVENT,
        "event_title": "Girls Day",
        "description": "Busvervoer",
        "amount_cents": 45_000,
        "supplier": "Touringcar BV",
        "invoice_reference": "F2027-0113",
        "incurred_on": "2027-01-17",
    }
    programme = Caller(actor="programma", role="programme", organisation="tft")
    assert [c.id for c in await hosting.costs_of(rt, programme, EVENT)] == [cost.id]
    with pytest.raises(RegistrationRefused) as unknown:
        await hosting.record_cost(rt, BACKOFFICE, "no-such-event", COST, now=NOW)
    assert unknown.value.status == 404
