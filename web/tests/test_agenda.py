"""The planning's view models: the week, the planning forms and the API's answers to them."""

from datetime import UTC, date, datetime

from web.agenda import (
    AgendaFilter,
    Booked,
    Entry,
    move_values,
    place_refusal,
    series_body,
    series_form,
    session_body,
    session_entry,
    session_form,
    skipped,
    told,
    week,
)
from web.gateway import ApiProblem

OFFER = {
    "id": "robotica",
    "title": "Inspiratieles Robotica",
    "kind": "inspiration_lesson",
    "capacity": 30,
    "session_minutes": 120,
    "sessions_per_booking": 4,
    "location": "Hotspot",
}
SESSION = {
    "id": "s1",
    "offering_title": "Inspiratieles Robotica",
    "offering_kind": "inspiration_lesson",
    "location": "Hotspot",
    "room": "Lab 1",
    "instructor": "Sanne",
    "starts_at": "2027-06-09T08:00:00+00:00",
    "ends_at": "2027-06-09T10:00:00+00:00",
    "capacity": 30,
    "seats_left": 6,
    "series_id": None,
    "bookings": [
        {"school_id": "corlaer", "status": "confirmed", "group": {"name": "3B", "students": 24}},
        {"school_id": "corlaer", "status": "waitlisted", "group": {"name": "3C", "students": 12}},
        {"school_id": "element", "status": "cancelled", "group": {"name": "2A", "students": 20}},
    ],
}
# An event's session as the agenda gives it: its event in offering_*, its host as instructor.
EVENT_SESSION = {
    "type": "event",
    "id": "e1",
    "title": "Solderen",
    "offering_id": "techdag",
    "offering_title": "Techdag",
    "offering_kind": "event",
    "event_id": "techdag",
    "location": "Hotspot",
    "room": "",
    "instructor": "T is for Tech",
    "starts_at": "2027-06-12T07:00:00+00:00",
    "ends_at": "2027-06-12T13:00:00+00:00",
    "capacity": 30,
    "seats_left": 6,
    "series_id": None,
    "bookings": [
        {"school_id": "nxt", "status": "offered", "group": {"name": "2A", "students": 24}}
    ],
}
FILLED = {
    "aanbod": "robotica",
    "datum": "2027-06-09",
    "begin": "10:00",
    "einde": "12:00",
    "lokaal": "Lab 1",
    "docent": "Sanne",
    "plaatsen": "",
}


def test_the_week_is_chosen_by_any_of_its_days_and_keeps_its_choices_in_the_url():
    chosen = AgendaFilter.of({"week": "2027-06-10", "lokaal": " Lab 1 "}, date(2026, 12, 1))
    assert chosen.week == date(2027, 6, 7) and chosen.last_day == date(2027, 6, 13)
    assert chosen.params() == {
        "from": "2027-06-07",
        "to": "2027-06-13",
        "room": "Lab 1",
        "instructor": "",
    }
    assert chosen.query(-1) == {"week": "2027-05-31", "lokaal": "Lab 1"}
    assert chosen.query(None) == {"lokaal": "Lab 1"}
    assert AgendaFilter.of({"week": "gisteren"}, date(2026, 12, 3)).week == date(2026, 11, 30)


def test_a_week_has_its_workdays_and_a_weekend_day_only_when_something_happens_then():
    chosen = AgendaFilter.of({"week": "2027-06-07"}, date(2026, 12, 1))
    lesson = session_entry(SESSION)
    at_event = [session_entry(EVENT_SESSION)]
    shown = week(chosen, [lesson, *at_event], [lesson, *at_event])
    assert [d.day.day for d in shown.days] == [7, 8, 9, 10, 11, 12]
    assert shown.days[2].entries == [lesson] and shown.days[5].entries == at_event
    assert shown.rooms == ["Lab 1"] and shown.instructors == ["Sanne"]
    assert not shown.empty


def test_the_choices_keep_a_room_chosen_that_has_nothing_this_week():
    chosen = AgendaFilter.of({"week": "2027-06-07", "lokaal": "Lab 9"}, date(2026, 12, 1))
    shown = week(chosen, [], [session_entry(SESSION)])
    assert shown.rooms == ["Lab 1", "Lab 9"] and shown.empty


def test_an_event_session_of_the_agenda_names_its_event_and_host():
    entry = session_entry(EVENT_SESSION)
    assert entry.starts_at == datetime(2027, 6, 12, 7, tzinfo=UTC)
    assert (entry.title, entry.what, entry.who) == (
        "Solderen",
        "Evenement Techdag",
        "T is for Tech",
    )
    assert entry.event_id == "techdag" and entry.room == ""
    assert [(b.school_id, b.group, b.status) for b in entry.bookings] == [("nxt", "2A", "offered")]
    assert session_entry(SESSION).event_id is None


def test_the_schools_told_are_those_with_an_active_booking_each_once():
    entry = session_entry(SESSION)
    assert entry.schools == 1  # corlaer twice, element cancelled
    assert told(entry.schools) == "1 school krijgt hiervan bericht."
    assert told(3) == "3 scholen krijgen hiervan bericht."
    assert told(0).startswith("Er zijn geen boekingen")
    assert (
        Entry(
            "x",
            entry.starts_at,
            entry.ends_at,
            "t",
            "w",
            "p",
            "r",
            "i",
            1,
            1,
            bookings=[Booked("a", "1A", 20, "completed")],
        ).schools
        == 0
    )


