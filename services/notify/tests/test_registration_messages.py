"""Registration events of the events service, told to the school in Dutch."""

from datetime import UTC, datetime
from uuid import uuid4

from services.notify.domain import drafts_for
from services.notify.rendering import render_draft
from shared.contracts.common import Group
from shared.contracts.events import (
    RegistrationCheckedInV1,
    RegistrationConfirmedV1,
    RegistrationOfferedV1,
    RegistrationWaitlistedV1,
)

FACTS = dict(
    registration_id=uuid4(),
    session_id=uuid4(),
    session_title="Solderen bij de hotspot",
    event_id="girls-day-2027-04-08",
    event_title="Girls Day",
    school_id="corlaer",
    group=Group(name="2A", level="vmbo-kb", year=2, students=24),
    starts_at=datetime(2027, 4, 8, 7, tzinfo=UTC),
    location="Hotspot T is for Tech",
)


def _only(event) -> tuple[str, str, str]:
    [draft] = drafts_for(event)
    assert draft.organisation_id == "corlaer"
    return (draft.message_type, *render_draft(draft))


def test_an_offer_tells_the_deadline_in_amsterdam_time():
    offered = RegistrationOfferedV1(**FACTS, offer_expires_at=datetime(2027, 3, 3, 11, tzinfo=UTC))
    kind, subject, body = _only(offered)
    assert kind == "registration_offered" and "Girls Day" in subject
    assert "woensdag 3 maart 2027 om 12:00" in body and "Accepteer" in body


def test_confirmation_waitlist_and_check_in_each_have_their_words():
    assert _only(RegistrationConfirmedV1(**FACTS))[0] == "registration_confirmed"
    kind, _, body = _only(RegistrationWaitlistedV1(**FACTS, position=2))
    assert kind == "registration_waitlisted" and "positie 2" in body
    kind, _, body = _only(
        RegistrationCheckedInV1(**FACTS, students_present=22, checked_in_at=FACTS["starts_at"])
    )
    assert kind == "registration_checked_in" and "22 van de 24 leerlingen" in body
