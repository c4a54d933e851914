"""The bookings half of the equipment saga on a migrated SQLite store: requests go out
through the outbox, loans' answers come in through the real inbox consumer."""

from datetime import date, timedelta

from aiokafka import ConsumerRecord

from services.bookings import catalogue, commands, handlers, queries
from services.bookings.store import messaging
from services.bookings.tests.scenario import (
    BACKOFFICE,
    group,
    new_offering,
    plan_session,
    school,
    seats_taken,
    staged,
    two_hours_on_an_open_day,
)
from shared.contracts.base import IntegrationEvent
from shared.contracts.loans import SessionEquipmentRejectedV1, SessionEquipmentReservedV1
from shared.contracts.topics import LOAN_RESERVATION
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import EventConsumer
from shared.observability.metrics import Metrics
from shared.tests.records import consumer_record

REASON = "Er is op 09-03-2027 geen robot vrij voor deze les."


async def answer(rt, *events: IntegrationEvent) -> None:
    """Deliver loans' answers through the bookings consumer, as Kafka would."""

    async def no_dead_letters():
        raise AssertionError("nothing here should be dead-lettered")

    consumer = EventConsumer(
        name="bookings",
        topics=[LOAN_RESERVATION],
        handlers=handlers.equipment_answers(rt),
        db=rt.db,
        inbox=messaging.inbox,
        metrics=Metrics(),
        dlt_producer=no_dead_letters,
        backoff_seconds=0,
    )
    await consumer.process([record(e, offset) for offset, e in enumerate(events)])


def record(event: IntegrationEvent, offset: int) -> ConsumerRecord:
    envelope = Envelope.new(type=event.event_type, source="/tft/loans", subject=event.key())
    return consumer_record(
        LOAN_RESERVATION, event.key(), event.model_dump_json().encode(), envelope, offset
    )


def reserved(request: dict) -> SessionEquipmentReservedV1:
    return SessionEquipmentReservedV1(
        session_id=request["session_id"], request_id=request["request_id"], reservation_ids=[]
    )


def rejected(request: dict) -> SessionEquipmentRejectedV1:
    return SessionEquipmentRejectedV1(
        session_id=request["session_id"],
        request_id=request["request_id"],
        category="robot",
        reason=REASON,
        alternative={"item_id": "tft-rob-001", "starts_on": "2027-03-10", "ends_on": "2027-03-10"},
    )


async def asked(rt) -> list[dict]:
    """The requests for session equipment bookings sent loans, in order."""
    return await staged(rt, "equipment-requested", aggregate="session")


async def released(rt) -> list[dict]:
    return await staged(rt, "equipment-released", aggregate="session")


async def status_of(rt, placed) -> str:
    return (await seen(rt, placed)).status


async def seen(rt, placed):
    return (
        await queries.get_visible(rt, school(placed.booking.school_id), placed.booking.id)
    ).booking


async def test_a_booking_that_needs_equipment_holds_its_seats_and_loans_is_asked_for_the_session(
    rt,
):
    session_id = await plan_session(rt, capacity=30, equipment=("robot", "drone"))
    placed = await commands.book(rt, school(), session_id, group(20))

    assert placed.booking.status == "requested"
    assert await seats_taken(rt, session_id) == 20
    [told] = await staged(rt, "requested")
    assert told["booking_id"] == str(placed.booking.id) and told["school_id"] == "corlaer"
    [request] = await asked(rt)
    assert request["session_id"] == str(session_id)
    assert request["equipment"] == ["robot", "drone"]
    assert await staged(rt, "confirmed") == []


async def test_loans_hears_the_closed_days_after_the_session(rt):
    session_id = await plan_session(rt, capacity=30, equipment=("robot",))
    await commands.book(rt, school(), session_id, group(20))
    [request] = await asked(rt)
    day = date.fromisoformat(request["starts_at"][:10])
    closed = {date.fromisoformat(d) for d in request["closed_days"]}
    until = date.fromisoformat(request["alternative_until"])
    assert until == day + timedelta(days=84)
    weekends = {
        day + timedelta(days=n) for n in range(85) if (day + timedelta(days=n)).weekday() >= 5
    }
    assert weekends <= closed


async def test_a_booking_without_equipment_is_still_confirmed_at_once(rt):
    session_id = await plan_session(rt, capacity=30)
    placed = await commands.book(rt, school(), session_id, group(20))
    assert placed.booking.status == "confirmed"
    assert await staged(rt, "requested") == [] and await asked(rt) == []


async def two_schools_waiting(rt):
    """A session needing a robot kit, booked by two schools: (session id, their two
    bookings, the one request for the session's equipment)."""
    session_id = await plan_session(rt, capacity=30, equipment=("robot",))
    first = await commands.book(rt, school("corlaer"), session_id, group(8))
    second = await commands.book(rt, school("nxt"), session_id, group(8))
    [request] = await asked(rt)
    return session_id, first, second, request


async def test_two_schools_share_the_equipment_of_one_session(rt):
    """The second school's booking waits on the request the first one caused; once loans
    holds the equipment, both are confirmed, and a third is confirmed on seats alone."""
    session_id, first, second, request = await two_schools_waiting(rt)
    assert (first.booking.status, second.booking.status) == ("requested", "requested")

    await answer(rt, reserved(request), reserved(request))

    assert [await status_of(rt, p) for p in (first, second)] == ["confirmed", "confirmed"]
    third = await commands.book(rt, school("element"), session_id, group(8))
    assert third.booking.status == "confirmed"
    assert len(await asked(rt)) == 1
    assert sorted(c["booking_id"] for c in await staged(rt, "confirmed")) == sorted(
        str(p.booking.id) for p in (first, second, third)
    )


