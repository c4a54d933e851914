"""Registrations, waiting list, offers and check-in through the use cases, on a migrated
SQLite store (the local run's)."""

from datetime import timedelta
from itertools import count

import pytest

from services.events import commands, queries
from services.events.domain import OFFER_TIME, RegistrationRefused
from services.events.tests.scenario import (
    BACKOFFICE,
    NOW,
    group,
    plan_session,
    school,
    seats_taken,
    staged,
)
from shared.tests.statements import statements

_ticks = count()


async def register(rt, session_id, organisation, students):
    """Each request a millisecond after the one before: the list's order is request order."""
    now = NOW + timedelta(milliseconds=next(_ticks))
    return await commands.register(rt, school(organisation), session_id, group(students), now=now)


async def status_of(rt, organisation, placed):
    seen = await queries.get_registration(rt, school(organisation), placed.registration.id)
    return seen.registration.status, seen.waitlist_position


async def test_a_full_session_waitlists_in_request_order(rt):
    session_id = await plan_session(rt, capacity=30)
    first = await register(rt, session_id, "element", 25)
    second = await register(rt, session_id, "nxt", 10)
    third = await register(rt, session_id, "corlaer", 8)
    assert (first.registration.status, first.waitlist_position) == ("confirmed", None)
    assert [(p.registration.status, p.waitlist_position) for p in (second, third)] == [
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    assert await seats_taken(rt, session_id) == 25
    assert [e["position"] for e in await staged(rt, "waitlisted")] == [1, 2]
    # Who registered, so each message reaches them.
    assert [e["registered_by"] for e in await staged(rt, "waitlisted")] == [
        "teacher@nxt",
        "teacher@corlaer",
    ]


async def test_a_group_larger_than_the_session_is_refused(rt):
    session_id = await plan_session(rt, capacity=30)
    with pytest.raises(RegistrationRefused) as refused:
        await register(rt, session_id, "corlaer", 31)
    assert refused.value.status == 422


async def test_a_cancellation_offers_the_seats_which_the_group_accepts(rt):
    session_id = await plan_session(rt, capacity=30)
    leaving = await register(rt, session_id, "element", 12)
    await register(rt, session_id, "nxt", 18)
    too_big = await register(rt, session_id, "corlaer", 13)
    fits = await register(rt, session_id, "trivium", 7)

    await commands.cancel(rt, school("element"), leaving.registration.id, now=NOW)

    assert await status_of(rt, "corlaer", too_big) == ("waitlisted", 1)
    offered = (
        await queries.get_registration(rt, school("trivium"), fits.registration.id)
    ).registration
    assert (offered.status, offered.offer_expires_at) == ("offered", NOW + OFFER_TIME)
    assert await seats_taken(rt, session_id) == 25  # the offer holds its seats
    [offer] = await staged(rt, "offered")
    assert offer["registration_id"] == str(fits.registration.id)

    accepted = await commands.accept(
        rt, school("trivium"), fits.registration.id, now=NOW + OFFER_TIME - timedelta(seconds=1)
    )
    assert (accepted.status, accepted.offer_expires_at) == ("confirmed", None)
    assert (await staged(rt, "confirmed"))[-1]["from_offer"] is True
    assert await seats_taken(rt, session_id) == 25


async def test_a_lapsed_offer_moves_on_to_the_next_group_and_cannot_be_accepted(rt):
    session_id = await plan_session(rt, capacity=10)
    leaving = await register(rt, session_id, "element", 10)
    slow = await register(rt, session_id, "nxt", 10)
    next_in_line = await register(rt, session_id, "corlaer", 10)
    await commands.cancel(rt, school("element"), leaving.registration.id, now=NOW)

    assert await commands.lapse_offers(rt, now=NOW + OFFER_TIME - timedelta(seconds=1)) == 0
    later = NOW + OFFER_TIME
    assert await commands.lapse_offers(rt, now=later) == 1

    assert await status_of(rt, "nxt", slow) == ("lapsed", None)
    assert await status_of(rt, "corlaer", next_in_line) == ("offered", None)
    assert await seats_taken(rt, session_id) == 10
    with pytest.raises(RegistrationRefused, match="geen aanbod"):
        await commands.accept(rt, school("nxt"), slow.registration.id, now=later)
    assert [e["registration_id"] for e in await staged(rt, "offer-lapsed")] == [
        str(slow.registration.id)
    ]


async def test_a_waiting_group_leaves_the_list_without_touching_seats(rt):
    session_id = await plan_session(rt, capacity=10)
    await register(rt, session_id, "element", 10)
    leaving = await register(rt, session_id, "nxt", 4)
    staying = await register(rt, session_id, "corlaer", 4)

    cancelled = await commands.cancel(rt, school("nxt"), leaving.registration.id, now=NOW)

    assert cancelled.status == "cancelled"
    assert await status_of(rt, "corlaer", staying) == ("waitlisted", 1)
    assert await seats_taken(rt, session_id) == 10
    [event] = await staged(rt, "cancelled")
    assert event["was_waitlisted"] is True


async def test_schools_see_only_their_own_registrations(rt):
    session_id = await plan_session(rt, capacity=10)
    own = await register(rt, session_id, "element", 4)
    await register(rt, session_id, "nxt", 4)
    with pytest.raises(RegistrationRefused) as hidden:
        await queries.get_registration(rt, school("nxt"), own.registration.id)
    assert hidden.value.status == 404
    mine = await queries.list_registrations(rt, school("element"), 50, 0)
    assert [p.registration.school_id for p in mine] == ["element"]
    assert len(await queries.list_registrations(rt, BACKOFFICE, 50, 0)) == 2


async def test_a_check_in_code_counts_once_and_only_for_its_own_event(rt):
    session_id = await plan_session(rt, capacity=30, event_id="girls-day-2027-04-08")
    other_session = await plan_session(rt, capacity=30, event_id="techevent-2027-05-27")
    placed = await register(rt, session_id, "corlaer", 20)
    elsewhere = await register(rt, other_session, "corlaer", 20)
    code = placed.registration.check_in_code

    with pytest.raises(RegistrationRefused) as wrong_event:
        await commands.check_in(
            rt,
            BACKOFFICE,
            "girls-day-2027-04-08",
            elsewhere.registration.check_in_code,
            20,
            now=NOW,
        )
    assert wrong_event.value.status == 404
    checked = await commands.check_in(rt, BACKOFFICE, "girls-day-2027-04-08", code, 18, now=NOW)
    assert (checked.students_present, checked.checked_in_at) == (18, NOW)
    with pytest.raises(RegistrationRefused) as twice:
        await commands.check_in(rt, BACKOFFICE, "girls-day-2027-04-08", code, 18, now=NOW)
    assert twice.value.status == 409
    [event] = await staged(rt, "checked-in")
    assert (event["students_present"], event["event_id"]) == (18, "girls-day-2027-04-08")


async def test_the_list_gives_each_waiting_groups_position_in_two_statements(rt):
    sessions = [await plan_session(rt, capacity=10) for _ in range(2)]
    for session_id in sessions:
        await register(rt, session_id, "element", 10)
        for organisation in ("nxt", "corlaer", "trivium"):
            await register(rt, session_id, organisation, 5)

    with statements(rt.db.engine) as sent:
        listed = await queries.list_registrations(rt, BACKOFFICE, limit=50, offset=0)

    positions = [(p.registration.school_id, p.waitlist_position) for p in listed]
    assert positions == [("element", None), ("nxt", 1), ("corlaer", 2), ("trivium", 3)] * 2
    assert len(sent) == 2  # the registrations, then every waiting one's position
