"""The backoffice's offer form: filled in with the offer, checked, and sent as only what
the person changed."""

from web.offer_forms import offer_changes, offer_form, offer_values

OFFER = {
    "id": "drones-kb",
    "title": "Drones bouwen",
    "audience": ["vmbo-kb", "vmbo-gl"],
    "location": "Hotspot",
    "capacity": 24,
    "assignment": None,
    "theme": None,
}


def test_the_form_sends_only_what_the_person_changed():
    values = offer_values(OFFER) | {"thema": "drones", "plaatsen": "20"}
    form = offer_form(values)
    assert form.valid
    assert offer_changes(form, OFFER) == {"theme": "drones", "capacity": 20}
    assert offer_changes(offer_form(offer_values(OFFER)), OFFER) == {}


def test_the_form_checks_the_number_the_levels_and_the_theme_and_keeps_what_was_typed():
    values = offer_values(OFFER) | {"plaatsen": "veel", "doelgroep": "", "thema": "kernfusie"}
    form = offer_form(values)
    assert form.errors == {
        "plaatsen": "Vul een heel getal in, bijvoorbeeld 24.",
        "doelgroep": "Kies minstens één niveau.",
        "thema": "Kies een thema uit de lijst.",
    }
    assert (form.values["titel"], form.values["plaatsen"]) == ("Drones bouwen", "veel")
