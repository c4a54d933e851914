"""Companies take part themselves: a company contact proposes offers its company hosts (the
backoffice approves before schools see them) and answers the schools' requests for its
visits and internship places."""

import asyncio

import pytest

from services.bookings import catalogue, commands, proposals, queries
from services.bookings.domain import BookingRefused
from services.bookings.queries import CatalogueFilter
from services.bookings.tests.scenario import (
    BACKOFFICE,
    group,
    migrated_runtime,
    school,
    seats_taken,
    staged,
    two_hours_on_an_open_day,
)
from shared.contracts.requests.bookings import NewProposal
from shared.domain import Refused
from shared.http import Caller
from shared.tests.racing import warm


def company(organisation: str = "voorbeeld-bouw") -> Caller:
    return Caller(actor=f"contact@{organisation}", role="company", organisation=organisation)


VISIT = NewProposal(
    kind="company_visit",
    title="Bedrijfsbezoek prefab bouwen",
    audience=["vmbo-kb"],
    profile="BWI",
    location="Voorbeeld Bouw BV",
    capacity=20,
    assignment="Zet in tweetallen een stuk fundering uit.",
)


async def approved_visit(rt, capacity: int = 20) -> str:
    """A visit voorbeeld-bouw proposed, approved and given a session: its session id."""
    offering = await proposals.propose(rt, company(), VISIT)
    await proposals.decide(rt, BACKOFFICE, offering.id, approve=True)
    session = await catalogue.plan_session(
        rt,
        BACKOFFICE,
        offering.id,
        *two_hours_on_an_open_day(),
        f"Werkplaats {offering.id}",
        f"Gids {offering.id}",
        capacity,
    )
    return session.id


async def catalogue_ids(rt) -> set[str]:
    return {o.id for o in await queries.offerings(rt, CatalogueFilter(), 500, 0)}


async def test_a_proposal_is_seen_by_schools_only_once_the_backoffice_approves_it(rt):
    offering = await proposals.propose(rt, company(), VISIT)

    assert (offering.approval, offering.host_company) == ("proposed", "voorbeeld-bouw")
    [told] = await staged(rt, "proposed", "offering")
    assert (told["offering_id"], told["proposed_by"]) == (offering.id, "contact@voorbeeld-bouw")
    assert offering.id not in await catalogue_ids(rt)
    for outsider in (school(), company("voorbeeld-metaal")):
        with pytest.raises(BookingRefused, match="bestaat niet"):
            await queries.offering(rt, outsider, offering.id)
    assert (await queries.offering(rt, company(), offering.id)).id == offering.id
    with pytest.raises(BookingRefused, match="nog niet goedgekeurd"):
        await catalogue.plan_session(
            rt, BACKOFFICE, offering.id, *two_hours_on_an_open_day(), "Werkplaats", "Gids", 20
        )

    await proposals.decide(rt, BACKOFFICE, offering.id, approve=True)

    assert offering.id in await catalogue_ids(rt)
    assert (await queries.offering(rt, school(), offering.id)).approval == "approved"
    [decided] = await staged(rt, "proposal-decided", "offering")
    assert (decided["approved"], decided["host_company"]) == (True, "voorbeeld-bouw")
    assert [p["offering_id"] for p in await staged(rt, "published", "offering")] == [offering.id]


async def test_a_declined_proposal_keeps_the_reason_for_its_company_and_is_decided_once(rt):
    offering = await proposals.propose(rt, company(), VISIT)
    other = await proposals.propose(rt, company("voorbeeld-metaal"), VISIT)

    await proposals.decide(
        rt,
        BACKOFFICE,
        offering.id,
        approve=False,
        reason="Dit bezoek past niet in het programma van dit jaar.",
    )

    [mine] = await proposals.proposals(rt, company(), None, 50, 0)
    assert (mine.id, mine.approval, mine.decline_reason) == (
        offering.id,
        "declined",
        "Dit bezoek past niet in het programma van dit jaar.",
    )
    assert {p.id for p in await proposals.proposals(rt, BACKOFFICE, "proposed", 50, 0)} == {
        other.id
    }
    assert offering.id not in await catalogue_ids(rt)
    with pytest.raises(BookingRefused, match="al besloten"):
        await proposals.decide(rt, BACKOFFICE, offering.id, approve=True)
    with pytest.raises(Refused, match="mag dit niet"):
        await proposals.decide(rt, school(), other.id, approve=True)
    with pytest.raises(Refused, match="mag dit niet"):
        await proposals.proposals(rt, school(), None, 50, 0)


