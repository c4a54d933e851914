"""Recipients, categories, critical messages and the facts in the new templates."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from services.notify.domain import (
    Draft,
    category_of,
    drafts_for,
    people_concerned,
)
from services.notify.rendering import TEMPLATES, render_draft
from shared.contracts.bookings import (
    BookedSchool,
    BookingCancelledV1,
    BookingNoShowV1,
    BookingRejectedV1,
    SessionCancelledV1,
    SessionTimes,
)
from shared.contracts.events import (
    AttendeeCancelledV1,
    AttendeeRegisteredV1,
    EventScheduledV1,
    SessionHostedV1,
)
from shared.contracts.finance import DeclarationPaidV1
from shared.contracts.loans import (
    ReservationDamageReportedV1,
    ReservationOverdueV1,
    ReservationReturnedV1,
)
from shared.tests.test_envelope_and_contracts import confirmed

LOAN = dict(
    reservation_id=uuid4(),
    item_id="tft-rob-001",
    item_name="Robotset",
    quantity=2,
    school_id="element",
    starts_on=date(2026, 12, 1),
    ends_on=date(2026, 12, 4),
)

ATTENDEE = dict(
    attendee_id=uuid4(),
    event_id="jaarbijeenkomst-2027",
    event_title="Jaarbijeenkomst",
    starts_at=datetime(2027, 6, 10, 16, tzinfo=UTC),
    location="Hotspot T is for Tech",
)


def hosted(host_kind: str, host: str) -> SessionHostedV1:
    return SessionHostedV1(
        hosting_id=uuid4(),
        event_id="girls-day",
        event_title="Girls Day",
        session_id=uuid4(),
        session_title="Lassen",
        host_kind=host_kind,
        host=host,
        host_name="Voorbeeld Bouw BV",
        minutes=90,
        held_on=date(2027, 4, 8),
        students_reached=24,
    )


def test_a_booking_confirmation_says_what_when_where_what_to_bring_and_what_next():
    [draft] = drafts_for(confirmed())
    subject, body = render_draft(draft)
    assert subject == "Bevestiging: Robotica op donderdag 10 december 2026, 10:00-12:00"
    for words in [
        "Wat: Robotica",
        "Wanneer: donderdag 10 december 2026, 10:00-12:00",
        "Waar: Hotspot",
        "Meenemen:",
        "Wat nu:",
    ]:
        assert words in body


@pytest.mark.parametrize(
    ("event", "recipients"),
    [
        (
            ReservationOverdueV1(**LOAN, days_overdue=3),
            {("element", "loan_overdue"), ("backoffice", "loan_overdue_backoffice")},
        ),
        (
            ReservationDamageReportedV1(
                **LOAN,
                damage_id=uuid4(),
                description="Sensor kapot",
                repair_cost_cents=4500,
                reported_on=date(2026, 12, 5),
            ),
            {("element", "damage_reported"), ("finance", "damage_reported_finance")},
        ),
        (
            ReservationReturnedV1(**LOAN, condition="goed", returned_on=date(2026, 12, 4)),
            {("element", "loan_returned")},
        ),
        (hosted("company", "voorbeeld-bouw"), {("voorbeeld-bouw", "session_hosted")}),
        (hosted("mbo", "mbo-amersfoort"), set()),
        (
            AttendeeCancelledV1(**ATTENDEE, cancelled_by="attendee"),
            {("backoffice", "attendee_cancelled")},
        ),
    ],
)
def test_recipients_follow_the_domain_rules(event, recipients):
    drafts = drafts_for(event)
    assert {(d.organisation_id, d.message_type) for d in drafts} == recipients
    for draft in drafts:
        subject, body = render_draft(draft)
        assert subject and body and "{{" not in body


def test_a_no_show_tells_the_school_nothing_is_declared_and_what_to_do_instead():
    event = BookingNoShowV1(**confirmed().model_dump(), recorded_by="backoffice")
    [draft] = drafts_for(event)
    assert (draft.organisation_id, draft.category) == ("corlaer", "bookings")
    subject, body = render_draft(draft)
    assert subject.startswith("Niet verschenen: Robotica") and "annuleer" in body


def test_a_payment_tells_what_was_paid_out_after_co_financing():
    facts = dict(
        declaration_id=uuid4(),
        school_id="corlaer",
        quarter="2026-Q4",
        total_cents=100_000,
        actor="fin",
        batch="2027-01",
        paid_on=date(2027, 1, 15),
    )
    _, body = render_draft(drafts_for(DeclarationPaidV1(**facts, payable_cents=80_000))[0])
    assert "Uitbetaald: € 800,00" in body and "cofinanciering" in body
    _, older = render_draft(drafts_for(DeclarationPaidV1(**facts))[0])
    assert "Uitbetaald" not in older


def test_a_late_cancellation_is_called_late_for_the_school_and_the_backoffice():
    event = BookingCancelledV1(**confirmed().model_dump(), cancelled_by="school", late=True)
    school, backoffice = (render_draft(d) for d in drafts_for(event))
    assert school[0].startswith("Laat geannuleerd: Robotica")
    assert "dit is een late annulering" in school[1] and "binnen de termijn" in school[1]
    assert backoffice[0].startswith("Late annulering door Corlaer College")
    assert "late annulering" in backoffice[1]
    on_time = BookingCancelledV1(**confirmed().model_dump(), cancelled_by="school")
    assert all("termijn" not in render_draft(d)[1] for d in drafts_for(on_time))


def test_the_overdue_notice_tells_the_school_what_to_do():
    school, _ = drafts_for(ReservationOverdueV1(**LOAN, days_overdue=3))
    _, body = render_draft(school)
    assert "3 dagen te laat" in body and "vrijdag 4 december 2026" in body
    assert "breng het materiaal" in body


CORLAER = {"corlaer": "school", "docent-corlaer": "teacher", "docent-2": "teacher"}


def test_a_message_reaches_the_person_who_booked_not_the_whole_school():
    booked = confirmed().model_copy(update={"booked_by": "docent-corlaer"})
    [to_school] = drafts_for(booked)
    assert people_concerned(to_school, CORLAER) == ["docent-corlaer"]


def test_without_anyone_who_acted_the_organisations_contacts_hear_it():
    [to_school] = drafts_for(confirmed())  # booked before bookings recorded who
    assert people_concerned(to_school, CORLAER) == ["corlaer"]
    gone = confirmed().model_copy(update={"booked_by": "left-the-school"})
    assert people_concerned(drafts_for(gone)[0], CORLAER) == ["corlaer"]


def test_the_backoffice_copy_of_a_cancellation_goes_to_the_backoffice_not_the_booker():
    cancelled = BookingCancelledV1(**confirmed().model_dump(), cancelled_by="school")
    cancelled = cancelled.model_copy(update={"booked_by": "docent-corlaer"})
    _, to_backoffice = drafts_for(cancelled)
    assert to_backoffice.actors == ["docent-corlaer"]  # not one of the backoffice's people
    assert people_concerned(to_backoffice, {"backoffice": "backoffice"}) == ["backoffice"]


def test_a_cancelled_session_reaches_each_schools_own_bookers():
    lesson = confirmed()
    cancelled = SessionCancelledV1(
        session_id=lesson.session_id,
        offering_id="robotica",
        offering_title="Robotica",
        location="Hotspot",
        starts_at=lesson.starts_at,
        ends_at=lesson.ends_at,
        reason="Ziek",
        schools=[
            BookedSchool(
                school_id="corlaer", groups=[lesson.group], booked_by=["docent-corlaer", "docent-2"]
            ),
            BookedSchool(school_id="element", groups=[lesson.group], booked_by=["element"]),
        ],
    )
    corlaer, element = drafts_for(cancelled)
    assert people_concerned(corlaer, CORLAER) == ["docent-corlaer", "docent-2"]
    assert people_concerned(element, {"element": "school", "docent-element": "teacher"}) == [
        "element"
    ]


def test_a_lesson_cancelled_for_tomorrow_is_critical_and_one_next_week_is_not():
    starts = datetime(2026, 12, 10, 9, tzinfo=UTC)
    event = BookingCancelledV1(**confirmed().model_dump(), cancelled_by="backoffice")
    drafts = drafts_for(event)
    assert all(d.is_critical(starts - timedelta(hours=20)) for d in drafts)
    assert not any(d.is_critical(starts - timedelta(days=7)) for d in drafts)
    assert not drafts_for(confirmed())[0].is_critical(starts - timedelta(hours=20))


def test_every_message_type_has_a_category_and_announcements_are_their_own():
    assert all(category_of(kind) for kind in TEMPLATES if kind != "digest")
    assert category_of("event_scheduled") == "announcements"
    assert category_of("lesson_reminder") == "reminders"
    assert category_of("declaration_paid") == "finance"
    assert category_of("loan_overdue") == "loans"
    assert category_of("attendee_cancelled") == "events"
    registered = drafts_for(AttendeeRegisteredV1(**ATTENDEE))[0]
    assert (registered.organisation_id, registered.category) == ("backoffice", "announcements")
    scheduled = EventScheduledV1(
        event_id="x",
        title="Techniekdag",
        starts_at=datetime.now(UTC),
        ends_at=datetime.now(UTC),
        audience=[],
        capacity=10,
    )
    assert Draft("backoffice", "event_scheduled", scheduled).category == "announcements"


def test_a_confirmation_names_the_equipment_and_the_school_not_their_slugs():
    event = confirmed().model_copy(update={"equipment": ["hydrogen-car", "ev"]})
    _, body = render_draft(drafts_for(event)[0])
    assert "Het materiaal ligt klaar: de waterstofauto en de elektrische auto of scooter." in body
    assert "hydrogen-car" not in body
    cancelled = BookingCancelledV1(**confirmed().model_dump(), cancelled_by="school")
    subject, body = render_draft(drafts_for(cancelled)[1])
    assert "Corlaer College annuleerde groep 3B" in body and "corlaer" not in subject


def test_a_series_message_lists_every_lesson_the_dutch_way():
    first = confirmed()
    series = [
        SessionTimes(
            starts_at=first.starts_at + timedelta(weeks=w),
            ends_at=first.ends_at + timedelta(weeks=w),
        )
        for w in range(4)
    ]
    event = first.model_copy(update={"series_booking_id": uuid4(), "series_sessions": series})
    subject, body = render_draft(drafts_for(event)[0])
    assert subject == "Bevestiging: Robotica, 4 lessen vanaf donderdag 10 december 2026"
    assert (
        "Wanneer (4 lessen):\n- donderdag 10 december 2026, 10:00-12:00\n"
        "- donderdag 17 december 2026, 10:00-12:00\n"
        "- donderdag 24 december 2026, 10:00-12:00\n"
        "- donderdag 31 december 2026, 10:00-12:00\nWaar: Hotspot"
    ) in body


def test_a_reason_from_elsewhere_ends_its_sentence_before_the_next_one():
    event = BookingRejectedV1(
        **confirmed().model_dump(exclude={"equipment", "from_waitlist"}),
        reason="Er is geen waterstofauto vrij",
    )
    _, body = render_draft(drafts_for(event)[0])
    assert "Reden: Er is geen waterstofauto vrij.\nWat: Robotica" in body
