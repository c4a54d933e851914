"""The web front end in Debian's Chromium against the real platform (PostgreSQL, Kafka, all
services, the gateway and the web app the harness starts): each role's journeys, at desktop
and phone size, with axe-core on every page, no console errors, no sideways scrolling at
390 px and no request to any host but the web app."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser import SCREENSHOTS, SIZES, post
from tests.harness import DEMO_PASSWORD, Platform, eventually
from tests.test_first_flow import bookings_clock_at

pytestmark = pytest.mark.integration

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Far enough ahead for every booking rule, on open school days, in one quarter (2027-Q2).
BOOKING_DAY, CLOSED_DAY = date(2027, 6, 9), date(2027, 6, 16)
SCHOOL = "corlaer"


def new_offer(platform: Platform, *days: date, hour: int = 10) -> tuple[dict, dict]:
    """An inspiratieles without equipment (confirmed at once) with one session on the first
    of `days` the hotspot is open, in a room and with an instructor of its own so no other
    test's plan is in the way."""
    backoffice = platform.token("backoffice")
    tag = uuid.uuid4().hex[:8]
    offer = post(
        f"{platform.gateway}/offerings",
        backoffice,
        {
            "id": f"web-{tag}",
            "kind": "inspiration_lesson",
            "title": f"Inspiratieles webtest {tag}",
            "audience": ["vmbo-kb", "vmbo-gl"],
            "session_minutes": 120,
            "capacity": 30,
        },
    )
    assert offer.status_code == 201, offer.text
    for day in days:
        starts = datetime.combine(day, time(hour), AMSTERDAM).astimezone(UTC)
        session = post(
            f"{platform.gateway}/offerings/web-{tag}/sessions",
            backoffice,
            {
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
                "room": f"lokaal-{tag}",
                "instructor": f"instructeur-{tag}",
                "capacity": 30,
            },
        )
        if session.status_code == 201:
            return offer.json(), session.json()
    raise AssertionError(f"no open day among {days}: {session.text}")


def fill_group(page: Page, students: str) -> None:
    page.get_by_label("Klas").fill("3B")
    page.get_by_label("Niveau").select_option("vmbo-kb")
    page.get_by_label("Leerjaar").fill("3")
    page.get_by_label("Aantal leerlingen").fill(students)