async def test_a_practical_assignment_is_declared_under_core_task_c_and_needs_its_task(rt):
    assignment = VISIT.model_copy(
        update={"kind": "assignment", "title": "Praktijkopdracht slimme bouwplaats"}
    )
    offering = await proposals.propose(rt, company(), assignment)
    assert offering.kind == "assignment"
    assert (await queries.offering(rt, company(), offering.id)).core_task is None

    with pytest.raises(BookingRefused, match="beschrijft de opdracht"):
        await proposals.propose(rt, company(), assignment.model_copy(update={"assignment": None}))


async def test_a_request_for_a_visit_waits_for_the_host_who_accepts_it(rt):
    session_id = await approved_visit(rt)

    placed = await commands.book(rt, school(), session_id, group(12))

    assert placed.booking.status == "requested"
    [asked] = await staged(rt, "host-requested")
    assert (asked["host_company"], asked["school_id"]) == ("voorbeeld-bouw", "corlaer")
    assert await staged(rt, "confirmed") == []
    with pytest.raises(Refused, match="mag dit niet"):
        await commands.accept_request(rt, school(), placed.booking.id)
    with pytest.raises(BookingRefused, match="bestaat niet"):
        await commands.accept_request(rt, company("voorbeeld-metaal"), placed.booking.id)

    accepted = await commands.accept_request(rt, company(), placed.booking.id)

    assert accepted.status == "confirmed"
    assert [e["booking_id"] for e in await staged(rt, "confirmed")] == [str(placed.booking.id)]
    with pytest.raises(BookingRefused, match="al beantwoord"):
        await commands.decline_request(rt, company(), placed.booking.id, "Toch niet.")


async def test_a_declined_request_tells_the_school_why_and_its_seats_go_to_the_next_group(rt):
    session_id = await approved_visit(rt, capacity=20)
    first = await commands.book(rt, school(), session_id, group(15))
    waiting = await commands.book(rt, school("element"), session_id, group(10))
    assert waiting.booking.status == "waitlisted"

    declined = await commands.decline_request(
        rt, company(), first.booking.id, "Die week is onze werkplaats dicht"
    )

    assert (declined.status, declined.rejection_reason) == (
        "rejected",
        "Die week is onze werkplaats dicht",
    )
    [rejected] = await staged(rt, "rejected")
    assert (rejected["rejected_by"], rejected["reason"]) == (
        "host",
        "Die week is onze werkplaats dicht",
    )
    promoted = await queries.get_visible(rt, school("element"), waiting.booking.id)
    assert promoted.booking.status == "requested"  # the host answers the next group too
    assert [e["booking_id"] for e in await staged(rt, "host-requested")] == [
        str(first.booking.id),
        str(waiting.booking.id),
    ]
    assert await seats_taken(rt, session_id) == 10


@pytest.fixture
async def each_rt(each_store):
    runtime = await migrated_runtime(each_store("tft_bookings_companies"))
    await warm(runtime.db)
    yield runtime
    await runtime.db.dispose()


@pytest.mark.integration
async def test_a_request_answered_twice_at_once_gets_one_answer(each_rt):
    """Accepting and declining at the same moment: the booking's row lock lets one win, the
    other hears the request was answered (both stores)."""
    rt = each_rt
    session_id = await approved_visit(rt)
    placed = await commands.book(rt, school(), session_id, group(12))

    answers = await asyncio.gather(
        commands.accept_request(rt, company(), placed.booking.id),
        commands.decline_request(rt, company(), placed.booking.id, "Geen begeleider vrij."),
        return_exceptions=True,
    )

    refused = [a for a in answers if isinstance(a, BookingRefused)]
    assert len(refused) == 1 and refused[0].extra["rule"] == "answered", answers
    found = await queries.get_visible(rt, school(), placed.booking.id)
    expected_seats = 12 if found.booking.status == "confirmed" else 0
    assert await seats_taken(rt, session_id) == expected_seats
    assert len(await staged(rt, "confirmed")) + len(await staged(rt, "rejected")) == 1
