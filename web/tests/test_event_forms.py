"""The backoffice's event forms: what they check, the bodies they send, and a change that
sends only what changed."""

from datetime import date

from web.event_forms import (
    changes,
    event_body,
    event_form,
    event_values,
    new_session_values,
    session_body,
    session_form,
    session_values,
)

EVENT = {
    "id": "girls-day-2027-06-11",
    "title": "Girls Day",
    "description": "",
    "starts_at": "2027-06-11T07:00:00+00:00",
    "ends_at": "2027-06-11T13:00:00+00:00",
    "audience": ["vmbo-kb", "partners"],
    "capacity": 100,
    "location": "Hotspot",
}
SESSION = {
    "id": "s1",
    "title": "Workshop lassen",
    "host_kind": "hotspot",
    "host": "hotspot",
    "host_name": "T is for Tech",
    "capacity": 30,
    "audience": ["vmbo-kb"],
    "opens_at": "2026-11-28T23:00:00+00:00",
    "closes_at": "2027-06-04T22:00:00+00:00",
    "starts_at": None,
    "ends_at": None,
    "location": None,
}


def test_an_event_form_asks_for_what_is_missing_and_an_end_after_the_start():
    form = event_form(
        {
            "titel": "Girls Day",
            "datum": "2027-06-11",
            "begin": "15:00",
            "einde": "09:00",
            "plaatsen": "honderd",
            "locatie": "Hotspot",
        }
    )
    assert form.errors == {
        "doelgroep": "Kies minstens één niveau.",
        "plaatsen": "Vul een heel getal in, bijvoorbeeld 120.",
        "einde": "Dit moet na de begintijd zijn.",
    }


def test_an_event_is_one_day_in_amsterdam_time_for_the_levels_chosen():
    form = event_form(
        {
            "titel": "Girls Day",
            "datum": "2027-06-11",
            "begin": "09:00",
            "einde": "15:00",
            "doelgroep": "vmbo-kb,vmbo-gl",
            "plaatsen": "100",
            "locatie": "Hotspot",
        }
    )
    assert event_body(form) == {
        "title": "Girls Day",
        "description": "",
        "starts_at": "2027-06-11T09:00:00+02:00",
        "ends_at": "2027-06-11T15:00:00+02:00",
        "audience": ["vmbo-kb", "vmbo-gl"],
        "capacity": 100,
        "location": "Hotspot",
    }


def test_a_change_of_an_event_sends_only_what_changed():
    as_it_is = event_body(event_form(event_values(EVENT)))
    changed = event_values(EVENT) | {"titel": "Girls Day regio", "einde": "16:00"}
    assert changes(event_body(event_form(changed)), as_it_is) == {
        "title": "Girls Day regio",
        "ends_at": "2027-06-11T16:00:00+02:00",
    }
    assert changes(as_it_is, as_it_is) == {}


def test_a_new_session_is_the_hotspots_for_the_events_levels_open_until_a_week_before():
    assert new_session_values(EVENT, date(2026, 11, 29)) == {
        "soort": "hotspot",
        "host": "hotspot",
        "host_naam": "T is for Tech",
        "doelgroep": "vmbo-kb",
        "open": "2026-11-29",
        "sluit": "2027-06-04",
    }


def test_registration_closes_at_the_end_of_the_last_day_and_the_form_reads_it_back():
    values = session_values(SESSION)
    assert values["open"] == "2026-11-29" and values["sluit"] == "2027-06-04"
    body = session_body(session_form(values), EVENT)
    assert body["opens_at"] == "2026-11-29T00:00:00+01:00"
    assert body["closes_at"] == "2027-06-05T00:00:00+02:00"
    assert body["starts_at"] is None and body["location"] is None
    more = session_body(session_form(values | {"plaatsen": "40"}), EVENT)
    assert changes(more, body) == {"capacity": 40}


def test_a_session_has_both_times_of_its_own_or_neither():
    form = session_form(session_values(SESSION) | {"begin": "10:00"})
    assert form.errors == {"einde": "Vul begin- en eindtijd allebei in, of laat ze allebei leeg."}
    form = session_form(session_values(SESSION) | {"begin": "10:00", "einde": "12:00"})
    assert session_body(form, EVENT)["starts_at"] == "2027-06-11T10:00:00+02:00"