def test_a_session_is_planned_in_amsterdam_time_with_the_offers_places_when_left_empty():
    form = session_form(FILLED)
    assert form.valid
    assert session_body(form, OFFER) == {
        "starts_at": "2027-06-09T10:00:00+02:00",
        "ends_at": "2027-06-09T12:00:00+02:00",
        "room": "Lab 1",
        "instructor": "Sanne",
        "capacity": 30,
    }


def test_the_session_form_asks_for_what_is_missing_and_an_end_after_the_start():
    form = session_form(
        FILLED
        | {"aanbod": "", "datum": "9 juni", "einde": "09:00", "lokaal": " ", "plaatsen": "veel"}
    )
    assert form.errors == {
        "aanbod": "Kies wat je plant.",
        "datum": "Vul een datum in, bijvoorbeeld 9-6-2027.",
        "einde": "De sessie eindigt na de begintijd.",
        "lokaal": "Vul lokaal in.",
        "plaatsen": "Vul een heel getal in, bijvoorbeeld 24.",
    }
    assert session_form(FILLED | {"begin": "25:00"}).errors == {
        "begin": "Vul een tijd in, bijvoorbeeld 10:00."
    }


def test_a_series_takes_the_offers_shape_for_what_is_left_empty():
    form = series_form(
        {
            "aanbod": "robotica",
            "datum": "2027-01-13",
            "begin": "9.30",
            "lokalen": "Lab 1, Lab 2\nLab 3,",
            "docent": "Sanne",
        }
    )
    assert form.valid
    assert series_body(form, OFFER) == {
        "first_starts_at": "2027-01-13T09:30:00+01:00",
        "minutes": 120,
        "every_days": 7,
        "count": 4,
        "rooms": ["Lab 1", "Lab 2", "Lab 3"],
        "instructor": "Sanne",
        "capacity": 30,
    }


def test_a_skipped_date_says_why_in_a_sentence_of_its_own():
    [row] = skipped(
        {
            "skipped": [
                {
                    "starts_at": "2027-06-16T08:00:00+00:00",
                    "reason": "de hotspot is gesloten op 2027-06-16: Studiedag",
                }
            ]
        }
    )
    assert row.reason == "de hotspot is dan gesloten (Studiedag)"
    assert row.starts_at == datetime(2027, 6, 16, 8, tzinfo=UTC)


def clash(resource: str, value: str) -> ApiProblem:
    return ApiProblem(
        409,
        detail=f"{value} is op dat moment al in een sessie",
        extra={"conflict": {"resource": resource, "value": value, "session_id": "s1"}},
    )


def test_a_clash_names_the_room_or_instructor_in_the_way_and_the_session_there():
    form = session_form(FILLED)
    assert place_refusal(form, clash("room", "Lab 1"), session_entry(SESSION))
    assert form.errors == {
        "lokaal": "Lokaal Lab 1 is op dat moment al bezet: Inspiratieles "
        "Robotica, woensdag 9 juni 2027 10:00-12:00. Kies een ander lokaal "
        "of een ander tijdstip."
    }
    form = series_form(FILLED | {"lokalen": "Lab 1"})
    assert place_refusal(form, clash("instructor", "Sanne"), None)
    assert form.errors == {
        "docent": "Docent Sanne is op dat moment al bezet. Kies een andere "
        "docent of een ander tijdstip."
    }
    form = series_form(FILLED | {"lokalen": "Lab 1"})
    assert place_refusal(form, clash("room", "Lab 1"), None)
    assert list(form.errors) == ["lokalen"]


def test_the_apis_refusals_of_a_plan_land_at_their_fields():
    form = series_form(FILLED | {"lokalen": "Lab 1"})
    assert place_refusal(
        form,
        ApiProblem(
            422,
            errors=[
                {"field": "rooms.0", "code": "string_too_long", "message": "at most 80 characters"},
                {
                    "field": "capacity",
                    "code": "less_than_equal",
                    "message": "less than or equal to 1000",
                },
            ],
        ),
        None,
    )
    assert form.errors == {
        "lokalen": "Dit is te lang: gebruik hoogstens 80 tekens.",
        "plaatsen": "Dit mag hoogstens 1000 zijn.",
    }
    form = session_form(FILLED)
    assert place_refusal(
        form,
        ApiProblem(
            422,
            detail="de hotspot is gesloten op 2027-06-09: Studiedag",
            extra={"rule": "calendar", "closed_because": "Studiedag"},
        ),
        None,
    )
    assert form.errors == {
        "datum": "De hotspot is op die dag gesloten (Studiedag). Kies een andere dag."
    }
    form = series_form(FILLED | {"lokalen": "Lab 1"})
    assert place_refusal(
        form,
        ApiProblem(
            422, detail="een masterklas bestaat uit 4 lessen", extra={"rule": "whole_series"}
        ),
        None,
    )
    assert form.errors == {"aantal": "Een masterklas bestaat uit 4 lessen."}
    assert not place_refusal(session_form(FILLED), ApiProblem(409, detail="begonnen"), None)


def test_the_move_form_starts_where_and_when_the_session_is_now():
    assert move_values(session_entry(SESSION)) == {
        "datum": "2027-06-09",
        "begin": "10:00",
        "einde": "12:00",
        "lokaal": "Lab 1",
        "docent": "Sanne",
    }
