"""The hotspot's planning in Chromium against the real platform: the week agenda per room
with an event's session in it, planning a session (a field error, a room in the way), a
series around a closed day, moving and cancelling a booked session with the schools told."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import expect

from shared.domain import local_date
from tests.browser import SCREENSHOTS, post
from tests.harness import Platform
from tests.test_web_events import new_event
from tests.test_web_loans import card, new_item, reserve

pytestmark = pytest.mark.integration
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A week of open school days far enough ahead for every booking rule.
PLAN_DAY = date(2027, 6, 8)
# A series' first lesson, and a day a week later the hotspot closes for this test.
SERIES_DAY, SERIES_CLOSED = date(2027, 9, 15), date(2027, 9, 22)


def new_offer(platform: Platform) -> tuple[dict, str]:
    """An inspiratieles of its own (no equipment, so it can be moved) and a room only this
    test plans in."""
    tag = uuid.uuid4().hex[:8]
    offer = post(
        f"{platform.gateway}/offerings",
        platform.token("backoffice"),
        {
            "id": f"plan-{tag}",
            "kind": "inspiration_lesson",
            "title": f"Inspiratieles planning {tag}",
            "audience": ["vmbo-kb"],
            "session_minutes": 120,
            "capacity": 30,
        },
    )
    assert offer.status_code == 201, offer.text
    return offer.json(), f"lokaal-{tag}"


def at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9), AMSTERDAM)


def plan(platform: Platform, offer: dict, room: str, day: date, hour: int) -> dict:
    starts = datetime.combine(day, time(hour), AMSTERDAM).astimezone(UTC)
    made = post(
        f"{platform.gateway}/offerings/{offer['id']}/sessions",
        platform.token("backoffice"),
        {
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "room": room,
            "instructor": f"docent-{room}",
            "capacity": 30,
        },
    )
    assert made.status_code == 201, made.text
    return made.json()


def test_the_backoffice_plans_a_session_in_its_week_agenda_refused_where_the_room_is_taken(
    platform, visits
):
    offer, room = new_offer(platform)
    plan(platform, offer, room, PLAN_DAY, 10)
    event, event_session = new_event(platform, at_nine(PLAN_DAY + timedelta(days=1)))
    tab = visits("desktop")
    tab.login("backoffice")
    page = tab.click("Agenda")
    page = tab.open(f"/backoffice/agenda?week={PLAN_DAY.isoformat()}")
    day = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="woensdag 9 juni 2027")
    )
    expect(day.locator(".tft-entry").filter(has_text=event_session["title"])).to_contain_text(
        f"Evenement {event['title']}"
    )
    page.get_by_label("Lokaal").select_option(room)
    page = tab.click("Toon", role="button")
    expect(page.locator(".tft-entry").filter(has_text=offer["title"])).to_have_count(1)
    expect(page.get_by_text(event_session["title"])).to_have_count(0)

    page = tab.click("Plan een sessie")
    expect(page.get_by_label("Lokaal")).to_have_value(room)
    page.get_by_label("Aanbod").select_option(offer["id"])
    page.get_by_label("Datum").fill(PLAN_DAY.isoformat())
    page.get_by_label("Begintijd").fill("11:00")
    page.get_by_label("Eindtijd").fill("13:00")
    page.get_by_label("Docent").fill("Sanne de Vries")
    page.get_by_label("Aantal plaatsen").fill("5000")  # the API allows at most 1000
    page = tab.click("Plan deze sessie", role="button")
    expect(page.locator("#plaatsen-fout")).to_contain_text("Dit mag hoogstens 1000 zijn.")
    expect(page.get_by_label("Docent")).to_have_value("Sanne de Vries")
    expect(page.get_by_label("Begintijd")).to_have_value("11:00")
    page.get_by_label("Aantal plaatsen").fill("24")
    page = tab.click("Plan deze sessie", role="button")  # the room has a lesson at 10-12
    expect(page.get_by_role("alert")).to_contain_text("Er is een probleem")
    expect(page.locator("#lokaal-fout")).to_contain_text(
        f"Lokaal {room} is op dat moment al bezet: {offer['title']}, dinsdag 8 juni 2027 "
        "10:00-12:00."
    )
    expect(page.get_by_label("Aantal plaatsen")).to_have_value("24")
    page.get_by_label("Begintijd").fill("13:00")
    page.get_by_label("Eindtijd").fill("15:00")
    page = tab.click("Plan deze sessie", role="button")
    expect(page.get_by_role("status")).to_contain_text(
        f"Gepland: {offer['title']}, dinsdag 8 juni 2027 13:00-15:00, lokaal {room}."
    )
    tab.open(f"/backoffice/agenda?week={PLAN_DAY.isoformat()}&lokaal={room}")
    entries = page.locator(".tft-entry").filter(has_text=offer["title"])
    expect(entries).to_have_count(2)
    expect(entries.nth(1)).to_contain_text("Docent: Sanne de Vries")
    expect(entries.nth(1)).to_contain_text("24 van 24 plaatsen vrij")
    page.screenshot(path=SCREENSHOTS / "agenda-desktop.png", full_page=True)


def test_a_series_skips_a_closed_day_and_a_booked_lesson_is_moved_and_cancelled_on_a_phone(
    platform, visits
):
    offer, room = new_offer(platform)
    backoffice = platform.token("backoffice")
    closure = post(
        f"{platform.gateway}/calendar/closed-periods",
        backoffice,
        {
            "starts_on": SERIES_CLOSED.isoformat(),
            "ends_on": SERIES_CLOSED.isoformat(),
            "name": "Studiedag webplanning",
        },
    )
    assert closure.status_code == 201, closure.text
    try:
        tab = visits("phone")
        tab.login("backoffice")
        page = tab.open(f"/backoffice/serie-plannen?aanbod={offer['id']}")
        expect(page.get_by_label("Aantal plaatsen")).to_have_value("30")
        page.get_by_label("Datum van de eerste les").fill(SERIES_DAY.isoformat())
        page.get_by_label("Aantal lessen").fill("3")
        page.get_by_label("Docent").fill(f"docent-{room}")
        page = tab.click("Plan deze serie", role="button")  # no room
        expect(page.locator("#lokalen-fout")).to_contain_text("Vul lokaal of lokalen in.")
        expect(page.get_by_label("Aantal lessen")).to_have_value("3")
        page.get_by_label("Lokaal of lokalen").fill(room)
        page = tab.click("Plan deze serie", role="button")
    finally:
        httpx.delete(
            f"{platform.gateway}/calendar/closed-periods/{closure.json()['id']}", headers=backoffice
        )
    expect(page.get_by_role("heading", level=1)).to_have_text("Serie gepland")
    expect(page.get_by_role("status")).to_contain_text("1 datum is overgeslagen")
    expect(page.get_by_role("list", name="Overgeslagen data")).to_have_text(
        "woensdag 22 september 2027, 10:00: de hotspot is dan gesloten (Studiedag webplanning)"
    )
    lessons = page.get_by_role("row").filter(has_text=room)
    expect(lessons).to_have_count(3)
    expect(lessons.nth(1)).to_contain_text("woensdag 29 september 2027")

    first = httpx.get(
        f"{platform.gateway}/offerings/{offer['id']}/sessions", headers=backoffice
    ).json()[0]
    booked = post(
        f"{platform.gateway}/bookings",
        platform.token("corlaer"),
        {
            "session_id": first["id"],
            "group": {"name": "2D", "level": "vmbo-kb", "year": 2, "students": 20},
        },
    )
    assert booked.status_code == 201, booked.text

    page = tab.click("Bekijk de eerste les in de agenda")
    lesson = page.locator(".tft-entry").filter(has_text=offer["title"])
    expect(lesson).to_contain_text("corlaer: 2D (20)")
    page = tab.click(f"Verplaatsen: {offer['title']}, 10:00-12:00")
    expect(page.get_by_role("note")).to_contain_text("1 school krijgt hiervan bericht.")
    page.get_by_label("Begintijd").fill("13:00")
    page.get_by_label("Eindtijd").fill("15:00")
    page = tab.click("Verplaats deze sessie", role="button")
    expect(page.get_by_role("status")).to_contain_text(
        f"{offer['title']} is verplaatst naar woensdag 15 september 2027, 13:00-15:00. "
        "1 school krijgt hiervan bericht."
    )
    page = tab.click(f"Annuleren: {offer['title']}, 13:00-15:00")
    expect(page.get_by_role("note")).to_contain_text("alle lessen van de serie worden geannuleerd")
    page = tab.click("Annuleer deze sessie", role="button")  # without a reason
    expect(page.locator("#reden-fout")).to_contain_text("Vul de reden in")
    page.get_by_label("Reden").fill("De docent is ziek en er is geen vervanger.")
    page = tab.click("Annuleer deze sessie", role="button")
    expect(page.get_by_role("status")).to_contain_text(
        "is geannuleerd met alle 3 lessen van de serie. 1 school krijgt hiervan bericht."
    )
    expect(page.locator(".tft-entry").filter(has_text=offer["title"])).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "agenda-phone.png", full_page=True)


def register(platform: Platform, session_id: str, name: str, students: int) -> dict:
    made = post(
        f"{platform.gateway}/registrations",
        platform.token("corlaer"),
        {
            "session_id": session_id,
            "group": {"name": name, "level": "vmbo-kb", "year": 3, "students": students},
        },
    )
    assert made.status_code == 201, made.text
    return made.json()


def test_the_backoffice_plans_an_event_and_more_places_go_to_the_waiting_list(platform, visits):
    tag = uuid.uuid4().hex[:8]
    tab = visits("desktop")
    tab.login("backoffice")
    page = tab.click("Evenementen")
    page = tab.click("Plan een evenement")
    page.get_by_label("Titel").fill(f"Girls Day {tag}")
    page.get_by_label("Datum").fill("2027-06-11")
    page.get_by_label("vmbo-kb").check()
    page.get_by_label("Aantal plaatsen").fill("0")  # the API wants at least 1
    page = tab.click("Plan dit evenement", role="button")
    expect(page.locator("#plaatsen-fout")).to_contain_text("Dit moet minstens 1 zijn.")
    expect(page.get_by_label("Titel")).to_have_value(f"Girls Day {tag}")
    expect(page.get_by_label("vmbo-kb")).to_be_checked()
    page.get_by_label("Aantal plaatsen").fill("100")
    page = tab.click("Plan dit evenement", role="button")
    expect(page.get_by_role("status")).to_contain_text(f"Girls Day {tag} is gepland.")
    event_id = page.url.rsplit("/", 1)[-1]
    page = tab.click("Voeg een sessie toe")
    page.get_by_label("Titel").fill(f"Workshop lassen {tag}")
    page.get_by_label("Aantal plaatsen").fill("30")
    page = tab.click("Voeg deze sessie toe", role="button")
    expect(page.get_by_role("status")).to_contain_text(
        f"Sessie Workshop lassen {tag} is toegevoegd"
    )
    [session] = httpx.get(
        f"{platform.gateway}/events/{event_id}/sessions", headers=platform.token("backoffice")
    ).json()
    register(platform, session["id"], "3B", 24)
    assert register(platform, session["id"], "3C", 12)["status"] == "waitlisted"

    phone = visits("phone")
    phone.login("backoffice")
    page = phone.open(f"/backoffice/evenementen/{event_id}")
    expect(page.get_by_text("1 op de wachtlijst")).to_be_visible()
    page = phone.click(f"Wijzig sessie Workshop lassen {tag}")
    expect(page.get_by_label("Aantal plaatsen")).to_have_value("30")
    page.get_by_label("Aantal plaatsen").fill("10")
    page = phone.click("Bewaar de wijzigingen", role="button")  # 24 places are taken
    expect(page.get_by_role("alert")).to_contain_text(
        "De capaciteit (10) kan niet lager zijn dan de plaatsen die al bezet zijn (24)."
    )
    expect(page.get_by_label("Aantal plaatsen")).to_have_value("10")
    page.get_by_label("Aantal plaatsen").fill("40")
    page = phone.click("Bewaar de wijzigingen", role="button")
    expect(page.get_by_role("status")).to_contain_text("De sessie is gewijzigd.")
    rows = page.get_by_role("table", name=f"Aanmeldingen voor Workshop lassen {tag}")
    expect(rows.get_by_role("row").filter(has_text="corlaer: 3C")).to_contain_text(
        "Plaats aangeboden"
    )
    expect(page.get_by_text("1 klas heeft een plaats aangeboden gekregen")).to_be_visible()
    page = phone.click("Wijzig het evenement")
    page.get_by_label("Titel").fill(f"Girls Day regio {tag}")
    page = phone.click("Bewaar de wijzigingen", role="button")
    expect(page.get_by_role("status")).to_contain_text("Het evenement is gewijzigd.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Girls Day regio {tag}")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_coordinator_books_from_the_offers_calendar_and_sees_a_waiting_place(
    platform, visits, size
):
    offer, room = new_offer(platform)
    plan(platform, offer, room, PLAN_DAY, 10 if size == "desktop" else 14)
    _, event_session = new_event(platform, at_nine(PLAN_DAY + timedelta(days=2)))
    register(platform, event_session["id"], "3B", 24)
    register(platform, event_session["id"], "3C", 12)  # 6 places are left: the waiting list
    tab = visits(size)
    tab.login("corlaer")
    page = tab.open(f"/aanbod/{offer['id']}")
    page = tab.click("Bekijk de sessies in de kalender")
    expect(page.get_by_role("heading", level=2, name="Juni 2027")).to_be_visible()
    expect(page.get_by_role("cell").filter(has_text="30 van 30 vrij")).to_have_count(1)
    page = tab.click("Boek dinsdag 8 juni 2027")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessie boeken")
    page = tab.click("Ga verder", role="button")  # nothing filled in
    expect(page.locator("#klas-fout")).to_contain_text("Vul klas in.")
    page.get_by_label("Klas").fill("4C")
    page.get_by_label("Niveau").select_option("vmbo-kb")
    page.get_by_label("Leerjaar").fill("4")
    page.get_by_label("Aantal leerlingen").fill("18")
    page = tab.click("Ga verder", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer je boeking")
    page = tab.click("Boek deze sessie", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Je boeking is bevestigd")
    page = tab.open(f"/aanbod/{offer['id']}/kalender?maand=2027-06")
    expect(page.get_by_role("cell").filter(has_text="12 van 30 vrij")).to_have_count(1)
    page.screenshot(path=SCREENSHOTS / f"kalender-{size}.png", full_page=True)
    page = tab.click("Mijn planning")
    waiting = (
        page.get_by_role("list", name="Op de wachtlijst bij evenementen")
        .get_by_role("listitem")
        .filter(has_text=event_session["title"])
    )
    expect(waiting).to_contain_text("Klas 3C, 12 leerlingen")
    expect(waiting).to_contain_text("Plaats 1 op de wachtlijst.")


def test_mijn_planning_shows_the_schools_event_registrations_and_loans_on_a_phone(platform, visits):
    """Everything of the school in one place: beside its bookings, the classes registered
    for a coming event (with the code for the door) and the equipment reserved or lent."""
    _, session = new_event(platform)
    registered = post(
        f"{platform.gateway}/registrations",
        platform.token("corlaer"),
        {
            "session_id": session["id"],
            "group": {"name": "2D", "level": "vmbo-kb", "year": 2, "students": 17},
        },
    )
    assert registered.status_code == 201, registered.text
    item, today = new_item(platform), local_date(datetime.now(UTC))
    reserve(platform, item, today + timedelta(days=2), today + timedelta(days=3))

    tab = visits("phone")
    page = tab.login("corlaer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn planning")
    event = card(page, {"name": session["title"]}, within="Aangemeld voor evenementen")
    expect(event).to_contain_text("Klas 2D, 17 leerlingen")
    expect(event).to_contain_text(registered.json()["check_in_code"])
    loan = card(page, item, within="Apparatuur van je school")
    expect(loan).to_contain_text("Gereserveerd")
