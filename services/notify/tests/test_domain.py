from datetime import UTC, datetime
from uuid import uuid4

from services.notify.domain import drafts_for
from services.notify.rendering import TEMPLATES, render_draft
from shared.contracts.bookings import BookingCancelledV1, BookingWaitlistedV1
from shared.contracts.finance import DeclarationLineDraftedV1
from shared.dutch import dutch_datetime
from shared.tests.test_envelope_and_contracts import confirmed


def test_dates_are_shown_in_dutch_amsterdam_time():
    winter = datetime(2026, 12, 10, 9, tzinfo=UTC)
    summer = datetime(2027, 6, 1, 7, 30, tzinfo=UTC)
    assert dutch_datetime(winter) == "donderdag 10 december 2026 om 10:00"
    assert dutch_datetime(summer) == "dinsdag 1 juni 2027 om 09:30"


def test_a_confirmation_goes_to_the_school_with_what_when_where():
    event = confirmed()
    [draft] = drafts_for(event)
    assert draft.organisation_id == "corlaer"
    subject, body = render_draft(draft)
    assert "Robotica" in subject and "donderdag 10 december 2026, 10:00-12:00" in subject
    assert "3B" in body and "20 leerlingen" in body and "Hotspot" in body


def test_a_cancellation_tells_the_school_and_the_backoffice():
    base = confirmed().model_dump()
    event = BookingCancelledV1(**base, cancelled_by="school")
    assert {d.organisation_id for d in drafts_for(event)} == {"corlaer", "backoffice"}


def test_a_waiting_group_hears_its_place_on_the_list():
    event = BookingWaitlistedV1(**confirmed().model_dump(exclude={"equipment"}), position=3)
    [draft] = drafts_for(event)
    assert (draft.organisation_id, draft.message_type) == ("corlaer", "booking_waitlisted")
    _, body = render_draft(draft)
    assert "op de wachtlijst, positie 3" in body and "3B" in body


def test_a_promotion_tells_the_school_its_booking_left_the_waitlist():
    event = confirmed().model_copy(update={"from_waitlist": True})
    [draft] = drafts_for(event)
    assert (draft.organisation_id, draft.message_type) == ("corlaer", "booking_promoted")
    subject, body = render_draft(draft)
    assert "Plaats vrijgekomen" in subject and "niet meer op de wachtlijst" in body


def test_leaving_the_waitlist_frees_no_seats_so_the_backoffice_is_not_told():
    base = confirmed().model_dump()
    event = BookingCancelledV1(**base, cancelled_by="school", was_waitlisted=True)
    assert [d.organisation_id for d in drafts_for(event)] == ["corlaer"]


def test_every_drafted_message_type_has_a_template_that_renders():
    line = DeclarationLineDraftedV1(
        declaration_id=uuid4(),
        line_id=uuid4(),
        school_id="nxt",
        quarter="2026-Q4",
        core_task="A",
        description="Technieklessen",
        minutes=120,
        amount_cents=15000,
        source_event_id="e1",
    )
    waitlisted = BookingWaitlistedV1(**confirmed().model_dump(), position=1)
    promoted = confirmed().model_copy(update={"from_waitlist": True})
    for event in (confirmed(), promoted, waitlisted, line):
        for draft in drafts_for(event):
            assert draft.message_type in TEMPLATES
            subject, body = render_draft(draft)
            assert subject and body
    assert "€ 150,00" in render_draft(drafts_for(line)[0])[1]
