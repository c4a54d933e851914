"""The backoffice's management pages in Chromium against the real platform: the calendar
(closed days, school exceptions, quotas, booking rules), organisations and people, and
booking on behalf of a school from the offer page; with form errors at their fields, a
refused action, axe-core on every page at desktop and phone size and no sideways scroll."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import expect

from shared.domain import local_date
from tests.browser import SCREENSHOTS, SIZES, post
from tests.harness import Platform
from tests.test_web import BOOKING_DAY, fill_group, new_offer
from tests.test_web_events import new_event, register_class
from tests.test_web_loans import card, new_item

pytestmark = pytest.mark.integration

# Far ahead, so no other test books on these days; school year 2029/30.
CLOSED_DAY = "2030-02-13"


def new_school(platform: Platform) -> dict:
    tag = uuid.uuid4().hex[:8]
    made = post(
        f"{platform.gateway}/organisations",
        platform.token("backoffice"),
        {
            "id": f"vmbo-web-{tag}",
            "name": f"Webtest College {tag}",
            "kind": "vmbo",
            "municipality": "Amersfoort",
        },
    )
    assert made.status_code == 201, made.text
    return made.json()


@pytest.mark.parametrize("size", SIZES)
def test_the_backoffice_closes_a_day_and_opens_it_again(platform, visits, size):
    name = f"Studiedag hotspot {uuid.uuid4().hex[:6]}"
    tab = visits(size)
    tab.login("backoffice")
    page = tab.click("Kalender")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kalender")
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("Eerste dag").fill(CLOSED_DAY)
    page = tab.click("Sluit deze dagen", role="button")  # no last day: said at its field
    expect(page.locator("#tot-fout")).to_contain_text("Vul de laatste gesloten dag in")
    expect(page.get_by_label("Naam", exact=True)).to_have_value(name)
    page.get_by_label("Laatste dag").fill("2030-02-12")
    page = tab.click("Sluit deze dagen", role="button")  # before the first: the API says no
    expect(page.locator("#tot-fout")).to_contain_text("eindigt op of na haar eerste dag")
    expect(page.get_by_label("Eerste dag")).to_have_value(CLOSED_DAY)
    page.get_by_label("Laatste dag").fill(CLOSED_DAY)
    page = tab.click("Sluit deze dagen", role="button")
    expect(page.get_by_role("status")).to_contain_text(f"{name} staat in de kalender")
    closed = (
        page.get_by_role("list", name="Gesloten dagen")
        .get_by_role("listitem")
        .filter(has_text=name)
    )
    expect(closed).to_contain_text("woensdag 13 februari 2030")
    if size == "desktop":
        page.screenshot(path=SCREENSHOTS / "backoffice-kalender-desktop.png", full_page=True)
    closed.get_by_role("button", name="Verwijder").click()
    page = tab.checked()
    expect(page.get_by_role("status")).to_contain_text(f"{name} is uit de kalender")
    expect(page.get_by_role("listitem").filter(has_text=name)).to_have_count(0)


def test_the_backoffice_sets_rules_exceptions_and_quotas_on_a_phone(platform, visits):
    school = new_school(platform)
    rules = httpx.get(
        f"{platform.gateway}/calendar/rules", headers=platform.token("backoffice")
    ).json()
    tab = visits("phone")
    tab.login("backoffice")
    page = tab.open("/backoffice/kalender")
    page.get_by_label("Dagen vooraf boeken").fill("een week")
    page = tab.click("Sla de regels op", role="button")
    expect(page.locator("#voorbereiding-fout")).to_contain_text("heel getal")
    expect(page.get_by_label("Dagen vooraf boeken")).to_have_value("een week")
    page.get_by_label("Dagen vooraf boeken").fill(str(rules["min_lead_days"]))
    page = tab.click("Sla de regels op", role="button")
    expect(page.get_by_role("status")).to_contain_text("opgeslagen")

    page = tab.click("Uitzonderingen per school")
    page.get_by_label("School", exact=True).select_option(school["id"])
    page.get_by_label("Dag", exact=True).fill(CLOSED_DAY)
    page.get_by_label("Open of dicht").select_option("dicht")
    page = tab.click("Voeg de uitzondering toe", role="button")  # no reason
    expect(page.locator("#reden-fout")).to_contain_text("Vul de reden in")
    expect(page.get_by_label("School", exact=True)).to_have_value(school["id"])
    page.get_by_label("Reden").fill("studiedag")
    page = tab.click("Voeg de uitzondering toe", role="button")
    expect(page.get_by_role("status")).to_contain_text(
        f"{school['id']} is op woensdag 13 februari 2030 dicht"
    )
    found = (
        page.get_by_role("list", name="Uitzonderingen")
        .get_by_role("listitem")
        .filter(has_text=school["name"])
    )
    expect(found).to_contain_text("studiedag")
    found.get_by_role("button", name="Verwijder").click()
    page = tab.checked()
    expect(page.get_by_role("status")).to_contain_text("is verwijderd")

    page = tab.click("Quota per school")
    page.get_by_label("School", exact=True).select_option(school["id"])
    page.get_by_label("Schooljaar", exact=True).select_option("2029")
    page.get_by_label("Maximum sessies").fill("8")
    page = tab.click("Stel het quotum in", role="button")
    expect(page.get_by_role("status")).to_contain_text("hoogstens 8 sessies")
    quota = (
        page.get_by_role("list", name="Quota")
        .get_by_role("listitem")
        .filter(has_text=school["name"])
    )
    expect(quota).to_contain_text("Hoogstens 8 sessies in 2029/30")
    page.screenshot(path=SCREENSHOTS / "backoffice-kalender-phone.png", full_page=True)
    quota.get_by_role("button", name="Verwijder").click()
    page = tab.checked()
    expect(page.get_by_role("status")).to_contain_text("geen quotum meer")
    left = httpx.get(
        f"{platform.gateway}/calendar/quotas",
        params={"school_year": 2029},
        headers=platform.token("backoffice"),
    ).json()
    assert school["id"] not in {q["school_id"] for q in left}


@pytest.mark.parametrize("size", SIZES)
def test_the_backoffice_adds_finds_and_edits_an_organisation(platform, visits, size):
    taken, tag = new_school(platform), uuid.uuid4().hex[:8]
    code, name = f"po-web-{tag}", f"Basisschool De Webtest {tag}"
    tab = visits(size)
    tab.login("backoffice")
    page = tab.click("Organisaties")
    page.get_by_label("Soort").select_option("vmbo")
    page = tab.click("Filter", role="button")
    expect(page.get_by_role("list", name="Organisaties")).to_be_visible()
    page = tab.click("Organisatie toevoegen")
    page.get_by_label("Code").fill(taken["id"])
    page.get_by_label("Soort").select_option("po")
    page = tab.click("Voeg de organisatie toe", role="button")  # no name
    expect(page.locator("#naam-fout")).to_contain_text("Vul de naam in")
    page.get_by_label("Naam").fill(name)
    page = tab.click("Voeg de organisatie toe", role="button")  # a code taken: refused
    expect(page.locator("#code-fout")).to_contain_text("Er is al een organisatie met deze code")
    expect(page.get_by_label("Naam")).to_have_value(name)
    page.get_by_label("Code").fill(code)
    page.get_by_label("Plaats").fill("Leusden")
    page = tab.click("Voeg de organisatie toe", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("status")).to_contain_text("is opgeslagen")
    expect(page.get_by_text("Bij deze organisatie hoort nog niemand")).to_be_visible()
    page = tab.click(f"Wijzig {name}")
    expect(page.get_by_label("Plaats")).to_have_value("Leusden")
    page.get_by_label("Naam").fill(f"{name} (nieuw)")
    page = tab.click("Sla de wijzigingen op", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{name} (nieuw)")

    page = tab.open(f"/backoffice/organisaties?soort=po&tekst={tag}")
    [found] = page.get_by_role("list", name="Organisaties").get_by_role("listitem").all()
    expect(found).to_contain_text(f"{name} (nieuw)")
    expect(found).to_contain_text("Basisschool (po)")
    page = tab.open(f"/backoffice/organisaties?soort=company&tekst={tag}")
    expect(page.get_by_text("Geen organisaties gevonden met deze filters")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_the_backoffice_invites_a_person_and_deactivates_them_after_confirming(
    platform, visits, size
):
    school, person = new_school(platform), f"Sanne Webtest {uuid.uuid4().hex[:6]}"
    tab = visits(size)
    tab.login("backoffice")
    page = tab.click("Mensen")
    page = tab.click("Iemand uitnodigen")
    page.get_by_label("Organisatie").select_option(school["id"])
    page.get_by_label("Rol").select_option("finance")
    page.get_by_label("Naam").fill(person)
    page.get_by_label("E-mailadres").fill("sanne@webtest.nl")
    page = tab.click("Maak de uitnodiging", role="button")  # no finance at a school
    expect(page.locator("#rol-fout")).to_contain_text("past niet bij een organisatie")
    expect(page.get_by_label("Naam")).to_have_value(person)
    page.get_by_label("Rol").select_option("teacher")
    page = tab.click("Maak de uitnodiging", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitnodiging gemaakt")
    code = page.locator("#uitnodigingscode").inner_text()
    assert len(code) >= 16
    expect(page.locator("#uitnodigingslink")).to_have_attribute(
        "href", f"{platform.web}/uitnodiging?code={code}"
    )
    page = tab.click(f"Naar de mensen van {school['id']}")
    card = page.get_by_role("list", name="Mensen").get_by_role("listitem").filter(has_text=person)
    expect(card).to_contain_text("Uitgenodigd")
    page.screenshot(path=SCREENSHOTS / f"mensen-{size}.png", full_page=True)
    card.get_by_role("link", name=f"Deactiveer {person}").click()
    page = tab.checked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account deactiveren")
    page = tab.click(f"Deactiveer {person}", role="button")
    expect(page.get_by_role("status")).to_contain_text(f"Het account van {person} is gedeactiveerd")
    expect(page.get_by_role("listitem").filter(has_text=person)).to_contain_text("Gedeactiveerd")
    accepted = httpx.post(
        f"{platform.gateway}/invitations/accept",
        json={
            "code": code,
            "username": f"web-{uuid.uuid4().hex[:8]}",
            "password": "een-lang-wachtwoord",
        },
    )
    assert accepted.status_code == 409, accepted.text


def test_the_backoffice_books_a_session_on_behalf_of_a_school(platform, visits):
    offer, _ = new_offer(platform, BOOKING_DAY, hour=15)
    tab = visits("desktop")
    tab.login("backoffice")
    page = tab.open(f"/aanbod/{offer['id']}")
    expect(page.get_by_text("Als backoffice boek je namens een school")).to_be_visible()
    page = tab.click("Boek deze sessie")
    fill_group(page, "22")
    page = tab.click("Ga verder", role="button")  # which school?
    expect(page.locator("#school-fout")).to_contain_text("Kies de school")
    expect(page.get_by_label("Aantal leerlingen")).to_have_value("22")
    page.get_by_label("School").select_option("trivium")
    page = tab.click("Ga verder", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer je boeking")
    page = tab.click("Boek deze sessie", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Je boeking is bevestigd")
    expect(page.get_by_text("trivium (geboekt door backoffice)")).to_be_visible()
    booking_id = page.url.split("/boekingen/")[1].split("/")[0]
    booking = httpx.get(
        f"{platform.gateway}/bookings/{booking_id}", headers=platform.token("trivium")
    ).json()
    assert (booking["school_id"], booking["booked_by"], booking["group"]["students"]) == (
        "trivium",
        "backoffice",
        22,
    )


def test_an_invited_teacher_sets_a_password_and_lands_signed_in_on_a_phone(platform, visits):
    school, username = new_school(platform), f"docent.{uuid.uuid4().hex[:8]}"
    invited = post(
        f"{platform.gateway}/people/invitations",
        platform.token("backoffice"),
        {
            "organisation_id": school["id"],
            "role": "teacher",
            "name": "Docent Webtest",
            "email": "docent@webtest.nl",
        },
    )
    assert invited.status_code == 201, invited.text
    link = f"/uitnodiging?code={invited.json()['code']}"
    tab = visits("phone")
    page = tab.open(link)
    expect(page.get_by_label("Uitnodigingscode")).to_have_value(invited.json()["code"])
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill("kort")
    page.get_by_label("Herhaal het wachtwoord").fill("anders")
    page = tab.click("Maak mijn account", role="button")
    expect(page.locator("#wachtwoord-fout")).to_contain_text("minstens 10 tekens")
    expect(page.locator("#herhaling-fout")).to_contain_text("niet gelijk")
    expect(page.get_by_label("Gebruikersnaam")).to_have_value(username)
    page.get_by_label("Wachtwoord", exact=True).fill("een-lang-wachtwoord")
    page.get_by_label("Herhaal het wachtwoord").fill("een-lang-wachtwoord")
    page = tab.click("Maak mijn account", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn planning")  # a teacher's
    expect(page.get_by_role("status")).to_contain_text("Je account is klaar en je bent ingelogd")
    expect(page.get_by_text(f"{username} · Docent")).to_be_visible()

    again = visits("desktop")  # the link works once
    page = again.open(link)
    page.get_by_label("Gebruikersnaam").fill(f"{username}.twee")
    page.get_by_label("Wachtwoord", exact=True).fill("een-ander-wachtwoord")
    page.get_by_label("Herhaal het wachtwoord").fill("een-ander-wachtwoord")
    page = again.click("Maak mijn account", role="button")
    expect(page.locator("#code-fout")).to_contain_text("al gebruikt")


@pytest.mark.parametrize("size", SIZES)
def test_the_backoffice_registers_a_class_for_an_event_on_behalf_of_a_school(
    platform, visits, size
):
    event, session = new_event(platform)
    tab = visits(size)
    tab.login("backoffice")
    page = tab.open(f"/backoffice/evenementen/{event['id']}")
    page = tab.click(f"Meld een klas aan voor {session['title']} namens een school")
    register_class(page, "2C", "18")
    page = tab.click("Meld deze klas aan", role="button")  # which school?
    expect(page.locator("#school-fout")).to_contain_text("Kies de school")
    expect(page.get_by_label("Aantal leerlingen")).to_have_value("18")
    page.get_by_label("School").select_option("trivium")
    page = tab.click("Meld deze klas aan", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text(event["title"])
    expect(page.get_by_role("status")).to_contain_text("Klas 2C van trivium is aangemeld")
    expect(page.get_by_role("row").filter(has_text="trivium: 2C")).to_contain_text("Aangemeld")
    [registration] = [
        r
        for r in httpx.get(
            f"{platform.gateway}/registrations",
            headers=platform.token("trivium"),
            params={"limit": 500},
        ).json()
        if r["session_id"] == session["id"]
    ]
    assert (registration["registered_by"], registration["group"]["students"]) == ("backoffice", 18)


def test_the_backoffice_reserves_equipment_on_behalf_of_a_school_on_a_phone(platform, visits):
    item = new_item(platform, category=f"webtest-{uuid.uuid4().hex[:6]}")
    first = local_date(datetime.now(UTC)) + timedelta(days=10)
    tab = visits("phone")
    tab.login("backoffice")
    page = tab.click("Uitleenbalie")
    page = tab.click("Reserveer apparatuur namens een school")
    page.get_by_label("Soort apparatuur").select_option(item["category"])
    page.get_by_label("Eerste dag").fill(first.isoformat())
    page.get_by_label("Laatste dag").fill((first + timedelta(days=1)).isoformat())
    page = tab.click("Toon wat vrij is", role="button")
    page = tab.click(f"Reserveer {item['name']}", role="button")  # which school?
    expect(page.locator("#school-fout")).to_contain_text("Kies de school waarvoor je reserveert")
    page.get_by_label("School").select_option("element")
    page = tab.click("Toon wat vrij is", role="button")
    page = tab.click(f"Reserveer {item['name']}", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitleenbalie")
    expect(page.get_by_role("status")).to_contain_text(
        f"{item['name']} is gereserveerd voor element"
    )
    expect(card(page, item)).to_contain_text("element")
    [reserved] = [
        r
        for r in httpx.get(
            f"{platform.gateway}/reservations",
            headers=platform.token("element"),
            params={"limit": 500},
        ).json()
        if r["item_id"] == item["id"]
    ]
    assert (reserved["reserved_by"], reserved["starts_on"]) == ("backoffice", first.isoformat())


def test_an_organisation_changed_by_someone_else_meanwhile_is_not_overwritten(platform, visits):
    school = new_school(platform)
    tab = visits("desktop")
    tab.login("backoffice")
    page = tab.open(f"/backoffice/organisaties/{school['id']}/wijzigen")
    meanwhile = httpx.put(
        f"{platform.gateway}/organisations/{school['id']}",
        headers=platform.token("backoffice"),
        json={**school, "name": f"{school['name']} (elders gewijzigd)"},
    )
    assert meanwhile.status_code == 200, meanwhile.text
    page.get_by_label("Naam").fill(f"{school['name']} (hier gewijzigd)")
    page = tab.click("Sla de wijzigingen op", role="button")
    expect(page.get_by_role("alert")).to_contain_text("Iemand anders heeft dit intussen gewijzigd")
    expect(page.get_by_label("Naam")).to_have_value(f"{school['name']} (hier gewijzigd)")
    now = httpx.get(
        f"{platform.gateway}/organisations/{school['id']}", headers=platform.token("backoffice")
    ).json()
    assert now["name"] == f"{school['name']} (elders gewijzigd)"
