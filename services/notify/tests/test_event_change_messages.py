"""A session or event that moves reaches each school with a group in it once, in Dutch."""

from datetime import UTC, datetime
from uuid import uuid4

from services.notify.domain import drafts_for
from services.notify.rendering import render_draft
from shared.contracts.events import EventChangedV1, SessionChangedV1

SESSION = dict(
    event_id="girls-day-2027-04-08",
    session_id=uuid4(),
    title="Solderen bij de hotspot",
    host_kind="hotspot",
    host="hotspot",
    capacity=48,
    audience=["vmbo-kb"],
    opens_at=datetime(2027, 3, 1, 8, tzinfo=UTC),
    closes_at=datetime(2027, 4, 1, 8, tzinfo=UTC),
    starts_at=datetime(2027, 4, 8, 12, tzinfo=UTC),
    ends_at=datetime(2027, 4, 8, 14, tzinfo=UTC),
    location="Lab 2",
    registered_schools=["corlaer", "lodenstein"],
)
EVENT = dict(
    event_id="girls-day-2027-04-08",
    title="Girls Day",
    starts_at=SESSION["starts_at"],
    ends_at=SESSION["ends_at"],
    audience=["vmbo-kb"],
    capacity=200,
    location="Hotspot T is for Tech",
    registered_schools=["corlaer"],
)


def test_a_moved_session_tells_each_registered_school_once_the_new_time():
    drafts = drafts_for(SessionChangedV1(**SESSION, changed=["starts_at", "ends_at"]))

    assert [(d.organisation_id, d.message_type) for d in drafts] == [
        ("corlaer", "registration_session_moved"),
        ("lodenstein", "registration_session_moved"),
    ]
    subject, body = render_draft(drafts[0])
    assert subject == (
        "Gewijzigd: Solderen bij de hotspot is verplaatst naar donderdag 8 april 2027, 14:00-16:00"
    )
    assert "Waar: Lab 2" in body and "annuleer" in body


def test_a_moved_event_tells_the_schools_in_its_sessions():
    [draft] = drafts_for(EventChangedV1(**EVENT, changed=["starts_at", "ends_at"]))

    assert (draft.organisation_id, draft.message_type) == ("corlaer", "registration_event_moved")
    subject, body = render_draft(draft)
    assert "Girls Day" in subject and "donderdag 8 april 2027, 14:00-16:00" in body


def test_a_change_that_moves_nothing_tells_nobody():
    assert drafts_for(SessionChangedV1(**SESSION, changed=["capacity"])) == []
    assert drafts_for(EventChangedV1(**EVENT, changed=["title", "location"])) == []