async def test_a_rejection_rejects_every_waiting_booking_with_its_reason(rt):
    session_id, first, second, request = await two_schools_waiting(rt)

    await answer(rt, rejected(request))

    for placed in (first, second):
        booking = await seen(rt, placed)
        assert (booking.status, booking.rejection_reason) == ("rejected", REASON)
    told = await staged(rt, "rejected")
    assert [t["reason"] for t in told] == [REASON, REASON]
    assert told[0]["alternative"]["starts_on"] == "2027-03-10"
    assert await staged(rt, "cancelled") == [] and await seats_taken(rt, session_id) == 0


async def test_a_rejection_frees_the_seats_for_the_waitlist_which_asks_loans_again(rt):
    session_id = await plan_session(rt, capacity=30, equipment=("robot",))
    first = await commands.book(rt, school(), session_id, group(20))
    waiting = await commands.book(rt, school("nxt"), session_id, group(15))
    assert waiting.booking.status == "waitlisted"
    [request] = await asked(rt)

    await answer(rt, rejected(request))

    assert await status_of(rt, first) == "rejected"
    # The promoted group needs the same equipment: the session asks loans anew.
    assert await status_of(rt, waiting) == "requested"
    assert [e["booking_id"] for e in await staged(rt, "requested")] == [
        str(first.booking.id),
        str(waiting.booking.id),
    ]
    assert (await staged(rt, "requested"))[1]["from_waitlist"] is True
    again = (await asked(rt))[1]
    assert again["request_id"] != request["request_id"]
    assert await seats_taken(rt, session_id) == 15


async def test_cancelling_the_last_booking_releases_the_sessions_equipment(rt):
    session_id, first, second, request = await two_schools_waiting(rt)
    await answer(rt, reserved(request))

    await commands.cancel(rt, school("corlaer"), first.booking.id)
    assert await released(rt) == []
    await commands.cancel(rt, school("nxt"), second.booking.id)

    [release] = await released(rt)
    assert (release["session_id"], release["request_id"]) == (
        str(session_id),
        request["request_id"],
    )
    assert await seats_taken(rt, session_id) == 0


async def test_an_answer_to_a_request_let_go_meanwhile_changes_nothing(rt):
    """The only booking is cancelled before loans answers (loans frees what it reserved on
    reading the release); a new booking asks again, and the old answer decides nothing."""
    session_id = await plan_session(rt, capacity=30, equipment=("robot",))
    placed = await commands.book(rt, school(), session_id, group(20))
    await commands.cancel(rt, school(), placed.booking.id)
    later = await commands.book(rt, school("nxt"), session_id, group(20))
    old, new = await asked(rt)
    assert [r["request_id"] for r in await released(rt)] == [old["request_id"]]

    await answer(rt, reserved(old), rejected(old))

    assert (await seen(rt, placed)).status == "cancelled"
    assert await status_of(rt, later) == "requested"
    assert await staged(rt, "confirmed") == [] and await staged(rt, "rejected") == []

    await answer(rt, reserved(new))
    assert await status_of(rt, later) == "confirmed"


async def equipped_series(rt, weeks: int = 3) -> list:
    """The bookings of one group on a weekly series of an offer needing a robot kit."""
    offering_id = await new_offering(rt, ("robot",))
    planned = await catalogue.plan_series(
        rt,
        BACKOFFICE,
        offering_id,
        two_hours_on_an_open_day()[0],
        120,
        7,
        weeks,
        ["Lab series"],
        "Instructeur series",
        30,
    )
    return await commands.book_series(rt, school(), planned.series_id, group(20))


async def test_a_series_is_confirmed_only_once_each_of_its_sessions_holds_equipment(rt):
    series = await equipped_series(rt)
    assert {p.booking.status for p in series} == {"requested"}
    requests = await asked(rt)
    assert len(requests) == len(series)

    await answer(rt, *(reserved(r) for r in requests[:-1]))
    assert {await status_of(rt, p) for p in series} == {"requested"}
    assert await staged(rt, "confirmed") == []

    await answer(rt, reserved(requests[-1]))
    assert {await status_of(rt, p) for p in series} == {"confirmed"}
    assert len(await staged(rt, "confirmed")) == len(series)


async def test_no_equipment_for_one_session_rejects_every_booking_of_the_series(rt):
    """The school reads the reason on whichever booking of the series it holds; the
    equipment held for the other sessions, used by no one else, is let go."""
    series = await equipped_series(rt)
    requests = {r["session_id"]: r for r in await asked(rt)}
    first, second, third = (requests[str(p.booking.session_id)] for p in series)
    await answer(rt, reserved(first), rejected(second))

    for placed in series:
        booking = await seen(rt, placed)
        assert (booking.status, booking.rejection_reason) == ("rejected", REASON)
    assert len(await staged(rt, "rejected")) == len(series)
    assert await staged(rt, "cancelled") == [] and await staged(rt, "confirmed") == []
    assert {r["request_id"] for r in await released(rt)} == {
        first["request_id"],
        third["request_id"],
    }
