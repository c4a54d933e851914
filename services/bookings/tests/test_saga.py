"""The bookings half of the equipment saga on a migrated SQLite store: requests go out
through the outbox, loans' answers come in through the real inbox consumer."""

from uuid import UUID

from aiokafka import ConsumerRecord

from services.bookings import catalogue, commands, handlers
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
from shared.contracts.loans import EquipmentRejectedV1, EquipmentReservedV1
from shared.contracts.topics import LOAN_RESERVATION
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import EventConsumer
from shared.observability.metrics import Metrics

REASON = "Er is op 09-03-2027 geen robot vrij voor deze les."



async def answer(rt, *events: IntegrationEvent) -> None:
    """Deliver loans' answers through the bookings consumer, as Kafka would."""
    async def no_dead_letters():
        raise AssertionError("nothing here should be dead-lettered")

    consumer = EventConsumer(
        name="bookings", topics=[LOAN_RESERVATION], handlers=handlers.equipment_answers(rt),
        db=rt.db, inbox=messaging.inbox, metrics=Metrics(), dlt_producer=no_dead_letters,
        backoff_seconds=0)
    await consumer.process([record(e, offset) for offset, e in enumerate(events)])


def record(event: IntegrationEvent, offset: int) -> ConsumerRecord:
    envelope = Envelope.new(type=event.event_type, source="/tft/loans", subject=event.key())
    return ConsumerRecord(
        topic=LOAN_RESERVATION, partition=0, offset=offset, timestamp=0, timestamp_type=0,
        key=event.key().encode(), value=event.model_dump_json().encode(), checksum=None,
        serialized_key_size=0, serialized_value_size=0, headers=envelope.to_headers())


def reserved(booking_id: UUID) -> EquipmentReservedV1:
    return EquipmentReservedV1(booking_id=booking_id, school_id="corlaer", reservation_ids=[])


def rejected(booking_id: UUID) -> EquipmentRejectedV1:
    return EquipmentRejectedV1(
        booking_id=booking_id, school_id="corlaer", category="robot", reason=REASON,
        alternative={"item_id": "tft-rob-001", "starts_on": "2027-03-10",
                     "ends_on": "2027-03-10"})


async def status_of(rt, placed) -> str:
    seen = await commands.get_visible(rt, school(placed.booking.school_id), placed.booking.id)
    return seen.booking.status


async def test_a_booking_that_needs_equipment_holds_its_seats_and_asks_loans(rt):
    session_id = await plan_session(rt, capacity=30, equipment=("robot", "drone"))
    placed = await commands.book(rt, school(), session_id, group(20))

    assert placed.booking.status == "requested"
    assert await seats_taken(rt, session_id) == 20
    [request] = await staged(rt, "requested")
    assert request["booking_id"] == str(placed.booking.id)
    assert request["equipment"] == ["robot", "drone"] and request["school_id"] == "corlaer"
    assert await staged(rt, "confirmed") == []


async def test_a_booking_without_equipment_is_still_confirmed_at_once(rt):
    session_id = await plan_session(rt, capacity=30)
    placed = await commands.book(rt, school(), session_id, group(20))
    assert placed.booking.status == "confirmed"
    assert await staged(rt, "requested") == []


async def test_reserved_equipment_confirms_the_booking_once_even_when_redelivered(rt):
    session_id = await plan_session(rt, capacity=30, equipment=("robot",))
    placed = await commands.book(rt, school(), session_id, group(20))
    answer_event = reserved(placed.booking.id)

    await answer(rt, answer_event, answer_event)

    assert await status_of(rt, placed) == "confirmed"
    [confirmed] = await staged(rt, "confirmed")
    assert confirmed["booking_id"] == str(placed.booking.id)
    assert confirmed["equipment"] == ["robot"]


async def test_a_rejection_frees_the_seats_for_the_waitlist_which_asks_loans_in_turn(rt):
    session_id = await plan_session(rt, capacity=30, equipment=("robot",))
    first = await commands.book(rt, school(), session_id, group(20))
    waiting = await commands.book(rt, school("nxt"), session_id, group(15))
    assert waiting.booking.status == "waitlisted"

    await answer(rt, rejected(first.booking.id))

    seen = await commands.get_visible(rt, school(), first.booking.id)
    assert (seen.booking.status, seen.booking.rejection_reason) == ("rejected", REASON)
    [told] = await staged(rt, "rejected")
    assert told["reason"] == REASON and told["alternative"]["starts_on"] == "2027-03-10"
    # The promoted group needs the same equipment: it is requested, not confirmed.
    assert await status_of(rt, waiting) == "requested"
    assert [e["booking_id"] for e in await staged(rt, "requested")] == [
        str(first.booking.id), str(waiting.booking.id)]
    assert (await staged(rt, "requested"))[1]["from_waitlist"] is True
    assert await seats_taken(rt, session_id) == 15


async def test_cancelling_a_requested_booking_frees_its_seats(rt):
    session_id = await plan_session(rt, capacity=30, equipment=("robot",))
    placed = await commands.book(rt, school(), session_id, group(20))
    await commands.cancel(rt, school(), placed.booking.id)
    assert await seats_taken(rt, session_id) == 0
    [cancelled] = await staged(rt, "cancelled")
    assert cancelled["was_waitlisted"] is False


async def test_an_answer_for_a_booking_cancelled_meanwhile_changes_nothing(rt):
    """Loans releases what it reserved when it reads the cancellation: bookings stays quiet."""
    session_id = await plan_session(rt, capacity=30, equipment=("robot",))
    placed = await commands.book(rt, school(), session_id, group(20))
    await commands.cancel(rt, school(), placed.booking.id)

    await answer(rt, reserved(placed.booking.id), rejected(placed.booking.id))

    seen = await commands.get_visible(rt, school(), placed.booking.id)
    assert (seen.booking.status, seen.booking.rejection_reason) == ("cancelled", None)
    assert await staged(rt, "confirmed") == [] and await staged(rt, "rejected") == []
    assert await seats_taken(rt, session_id) == 0


async def equipped_series(rt, weeks: int = 3) -> list:
    """The bookings of one group on a weekly series of an offer needing a robot kit."""
    offering_id = await new_offering(rt, ("robot",))
    planned = await catalogue.plan_series(rt, BACKOFFICE, offering_id,
                                          two_hours_on_an_open_day()[0], 120, 7, weeks,
                                          ["Lab series"], "Instructeur series", 30)
    return await commands.book_series(rt, school(), planned.series_id, group(20))


async def test_a_series_is_confirmed_only_once_loans_holds_equipment_for_all_of_it(rt):
    series = await equipped_series(rt)
    assert {p.booking.status for p in series} == {"requested"}

    await answer(rt, *(reserved(p.booking.id) for p in series[:-1]))
    assert {await status_of(rt, p) for p in series} == {"requested"}
    assert await staged(rt, "confirmed") == []

    await answer(rt, reserved(series[-1].booking.id))
    assert {await status_of(rt, p) for p in series} == {"confirmed"}
    assert len(await staged(rt, "confirmed")) == len(series)


async def test_no_equipment_for_one_session_rejects_it_and_cancels_the_rest_of_the_series(rt):
    series = await equipped_series(rt)
    await answer(rt, reserved(series[0].booking.id), rejected(series[1].booking.id))

    assert [await status_of(rt, p) for p in series] == ["cancelled", "rejected", "cancelled"]
    # Loans releases the kit it holds for the first session on reading its cancellation.
    assert {e["booking_id"] for e in await staged(rt, "cancelled")} == {
        str(series[0].booking.id), str(series[2].booking.id)}
    assert await staged(rt, "confirmed") == []
