"""The backoffice's management forms: what they check, what they send, and a service's
refusal naming one field landing at that field."""

from web.gateway import ApiProblem
from web.manage import (
    accept_body,
    accept_form,
    closed_form,
    organisation_body,
    organisation_form,
    paged,
    quota_form,
)
from web.views import apply_problem, booking_form

GROUP = {"klas": "3B", "niveau": "vmbo-kb", "leerjaar": "3", "leerlingen": "24"}


def test_the_backoffice_chooses_the_school_it_books_for_and_a_school_does_not():
    assert booking_form(GROUP, on_behalf=True).errors == {
        "school": "Kies de school waarvoor je boekt."
    }
    assert booking_form(GROUP | {"school": "trivium"}, on_behalf=True).valid
    assert "school" not in booking_form(GROUP | {"school": "trivium"}, on_behalf=False).values


def test_a_refusal_naming_its_field_lands_there_with_what_was_typed():
    form = closed_form({"naam": "Studiedag", "van": "2030-02-13", "tot": "2030-02-12"})
    assert form.valid
    problem = ApiProblem(
        422,
        "Refused",
        "een gesloten periode eindigt op of na haar eerste dag",
        extra={"field": "ends_on"},
    )
    assert apply_problem(form, problem)
    assert form.errors == {"tot": "Een gesloten periode eindigt op of na haar eerste dag."}
    assert form.values["naam"] == "Studiedag"


def test_numbers_and_required_fields_are_asked_for_before_the_api_is():
    form = quota_form({"school": "corlaer", "schooljaar": "2029", "maximum": "acht"})
    assert form.errors == {"maximum": "Vul een heel getal in, bijvoorbeeld 12."}
    assert set(organisation_form({}, new=True).errors) == {"code", "naam", "soort"}


def test_an_edit_keeps_what_the_form_does_not_show():
    current = {
        "id": "po-x",
        "name": "Oud",
        "kind": "po",
        "tl_subjects": [],
        "has_tl": False,
        "hard_tech": False,
        "board_id": "po-board-03",
    }
    form = organisation_form({"naam": "Nieuw", "soort": "po", "profielen": ""}, new=False)
    body = organisation_body(form, current)
    assert (body["name"], body["board_id"], body["profiles"]) == ("Nieuw", "po-board-03", [])
    assert "id" not in body


def test_a_list_the_api_gives_whole_is_shown_a_page_at_a_time():
    assert paged(list(range(45)), 3, 20) == ([40, 41, 42, 43, 44], False)
    assert paged(list(range(45)), 1, 20)[1] is True


def test_accepting_an_invitation_asks_a_fitting_name_and_the_same_password_twice():
    form = accept_form(
        {
            "code": " abc ",
            "gebruikersnaam": "Sanne de Vries",
            "wachtwoord": " kort",
            "herhaling": "kort",
        }
    )
    assert set(form.errors) == {"gebruikersnaam", "wachtwoord", "herhaling"}
    assert "minstens 10 tekens" in form.errors["wachtwoord"]
    good = accept_form(
        {
            "code": "abc",
            "gebruikersnaam": "sanne.devries",
            "wachtwoord": " een lang wachtwoord",
            "herhaling": " een lang wachtwoord",
        }
    )
    assert good.valid and accept_body(good) == {
        "code": "abc",
        "username": "sanne.devries",
        "password": " een lang wachtwoord",
    }
