"""The API's problem details as Dutch text at the right place; the offer filter."""

from datetime import UTC, date, datetime, timedelta

from web import views
from web.gateway import ApiProblem
from web.views import (
    DeskFilter,
    OfferFilter,
    apply_problem,
    cents,
    group_form,
    is_late,
    offer_list,
    period_form,
    refusal,
    registration_body,
    registration_form,
    reservation_body,
    return_body,
    return_form,
)

FILLED = {"klas": "3B", "niveau": "vmbo-kb", "leerjaar": "3", "leerlingen": "24"}


def test_a_field_error_of_the_api_lands_on_its_field_in_dutch():
    form = group_form(FILLED | {"leerlingen": "500"})
    problem = ApiProblem(
        422,
        "Invalid request",
        "the request has invalid fields",
        errors=[
            {
                "field": "group.students",
                "code": "less_than_equal",
                "message": "Input should be less than or equal to 200",
            }
        ],
    )
    assert apply_problem(form, problem)
    assert form.errors == {"leerlingen": "Dit mag hoogstens 200 zijn."}
    assert form.values["klas"] == "3B" and form.values["leerlingen"] == "500"


def test_an_unknown_code_keeps_the_apis_own_message():
    form = group_form(FILLED)
    apply_problem(
        form,
        ApiProblem(
            422,
            errors=[
                {"field": "group.name", "code": "new_code", "message": "Kies een kortere naam."}
            ],
        ),
    )
    assert form.errors == {"klas": "Kies een kortere naam."}


def test_a_refusal_without_field_errors_is_not_put_on_a_field():
    form = group_form(FILLED)
    assert not apply_problem(form, ApiProblem(409, detail="full"))
    assert form.valid


def test_the_form_asks_for_what_is_missing_before_asking_the_api():
    form = group_form({"klas": " ", "niveau": "vmbo-kb", "leerjaar": "drie", "leerlingen": ""})
    assert form.errors == {
        "klas": "Vul klas in.",
        "leerjaar": "Vul een heel getal in, bijvoorbeeld 24.",
        "leerlingen": "Vul aantal leerlingen in.",
    }
    assert [name for name, _, _ in form.summary()] == ["klas", "leerjaar", "leerlingen"]


def test_refusals_are_explained_by_their_rule_with_a_next_step():
    assert "Kies een sessie die later begint" in refusal(
        ApiProblem(422, extra={"rule": "lead_time"})
    )
    assert (
        refusal(ApiProblem(422, extra={"rule": "calendar", "closed_because": "Kerstvakantie"}))
        == "Op die dag zijn er geen lessen (Kerstvakantie). Kies een sessie op "
        "een andere dag."
    )
    assert "maximum van 12 sessies" in refusal(
        ApiProblem(409, extra={"rule": "quota", "quota": 12})
    )
    assert "niet bereikbaar" in refusal(ApiProblem(503))


def test_cancelling_within_the_free_days_is_late():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert is_late(now + timedelta(days=6, hours=23), now, 7)
    assert not is_late(now + timedelta(days=7, hours=1), now, 7)


def test_the_offer_filter_matches_kind_level_and_profile():
    offers = [
        {"id": "a", "kind": "masterclass", "audience": ["vmbo-kb", "havo"], "profile": None},
        {"id": "b", "kind": "elective", "audience": ["vmbo-kb"], "profile": "PIE"},
        {"id": "c", "kind": "elective", "audience": ["havo"], "profile": "BWI"},
    ]
    listed = offer_list(offers, OfferFilter.of({"soort": "elective", "niveau": "vmbo-kb"}))
    assert [o["id"] for o in listed.offers] == ["b"]
    assert listed.profiles == ["BWI", "PIE"] and listed.kinds == ["elective", "masterclass"]
    assert len(offer_list(offers, OfferFilter()).offers) == 3