@pytest.mark.parametrize("size", SIZES)
def test_a_coordinator_books_a_session_and_finds_it_in_mijn_planning(platform, visits, size):
    offer, _ = new_offer(platform, BOOKING_DAY, hour=9 if size == "desktop" else 13)
    tab = visits(size)
    page = tab.login(SCHOOL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn planning")
    page = tab.click("Aanbod")
    # htmx filters in place and keeps the filter in the URL (without JavaScript the
    # "Filter het aanbod" button does the same with a page load).
    page.get_by_label("Soort").select_option("inspiration_lesson")
    page.wait_for_url(lambda url: "/aanbod?soort=inspiration_lesson" in url)
    expect(page.get_by_text("passen bij je filters")).to_be_visible()
    tab.checked()
    page = tab.click(offer["title"])
    expect(page.get_by_role("row").filter(has_text="woensdag 9 juni 2027")).to_be_visible()
    page = tab.click("Boek deze sessie")
    fill_group(page, "24")
    page = tab.click("Ga verder", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer je boeking")
    page = tab.click("Boek deze sessie", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Je boeking is bevestigd")
    expect(page.get_by_text("Wat gebeurt er nu?")).to_be_visible()
    page = tab.click("Mijn planning")
    row = page.get_by_role("row").filter(has_text=offer["title"])
    expect(row).to_contain_text("woensdag 9 juni 2027")
    expect(row).to_contain_text("Bevestigd")
    page = tab.click("Berichten")
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichten")


def test_a_coordinator_books_a_whole_masterclass_series(platform, visits):
    """A masterklas is booked as a whole (4 sessions); it needs equipment, so it waits for
    the loans service: asked for, then confirmed (or refused with the reason)."""
    tab = visits("desktop")
    # A school no other test books for: its Mijn planning starts with these four lessons.
    tab.login("oostwende")
    page = tab.open("/aanbod?soort=masterclass")
    page = tab.click("Masterklas Robotica en domotica")
    page = tab.click("Boek deze serie")
    expect(page.get_by_role("heading", level=1)).to_have_text("Serie boeken")
    page.get_by_label("Klas").fill("2A")
    page.get_by_label("Niveau").select_option("vmbo-kb")
    page.get_by_label("Leerjaar").fill("2")
    page.get_by_label("Aantal leerlingen").fill("8")
    page = tab.click("Ga verder", role="button")
    expect(page.get_by_text("Sessie 4")).to_be_visible()
    page = tab.click("Boek deze serie", role="button")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Je boeking")
    expect(page.get_by_text("Wat gebeurt er nu?")).to_be_visible()
    page = tab.click("Mijn planning")
    rows = (
        page.get_by_role("row")
        .filter(has_text="Masterklas Robotica en domotica")
        .filter(has_text="2A")
    )
    expect(rows).to_have_count(4)


def test_cancelling_late_is_warned_then_done_on_a_phone(platform, visits):
    """A session within the free-cancellation week (7 days): the page says it is late."""
    soon = [date.today() + timedelta(days=n) for n in range(2, 7)]
    offer, session = new_offer(platform, *soon, hour=14)
    booked = post(
        f"{platform.gateway}/bookings",
        platform.token(SCHOOL),
        {
            "session_id": session["id"],
            "group": {"name": "2C", "level": "vmbo-kb", "year": 2, "students": 12},
        },
    )
    assert booked.status_code == 201, booked.text
    tab = visits("phone")
    page = tab.login(SCHOOL)
    page.get_by_role("row").filter(has_text=offer["title"]).get_by_role(
        "link", name="Annuleer"
    ).click()
    tab.checked()
    expect(page.get_by_role("alert")).to_contain_text("Let op: dit is een late annulering.")
    page = tab.click("Annuleer deze boeking", role="button")
    expect(page.get_by_role("status")).to_contain_text(f"Je boeking voor {offer['title']}")
    row = page.get_by_role("row").filter(has_text=offer["title"])
    expect(row).to_contain_text("Geannuleerd")
    expect(row).to_contain_text("laat geannuleerd")


def test_a_form_error_from_the_api_is_shown_at_its_field_with_nothing_lost(platform, visits):
    offer, session = new_offer(platform, BOOKING_DAY, hour=15)
    tab = visits("phone")
    tab.login(SCHOOL)
    page = tab.open(f"/boeken?aanbod={offer['id']}&sessie={session['id']}")
    fill_group(page, "500")  # the API allows at most 200 students in a group
    tab.click("Ga verder", role="button")
    page = tab.click("Boek deze sessie", role="button")
    expect(page.get_by_role("alert")).to_contain_text("Er is een probleem")
    expect(page.locator("#leerlingen-fout")).to_contain_text("Dit mag hoogstens 200 zijn.")
    expect(page.get_by_label("Klas")).to_have_value("3B")
    expect(page.get_by_label("Aantal leerlingen")).to_have_value("500")


def test_a_booking_on_a_closed_day_is_refused_in_dutch(platform, visits):
    offer, session = new_offer(platform, CLOSED_DAY)
    backoffice = platform.token("backoffice")
    closure = post(
        f"{platform.gateway}/calendar/closed-periods",
        backoffice,
        {
            "starts_on": CLOSED_DAY.isoformat(),
            "ends_on": CLOSED_DAY.isoformat(),
            "name": "Studiedag webtest",
        },
    )
    assert closure.status_code == 201, closure.text
    try:
        tab = visits("desktop")
        tab.login(SCHOOL)
        page = tab.open(f"/boeken?aanbod={offer['id']}&sessie={session['id']}")
        fill_group(page, "24")
        tab.click("Ga verder", role="button")
        page = tab.click("Boek deze sessie", role="button")
        expect(page.get_by_role("alert")).to_contain_text(
            "Op die dag zijn er geen lessen (Studiedag webtest). Kies een sessie op een andere dag."
        )
        expect(page.get_by_label("Klas")).to_have_value("3B")
    finally:
        httpx.delete(
            f"{platform.gateway}/calendar/closed-periods/{closure.json()['id']}", headers=backoffice
        )


def test_the_backoffice_completes_and_finance_approves_the_declaration(platform, visits):
    offer, session = new_offer(platform, BOOKING_DAY, hour=11)
    school = platform.token(SCHOOL)
    booked = post(
        f"{platform.gateway}/bookings",
        school,
        {
            "session_id": session["id"],
            "group": {"name": "4A", "level": "vmbo-gl", "year": 4, "students": 20},
        },
    )
    assert booked.status_code == 201 and booked.json()["status"] == "confirmed", booked.text

    tab = visits("desktop")
    page = tab.login("backoffice")
    # A booking is completed from its session's start on: the backoffice comes back then.
    with bookings_clock_at(platform, session["starts_at"]):
        page = tab.open(f"/backoffice/boekingen?school={SCHOOL}")
        row = page.get_by_role("row").filter(has_text=offer["title"])
        row.get_by_label("Aanwezig").fill("18")
        row.get_by_role("button", name="Rond af").click()
        expect(page.get_by_role("status")).to_contain_text("De boeking is afgerond")
        expect(page.get_by_role("row").filter(has_text=offer["title"])).to_have_count(0)
        tab.checked()

    def declaration() -> dict | None:
        found = httpx.get(
            f"{platform.gateway}/finance/declarations",
            headers=school,
            params={"quarter": "2027-Q2"},
        ).json()
        return next((d for d in found if d["total_cents"] > 0), None)

    declared = eventually(declaration)
    submitted = httpx.post(
        f"{platform.gateway}/finance/declarations/{declared['id']}/submit", headers=school
    )
    assert submitted.status_code == 200, submitted.text

    tab = visits("phone")
    page = tab.login("finance")
    page = tab.open(f"/financien/declaraties?kwartaal=2027-Q2&school={SCHOOL}")
    page = tab.click("Beoordeel de declaratie van Corlaer College")
    expect(page.get_by_role("row").filter(has_text=offer["title"])).to_contain_text("18 leerlingen")
    page = tab.click("Wijs deze declaratie af", role="button")  # without a reason
    expect(page.locator("#reden-fout")).to_be_visible()
    page = tab.click("Keur deze declaratie goed", role="button")
    expect(page.get_by_role("status").first).to_contain_text("De declaratie is goedgekeurd")
    expect(page.locator(".tft-facts")).to_contain_text("Goedgekeurd")


@pytest.mark.parametrize("size", SIZES)
def test_each_role_lands_on_its_start_page(platform, visits, size):
    """And a picture of it for the README (docs/screenshots)."""
    for username, heading in [
        (SCHOOL, "Mijn planning"),
        ("backoffice", "Vandaag en deze week"),
        ("finance", "Declaraties van het"),
        ("programma", "Programmamonitoring"),
    ]:
        tab = visits(size)
        page = tab.login(username)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"{username}-{size}.png", full_page=True)
        tab.page.get_by_role("button", name="Uitloggen").click()
        expect(tab.checked().get_by_role("heading", level=1)).to_have_text("Inloggen")
        tab.close()


def test_an_expired_session_returns_to_the_page_after_login(platform, visits):
    tab = visits("desktop")
    tab.login(SCHOOL)
    tab.context.clear_cookies()
    tab.context.add_cookies(
        [{"name": "tft-sessie", "value": "verlopen-sessie", "url": platform.web}]
    )
    page = tab.open("/planning?status=confirmed")
    expect(page.get_by_text("Je sessie is verlopen")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill(SCHOOL)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    tab.checked()
    assert page.url == f"{platform.web}/planning?status=confirmed"


def test_a_teacher_books_a_lesson_for_a_class_and_finds_it_in_mijn_planning_on_a_phone(
    platform, visits
):
    """A teacher of a school (a demo person) books for the school, as its coordinator does."""
    offer, _ = new_offer(platform, BOOKING_DAY, hour=11)
    tab = visits("phone")
    page = tab.login("docent-corlaer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn planning")
    page = tab.open(f"/aanbod/{offer['id']}")
    page = tab.click("Boek deze sessie")
    page.get_by_label("Klas").fill("4T")
    page.get_by_label("Niveau").select_option("vmbo-gl")
    page.get_by_label("Leerjaar").fill("4")
    page.get_by_label("Aantal leerlingen").fill("17")
    page = tab.click("Ga verder", role="button")
    page = tab.click("Boek deze sessie", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Je boeking is bevestigd")
    page = tab.click("Mijn planning")
    row = page.get_by_role("row").filter(has_text=offer["title"])
    expect(row).to_contain_text("4T")
    expect(row).to_contain_text("Bevestigd")
    [booked] = [
        b
        for b in httpx.get(
            f"{platform.gateway}/bookings", headers=platform.token(SCHOOL), params={"limit": 500}
        ).json()
        if b["offering_id"] == offer["id"]
    ]
    assert (booked["school_id"], booked["booked_by"]) == (SCHOOL, "docent-corlaer")


@pytest.mark.parametrize("size", SIZES)
def test_the_offer_filtered_by_a_theme_of_the_plan(platform, visits, size):
    tab = visits(size)
    tab.login(SCHOOL)
    page = tab.click("Aanbod")
    page.get_by_label("Thema").select_option(label="Robotica en domotica")
    page.wait_for_url(lambda url: "thema=robotics" in url)
    tab.checked()
    cards = page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=2))
    expect(cards.first).to_contain_text("Robotica en domotica")
    expect(cards.filter(has_text="Keuzevak Robotica (KV 1906)")).to_have_count(1)
    expect(cards.filter(has_not_text="Robotica en domotica")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / f"aanbod-thema-{size}.png", full_page=True)
