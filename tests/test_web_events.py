"""Evenementen in Chromium against the real platform: a school registers its classes (one
on the waiting list), the backoffice sees who comes and checks a class in by its code on a
phone."""

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser import SCREENSHOTS, post
from tests.harness import Platform

pytestmark = pytest.mark.integration
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SCHOOL = "corlaer"


def new_event(
    platform: Platform,
    starts: datetime = datetime(2027, 6, 10, 9, tzinfo=AMSTERDAM),
    level: str = "vmbo-kb",
) -> tuple[dict, dict]:
    """An event of its own (next June) with one session of 30 places for `level`, open for
    registration."""
    backoffice, tag = platform.token("backoffice"), uuid.uuid4().hex[:8]
    event = post(
        f"{platform.gateway}/events",
        backoffice,
        {
            "title": f"Techdag webtest {tag}",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=6)).isoformat(),
            "audience": [level],
            "capacity": 200,
            "location": "Hotspot T is for Tech",
        },
    )
    assert event.status_code == 201, event.text
    session = post(
        f"{platform.gateway}/events/{event.json()['id']}/sessions",
        backoffice,
        {
            "title": f"Workshop solderen {tag}",
            "host_kind": "hotspot",
            "host": "hotspot",
            "host_name": "T is for Tech",
            "capacity": 30,
            "audience": [level],
            "opens_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
            "closes_at": (starts - timedelta(days=7)).isoformat(),
        },
    )
    assert session.status_code == 201, session.text
    return event.json(), session.json()


def register_class(page, name: str, students: str) -> None:
    page.get_by_label("Klas").fill(name)
    page.get_by_label("Niveau").select_option("vmbo-kb")
    page.get_by_label("Leerjaar").fill("3")
    page.get_by_label("Aantal leerlingen").fill(students)
    page.get_by_label("Profiel").select_option("PIE")


def test_a_school_registers_classes_and_the_backoffice_checks_one_in_on_a_phone(platform, visits):
    event, session = new_event(platform)
    school = visits("phone")
    school.login(SCHOOL)
    page = school.click("Evenementen")
    page = school.click(event["title"])
    expect(page.get_by_role("listitem").filter(has_text=session["title"])).to_contain_text(
        "30 van 30 vrij"
    )
    page = school.click(f"Meld een klas aan voor {session['title']}")
    page = school.click("Meld deze klas aan", role="button")  # nothing filled in
    expect(page.locator("#klas-fout")).to_contain_text("Vul klas in.")
    register_class(page, "3B", "24")
    page = school.click("Meld deze klas aan", role="button")
    expect(page.get_by_role("status")).to_contain_text("Klas 3B is aangemeld")
    mine = page.get_by_role("list", name="Aanmeldingen van je school").get_by_role("listitem")
    ours = mine.filter(has_text=session["title"]).filter(has_text="3B, 24 leerlingen")
    expect(ours).to_contain_text("Aangemeld")
    code = ours.locator(".tft-code").inner_text()

    page = school.open(f"/evenementen/{event['id']}/aanmelden?sessie={session['id']}")
    register_class(page, "3C", "12")  # 6 places are left: the waiting list
    page = school.click("Meld deze klas aan", role="button")
    expect(page.get_by_role("status")).to_contain_text("plaats 1 van de wachtlijst")
    expect(mine.filter(has_text="3C, 12 leerlingen")).to_contain_text("Op de wachtlijst")

    door = visits("phone")
    door.login("backoffice")
    page = door.click("Evenementen")
    page = door.click(event["title"])
    expect(page.get_by_role("heading", name="Wie komt er")).to_be_visible()
    rows = page.get_by_role("table", name=f"Aanmeldingen voor {session['title']}")
    expect(rows.get_by_role("row").filter(has_text=f"{SCHOOL}: 3B")).to_contain_text("Aangemeld")
    expect(rows.get_by_role("row").filter(has_text=f"{SCHOOL}: 3C")).to_contain_text("plaats 1")
    page = door.click("Inchecken")
    page.get_by_label("Code").fill("A" * 22)
    page.get_by_label("Aanwezige leerlingen").fill("23")
    page = door.click("Check deze klas in", role="button")
    expect(page.locator("#code-fout")).to_contain_text("Geen aanmelding met deze code")
    expect(page.get_by_label("Aanwezige leerlingen")).to_have_value("23")
    page.get_by_label("Code").fill(code)
    page = door.click("Check deze klas in", role="button")
    expect(page.get_by_role("status")).to_contain_text(
        f"Ingecheckt: {SCHOOL}, klas 3B, 23 leerlingen."
    )
    page.screenshot(path=SCREENSHOTS / "inchecken-phone.png", full_page=True)
    page = door.click(f"Wie komt er bij {event['title']}")
    expect(rows.get_by_role("row").filter(has_text=f"{SCHOOL}: 3B")).to_contain_text("23 aanwezig")

    desktop = visits("desktop")
    desktop.login("backoffice")
    desktop.open(f"/backoffice/evenementen/{event['id']}/inchecken")
    desktop.open(f"/backoffice/evenementen/{event['id']}")
    expect(desktop.page.get_by_text("ingecheckt")).to_be_visible()
    desktop.open("/backoffice/evenementen")
    coordinator = visits("desktop")
    coordinator.login(SCHOOL)
    coordinator.open(f"/evenementen/{event['id']}")
    coordinator.open("/evenementen")
    coordinator.open(f"/evenementen/{event['id']}/aanmelden?sessie={session['id']}")