def test_the_offer_filter_matches_a_theme_and_offers_the_themes_there_are():
    offers = [
        {"id": "a", "kind": "masterclass", "audience": ["vmbo-kb"], "theme": "robotics"},
        {"id": "b", "kind": "elective", "audience": ["vmbo-kb"], "theme": "construction"},
        {"id": "c", "kind": "elective", "audience": ["vmbo-kb"], "theme": None},
    ]
    chosen = OfferFilter.of({"thema": "robotics"})
    listed = offer_list(offers, chosen)
    assert [o["id"] for o in listed.offers] == ["a"]
    assert listed.themes == ["construction", "robotics"]  # "Bouw" before "Robotica"
    assert chosen.active and chosen.query() == {"thema": "robotics"}


def test_the_loans_desk_keeps_its_filters_and_reads_a_bad_day_as_today():
    today = date(2027, 6, 9)
    chosen = DeskFilter.of({"dag": "2027-06-10", "status": "out", "school": " Corlaer"}, today)
    assert chosen.params() == {
        "from": "2027-06-10",
        "to": "2027-06-10",
        "status": "out",
        "school_id": "corlaer",
    }
    assert chosen.query(today) == {"dag": "2027-06-10", "status": "out", "school": "corlaer"}
    odd = DeskFilter.of({"dag": "morgen", "status": "kwijt"}, today)
    assert (odd.day, odd.status, odd.query(today)) == (today, "", {})


def test_amounts_in_euro_as_people_type_them():
    assert [cents(t) for t in ("45", "45,5", "€ 1234,56", "12.05")] == [4500, 4550, 123456, 1205]
    assert cents("veel") is None and cents("1,234") is None


def test_innemen_needs_the_condition_and_damage_with_its_cost():
    assert return_form({"staat": " "}).errors.keys() == {"staat"}
    assert return_form({"staat": "goed", "kosten": "45"}).errors.keys() == {"schade"}
    assert return_form({"staat": "goed", "schade": "x", "kosten": "duur"}).errors.keys() == {
        "kosten"
    }
    damaged = return_form({"staat": "beschadigd", "schade": "scherm gebarsten", "kosten": "45,00"})
    assert return_body(damaged) == {
        "condition": "beschadigd",
        "damage": {"description": "scherm gebarsten", "repair_cost_cents": 4500},
    }
    assert return_body(return_form({"staat": "goed"})) == {"condition": "goed", "damage": None}


def test_registering_for_an_event_leaves_the_booking_form_as_it_is():
    """The event form adds the profile to its own labels, not to the booking form's."""
    registration_form(FILLED)
    assert group_form(FILLED).valid


def test_a_proposal_form_checks_only_numbers_dates_and_levels_and_keeps_what_was_typed():
    form = views.proposal_form(
        {
            "soort": "internship",
            "titel": " Snuffelstage ",
            "duur": "2u",
            "van": "9 juni",
            "doelgroep": "",
            "locatie": "Werf",
        }
    )
    assert form.errors == {
        "duur": "Vul een heel getal in, bijvoorbeeld 24.",
        "van": "Vul een datum in, bijvoorbeeld 9-6-2027.",
        "doelgroep": "Kies minstens één niveau.",
    }
    assert (form.values["titel"], form.values["locatie"]) == ("Snuffelstage", "Werf")


def test_a_proposal_is_sent_as_the_api_reads_it():
    form = views.proposal_form(
        {
            "soort": "internship",
            "titel": "Snuffelstage",
            "doelgroep": "vmbo-bb,vmbo-kb",
            "profiel": "BWI",
            "thema": "construction",
            "locatie": "Werf",
            "duur": "",
            "plaatsen": "6",
            "leerjaar": "3",
            "van": "2027-03-01",
            "tot": "2027-03-12",
        }
    )
    assert form.valid
    assert views.proposal_body(form) == {
        "kind": "internship",
        "title": "Snuffelstage",
        "audience": ["vmbo-bb", "vmbo-kb"],
        "profile": "BWI",
        "theme": "construction",
        "location": "Werf",
        "session_minutes": 120,
        "capacity": 6,
        "assignment": None,
        "internship_year": 3,
        "period_starts_on": "2027-03-01",
        "period_ends_on": "2027-03-12",
    }


