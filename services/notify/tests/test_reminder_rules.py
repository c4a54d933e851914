"""Which reminders an event makes, when they are due, and what ends them."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from services.notify.domain import (
    quarter_end,
    reminders_ended_by,
    reminders_for,
    school_days_before,
)
from shared.contracts.bookings import BookingCancelledV1
from shared.contracts.finance import DeclarationLineDraftedV1, DeclarationSubmittedV1
from shared.contracts.loans import ReservationCheckedOutV1
from shared.tests.test_envelope_and_contracts import confirmed


def test_two_school_days_before_skip_the_weekend():
    assert school_days_before(date(2026, 12, 10), 2) == date(2026, 12, 8)  # Thu -> Tue
    assert school_days_before(date(2026, 12, 14), 2) == date(2026, 12, 10)  # Mon -> Thu


def test_quarters_end_on_their_last_day():
    assert quarter_end("2026-Q4") == date(2026, 12, 31)
    assert quarter_end("2027-Q1") == date(2027, 3, 31)
    assert quarter_end("2027-Q2") == date(2027, 6, 30)


def test_a_lesson_is_reminded_at_nine_two_school_days_ahead():
    [plan] = reminders_for(confirmed())  # Thursday 10 December 2026
    assert (plan.message_type, plan.recipient) == ("lesson_reminder", "corlaer")
    assert plan.due_at == datetime(2026, 12, 8, 8, tzinfo=UTC)  # 09:00 in Amsterdam
    assert plan.scheduled_at(datetime(2026, 12, 1, tzinfo=UTC)) == plan.due_at
    late = datetime(2026, 12, 9, 12, tzinfo=UTC)  # booked after the reminder was due
    assert plan.scheduled_at(late) == late
    assert plan.scheduled_at(datetime(2026, 12, 10, 9, tzinfo=UTC)) is None


def test_a_loan_is_reminded_the_day_before_it_is_due_and_returning_ends_it():
    event = ReservationCheckedOutV1(
        reservation_id=uuid4(),
        item_id="tft-rob-001",
        item_name="Robotset",
        quantity=1,
        school_id="nxt",
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 4),
    )
    [plan] = reminders_for(event)
    assert plan.message_type == "loan_due_tomorrow"
    assert plan.due_at == datetime(2026, 12, 3, 8, tzinfo=UTC)


def test_a_draft_declaration_is_reminded_a_week_before_the_quarter_ends():
    facts = dict(declaration_id=uuid4(), school_id="nxt", quarter="2026-Q4")
    line = DeclarationLineDraftedV1(
        **facts,
        line_id=uuid4(),
        core_task="A",
        description="x",
        minutes=60,
        amount_cents=100,
        source_event_id="e",
    )
    [plan] = reminders_for(line)
    assert plan.due_at == datetime(2026, 12, 24, 8, tzinfo=UTC)
    assert plan.deadline - plan.due_at == timedelta(days=7, hours=15)
    submitted = DeclarationSubmittedV1(**facts, total_cents=100, actor="jan")
    assert reminders_ended_by(submitted) == str(facts["declaration_id"])


def test_a_cancellation_ends_the_lesson_reminder():
    event = BookingCancelledV1(**confirmed().model_dump(), cancelled_by="school")
    assert reminders_ended_by(event) == str(event.booking_id)
