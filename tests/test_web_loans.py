"""The loans desk (Uitleenbalie) in Chromium on a phone against the real platform: uitgeven
with a note, a refused check-out shown in Dutch, and innemen of an overdue loan with damage."""

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import expect

from shared.domain import local_date
from tests.browser import SCREENSHOTS, post
from tests.harness import Platform

pytestmark = pytest.mark.integration
SCHOOL = "corlaer"


def new_item(platform: Platform) -> dict:
    """A drone of its own, so no other test's reservations are in the way."""
    tag = uuid.uuid4().hex[:8]
    made = post(f"{platform.gateway}/equipment", platform.token("backoffice"), {
        "id": f"web-drone-{tag}", "asset_tag": f"WEB-{tag}", "category": "webtest",
        "name": f"Drone webtest {tag}", "location": "Hotspot T is for Tech"})
    assert made.status_code == 201, made.text
    return made.json()


def reserve(platform: Platform, item: dict, first: date, last: date) -> dict:
    made = post(f"{platform.gateway}/reservations", platform.token("backoffice"), {
        "item_id": item["id"], "school_id": SCHOOL, "starts_on": first.isoformat(),
        "ends_on": last.isoformat()})
    assert made.status_code == 201, made.text
    return made.json()


def card(page, item: dict, within: str = "Reserveringen"):
    return page.get_by_role("list", name=within).get_by_role("listitem").filter(
        has_text=item["name"])


def test_the_desk_hands_out_todays_reservation_and_refuses_tomorrows_on_a_phone(
        platform, visits):
    today = local_date(datetime.now(UTC))
    item = new_item(platform)
    reserve(platform, item, today, today + timedelta(days=1))
    later = reserve(platform, item, today + timedelta(days=3), today + timedelta(days=4))
    tab = visits("phone")
    tab.login("backoffice")
    page = tab.click("Uitleenbalie")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitleenbalie")
    # htmx filters in place and keeps the filter in the URL.
    page.get_by_label("Status").select_option("reserved")
    page.wait_for_url(lambda url: "status=reserved" in url)
    tab.checked()
    expect(card(page, item)).to_contain_text("Gereserveerd")
    card(page, item).get_by_role("link", name="Geef uit").click()
    tab.checked()
    page.get_by_label("Staat bij uitgifte").fill("compleet, met lader")
    page = tab.click("Geef uit", role="button")
    expect(page.get_by_role("status")).to_contain_text(f"{item['name']} is uitgegeven aan "
                                                        f"{SCHOOL}")
    page = tab.open(f"/backoffice/uitleenbalie?school={SCHOOL}&status=out")
    expect(card(page, item)).to_contain_text("Uitgeleend")
    expect(card(page, item)).to_contain_text("compleet, met lader")
    page.screenshot(path=SCREENSHOTS / "uitleenbalie-phone.png", full_page=True)

    page = tab.open(f"/backoffice/uitleenbalie/{later['id']}/uitgeven")
    page.get_by_label("Staat bij uitgifte").fill("compleet")
    page = tab.click("Geef uit", role="button")
    expect(page.get_by_role("alert")).to_contain_text("kan niet op")
    expect(page.get_by_label("Staat bij uitgifte")).to_have_value("compleet")


def test_an_overdue_loan_is_taken_back_with_damage_on_a_phone(platform, visits):
    today = local_date(datetime.now(UTC))
    item = new_item(platform)
    lent = reserve(platform, item, today, today)
    out = post(f"{platform.gateway}/reservations/{lent['id']}/check-out",
               platform.token("backoffice"), {"condition_note": "compleet"})
    assert out.status_code == 200, out.text
    loans = platform.processes["loans"]
    try:
        loans.stop()  # three days on, the loan is overdue
        platform.restart("loans", TFT_LOANS_TODAY=(today + timedelta(days=3)).isoformat())
        tab = visits("phone")
        tab.login("backoffice")
        page = tab.open("/backoffice/uitleenbalie")
        late = card(page, item, within="Te laat terug")
        expect(late).to_contain_text("3 dagen te laat")
        late.get_by_role("link", name="Neem in").click()
        tab.checked()
        page.get_by_label("Staat bij inname").fill("beschadigd")
        page.get_by_label("Geschatte reparatiekosten").fill("45,00")
        page = tab.click("Neem in", role="button")  # a cost without the damage it is for
        expect(page.locator("#schade-fout")).to_contain_text("Beschrijf de schade")
        expect(page.get_by_label("Geschatte reparatiekosten")).to_have_value("45,00")
        page.get_by_label("Schade", exact=True).fill("propeller gebroken")
        page = tab.click("Neem in", role="button")
        expect(page.get_by_role("status")).to_contain_text("De schade is gemeld")
        expect(card(page, item, within="Te laat terug")).to_have_count(0)
    finally:
        loans.stop()
        platform.restart("loans")  # the real clock again for the tests that follow
    reports = httpx.get(f"{platform.gateway}/damage-reports", params={"item_id": item["id"]},
                        headers=platform.token("backoffice")).json()
    assert [(r["description"], r["repair_cost_cents"]) for r in reports] == [
        ("propeller gebroken", 4500)]
