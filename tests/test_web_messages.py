"""Berichten's preferences and the announcements page in Debian's Chromium against the real
platform, at desktop and phone size, with axe-core on every page and no sideways scrolling:
a person chooses how messages reach them; the backoffice writes an announcement, is told
next to the field what is missing, sends it, and a school reads it in Berichten."""

import uuid

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser import SIZES
from tests.harness import Platform, eventually

pytestmark = pytest.mark.integration

PREFERENCES = "/notifications/preferences"


def preferences_of(platform: Platform, user: str) -> dict:
    return httpx.get(f"{platform.gateway}{PREFERENCES}", headers=platform.token(user)).json()


@pytest.mark.parametrize("size", SIZES)
def test_a_teacher_chooses_how_messages_reach_them(platform, visits, size):
    user = "docent-corlaer" if size == "desktop" else "docent-lodenstein"
    tab = visits(size)
    try:
        tab.login(user)
        page = tab.click("Berichten")
        page = tab.click("Voorkeuren: hoe en wanneer berichten je bereiken")
        expect(page.get_by_role("heading", level=1)).to_have_text("Voorkeuren voor berichten")
        page.get_by_role("combobox", name="Aankondigingen").select_option("in_app")
        page.get_by_role("checkbox", name="Herinneringen").check()
        page.get_by_label("Stil vanaf").fill("22:00")
        page = tab.click("Bewaar je voorkeuren", role="button")
        expect(page.get_by_role("alert")).to_contain_text("Er is een probleem")
        expect(page.locator("#stil-tot-fout")).to_contain_text("zowel het begin als het einde")
        expect(page.get_by_label("Stil vanaf")).to_have_value("22:00")
        page.get_by_label("Stil tot").fill("07:00")
        page = tab.click("Bewaar je voorkeuren", role="button")
        expect(page.get_by_text("Je voorkeuren zijn bewaard")).to_be_visible()

        saved = preferences_of(platform, user)
        assert saved["channels"]["announcements"] == "in_app"
        assert saved["opted_out"] == ["reminders"]
        assert saved["quiet_hours"] == {"start": "22:00:00", "end": "07:00:00"}
        assert preferences_of(platform, "corlaer")["opted_out"] == []  # the coordinator's own
    finally:
        httpx.put(f"{platform.gateway}{PREFERENCES}", headers=platform.token(user), json={})


@pytest.mark.parametrize("size", SIZES)
def test_the_backoffice_writes_and_sends_an_announcement(platform, visits, size):
    title = f"Oproep projecten {uuid.uuid4().hex[:6]}"
    tab = visits(size)
    tab.login("backoffice")
    page = tab.click("Aankondigingen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aankondigingen")
    page = tab.click("Verstuur de aankondiging", role="button")
    expect(page.get_by_role("alert")).to_contain_text("Er is een probleem")
    for name in ("titel", "tekst", "organisaties"):
        expect(page.locator(f"#{name}-fout")).to_be_visible()

    page.get_by_label("Titel").fill(title)
    page.get_by_label("Tekst").fill("Beste partners,\n\nDien je projectvoorstel in.")
    page.get_by_label("Organisaties").select_option(label="Corlaer College")
    page.get_by_label("Gemeenten").check()
    page = tab.click("Verstuur de aankondiging", role="button")
    expect(page.get_by_text(f"'{title}' is verstuurd aan")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("backoffice")

    def told(user: str) -> list[dict]:
        inbox = httpx.get(
            f"{platform.gateway}/notifications", params={"limit": 500}, headers=platform.token(user)
        ).json()
        return [n for n in inbox if n["subject"] == title]

    assert eventually(lambda: told("gemeente-amersfoort"))
    assert told("docent-corlaer") and told("corlaer")
    assert told("lodenstein") == []  # a school that was not chosen


def test_a_refusal_of_the_platform_is_shown_next_to_the_roles(platform, visits):
    tab = visits("phone")
    tab.login("programma")
    page = tab.click("Aankondigingen")
    page.get_by_label("Titel").fill("Voor niemand")
    page.get_by_label("Tekst").fill("Deze gaat naar niemand.")
    page.get_by_label("Organisaties").select_option(label="Corlaer College")
    page.get_by_label("Gemeente", exact=True).check()  # nobody at a school has that role
    page = tab.click("Verstuur de aankondiging", role="button")
    expect(page.locator("#rollen-fout")).to_contain_text("Niemand ontvangt deze aankondiging")
    expect(page.get_by_label("Titel")).to_have_value("Voor niemand")


def test_a_school_has_no_announcements_page(platform, visits):
    tab = visits("desktop")
    page = tab.login("corlaer")
    expect(page.get_by_role("link", name="Aankondigingen")).to_have_count(0)
    # The signed-in school's own request (its session cookie), outside the checked tab: the
    # refusal is a 403 page, which a browser logs as a failed load.
    refused = tab.context.request.get(f"{platform.web}/aankondigingen")
    assert refused.status == 403 and "Geen toegang" in refused.text()
