"""Preferences and announcements forms: what the web checks itself, and the API's refusals
placed on the field they are about."""

from web.gateway import ApiProblem
from web.notifications import (
    ANNOUNCEMENT_FIELDS,
    PREFERENCE_FIELDS,
    announcement_body,
    announcement_form,
    place_problem,
    preferences_body,
    preferences_form,
    sent_preferences,
)

CHANNELS = {
    f"kanaal-{c}": "email"
    for c in ("bookings", "loans", "events", "finance", "reminders", "announcements")
}


def test_saved_preferences_fill_the_form_and_come_back_as_they_were():
    saved = {
        "channels": {"announcements": "in_app"},
        "opted_out": ["reminders"],
        "digest": True,
        "quiet_hours": {"start": "22:00:00", "end": "07:00:00"},
    }
    form, opted_out = preferences_form(saved)
    assert form.values["kanaal-announcements"] == "in_app"
    assert form.values["kanaal-bookings"] == "email"
    assert (form.values["stil-van"], form.values["stil-tot"]) == ("22:00", "07:00")
    body = preferences_body(form, opted_out)
    assert body["channels"]["announcements"] == "in_app" and body["opted_out"] == ["reminders"]
    assert body["digest"] is True
    assert body["quiet_hours"] == {"start": "22:00", "end": "07:00"}


def test_quiet_hours_need_both_ends_and_real_times():
    form, _ = sent_preferences(CHANNELS | {"stil-van": "22:00"}, [])
    assert form.errors == {
        "stil-tot": "Vul zowel het begin als het einde van de stille uren in, of laat beide leeg."
    }
    form, _ = sent_preferences(CHANNELS | {"stil-van": "25:00", "stil-tot": "07:00"}, [])
    assert form.errors == {"stil-van": "Vul een tijd in, bijvoorbeeld 22:00."}


def test_only_optional_categories_can_be_switched_off():
    form, opted_out = sent_preferences(CHANNELS, ["announcements", "bookings"])
    assert form.valid and opted_out == {"announcements"}


def test_a_refusal_of_the_api_lands_on_the_field_it_names():
    form, _ = sent_preferences(CHANNELS | {"stil-van": "07:00", "stil-tot": "07:00"}, [])
    refusal = ApiProblem(
        422,
        "Refused",
        "stille uren hebben een begin en een einde die verschillen",
        extra={"field": "quiet_hours"},
    )
    assert place_problem(form, refusal, PREFERENCE_FIELDS)
    assert form.errors["stil-van"].startswith("Stille uren hebben")


def test_an_announcement_needs_a_title_a_text_and_someone_to_go_to():
    chosen = announcement_form({"titel": " ", "tekst": ""}, [], [], [])
    assert set(chosen.form.errors) == {"titel", "tekst", "organisaties"}
    chosen = announcement_form(
        {"titel": "Nieuwsbrief", "tekst": "Beste partners"}, [], ["vmbo"], ["school"]
    )
    assert chosen.form.valid
    assert announcement_body(chosen) == {
        "title": "Nieuwsbrief",
        "body": "Beste partners",
        "organisations": [],
        "kinds": ["vmbo"],
        "roles": ["school"],
    }


def test_an_announcement_the_api_refuses_shows_why_next_to_the_list_it_is_about():
    chosen = announcement_form(
        {"titel": "Nieuwsbrief", "tekst": "Tekst"}, ["corlaer"], [], ["municipality"]
    )
    nobody = ApiProblem(
        422,
        "Refused",
        "niemand ontvangt deze aankondiging: kies andere organisaties, soorten of rollen",
        extra={"field": "roles"},
    )
    assert place_problem(chosen.form, nobody, ANNOUNCEMENT_FIELDS)
    assert chosen.form.errors["rollen"].startswith("Niemand ontvangt")
    invalid = ApiProblem(
        422,
        "Invalid request",
        "",
        errors=[{"field": "kinds.0", "code": "literal_error", "message": "Input should be ..."}],
    )
    assert place_problem(chosen.form, invalid, ANNOUNCEMENT_FIELDS)
    assert chosen.form.errors["soorten"] == "Kies een van de mogelijkheden."
