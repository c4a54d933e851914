"""The backoffice changes an offer in Chromium against the real platform: gives it a
technical theme (a field error from the API lands at its field, nothing chosen is lost), and
schools find it under that theme in the catalogue; on a phone, axe-core on every page."""

import httpx
import pytest
from playwright.sync_api import expect

from tests.test_web import BOOKING_DAY, new_offer

pytestmark = pytest.mark.integration


def test_the_backoffice_gives_an_offer_a_theme_schools_filter_on(platform, visits):
    offer, _ = new_offer(platform, BOOKING_DAY)
    tab = visits("phone")
    tab.login("backoffice")
    page = tab.open(f"/aanbod/{offer['id']}")
    page = tab.click("Wijzig dit aanbod")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanbod wijzigen")
    page.get_by_label("Thema").select_option(label="Dronetechniek")
    page.get_by_label("Titel").fill("ab")  # the API wants at least 3 characters
    page = tab.click("Bewaar de wijzigingen", role="button")
    expect(page.locator("#titel-fout")).to_contain_text("minstens 3 tekens")
    expect(page.get_by_label("Thema")).to_have_value("drones")
    title = f"Drones vliegen {offer['id']}"
    page.get_by_label("Titel").fill(title)
    page = tab.click("Bewaar de wijzigingen", role="button")
    expect(page.get_by_role("status")).to_contain_text("Het aanbod is gewijzigd")
    expect(page.locator(".tft-facts")).to_contain_text("Dronetechniek")

    stored = httpx.get(
        f"{platform.gateway}/offerings/{offer['id']}", headers=platform.token("backoffice")
    )
    assert (stored.json()["theme"], stored.json()["title"]) == ("drones", title)
    school = visits("phone")
    school.login("corlaer")
    page = school.open("/aanbod?thema=drones")
    expect(page.get_by_role("link", name=title)).to_be_visible()
