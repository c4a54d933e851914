"""What a school reads while the equipment saga runs: nothing until loans answers, then
confirmed or rejected, once."""

from services.notify.domain import HANDLED, drafts_for
from services.notify.rendering import render_draft
from shared.contracts.bookings import (
    BookingConfirmedV1,
    BookingRejectedV1,
    BookingRequestedV1,
)
from shared.tests.test_envelope_and_contracts import confirmed

REASON = "Er is op donderdag 10 december 2026 geen robotset vrij voor deze les."


def facts() -> dict:
    return confirmed().model_dump(exclude={"equipment", "from_waitlist"})


def test_a_booking_waiting_for_its_equipment_tells_nothing_until_loans_answers():
    assert drafts_for(BookingRequestedV1(**facts(), equipment=["robot"])) == []


def test_a_rejection_gives_the_reason_and_the_nearest_alternative():
    event = BookingRejectedV1(
        **facts(),
        reason=REASON,
        alternative={"item_id": "tft-rob-001", "starts_on": "2026-12-11", "ends_on": "2026-12-11"},
    )
    [draft] = drafts_for(event)
    assert (draft.organisation_id, draft.message_type) == ("corlaer", "booking_rejected")
    subject, body = render_draft(draft)
    assert subject.startswith("Niet doorgegaan: Robotica")
    assert REASON in body
    assert "vrij van vrijdag 11 december 2026 tot en met vrijdag 11 december 2026" in body


def test_a_rejection_without_alternative_says_only_why():
    _, body = render_draft(drafts_for(BookingRejectedV1(**facts(), reason=REASON))[0])
    assert REASON in body and "wel vrij" not in body


def test_notify_applies_the_saga_answers():
    assert {BookingConfirmedV1, BookingRejectedV1} <= set(HANDLED)