def test_a_proposal_names_one_of_the_plans_themes_or_none():
    assert views.proposal_form({"thema": "", "doelgroep": "po"}).valid
    form = views.proposal_form({"thema": "kernfusie", "doelgroep": "po"})
    assert form.errors == {"thema": "Kies een thema uit de lijst."}
    assert form.values["thema"] == "kernfusie"


def test_an_optional_texts_bound_reads_as_characters_in_dutch():
    """An optional text's bound comes as a sequence's "items"; the person reads characters."""
    form = views.proposal_form({"titel": "ab", "doelgroep": "po"})
    error = {"field": "title", "code": "too_short", "message": "Value should have at least 3 items"}
    assert apply_problem(form, ApiProblem(422, errors=[error]))
    assert form.errors == {"titel": "Dit is te kort: gebruik minstens 3 tekens."}


def test_a_rule_refusing_a_proposal_lands_at_the_field_it_names():
    form = views.blank_proposal()
    problem = ApiProblem(
        422,
        "Not possible",
        "een praktijkopdracht beschrijft de opdracht",
        extra={"field": "assignment"},
    )
    assert views.place_refusal(form, problem)
    assert form.errors == {"opdracht": "Een praktijkopdracht beschrijft de opdracht."}
    assert not views.place_refusal(views.blank_proposal(), ApiProblem(409, detail="bezet"))


def test_the_backoffice_registers_and_reserves_for_the_school_it_chooses():
    group = {"klas": "3B", "niveau": "vmbo-kb", "leerjaar": "3", "leerlingen": "24"}
    unnamed = registration_form(group, on_behalf=True)
    assert unnamed.errors == {"school": "Kies de school waarvoor je aanmeldt."}
    chosen = registration_form(group | {"school": "trivium"}, on_behalf=True)
    assert registration_body(chosen, "s1")["school_id"] == "trivium"
    assert "school_id" not in registration_body(registration_form(group), "s1")
    period = {"categorie": "drone", "van": "2027-06-09", "tot": "2027-06-10"}
    assert period_form(period, on_behalf=True).errors == {
        "school": "Kies de school waarvoor je reserveert."
    }
    assert (
        reservation_body(period_form(period | {"school": "element"}, on_behalf=True), "d1")[
            "school_id"
        ]
        == "element"
    )
    assert "school_id" not in reservation_body(period_form(period), "d1")


def test_mijn_planning_lists_each_open_loan_once_the_first_to_start_first():
    def loan(key: str, starts: str, status: str) -> dict:
        return {"id": key, "starts_on": starts, "desk_status": status}

    current = [loan("b", "2027-06-10", "reserved"), loan("c", "2027-06-01", "returned")]
    overdue = [loan("a", "2027-05-01", "overdue"), loan("b", "2027-06-10", "reserved")]
    assert [r["id"] for r in views.open_loans(current, overdue)] == ["a", "b"]


def test_mijn_planning_lists_the_confirmed_registrations_still_to_come_soonest_first():
    now = datetime(2027, 6, 9, 12, tzinfo=UTC)

    def registration(key: str, status: str, day: int | None) -> dict:
        times = {"starts_at": None, "ends_at": None}
        if day is not None:
            times = {
                "starts_at": f"2027-06-{day:02d}T09:00:00+00:00",
                "ends_at": f"2027-06-{day:02d}T13:00:00+00:00",
            }
        return {"id": key, "status": status} | times

    found = [
        registration("later", "confirmed", 20),
        registration("over", "confirmed", 8),
        registration("waiting", "waitlisted", 10),
        registration("soon", "confirmed", 10),
        registration("untimed", "confirmed", None),
    ]
    coming = views.coming_registrations(found, now)
    assert [r["id"] for r in coming] == ["soon", "later", "untimed"]
