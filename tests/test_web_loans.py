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


def new_item(platform: Platform, category: str = "webtest") -> dict:
    """A drone of its own, so no other test's reservations are in the way."""
    tag = uuid.uuid4().hex[:8]
    made = post(
        f"{platform.gateway}/equipment",
        platform.token("backoffice"),
        {
            "id": f"web-drone-{tag}",
            "asset_tag": f"WEB-{tag}",
            "category": category,
            "name": f"Drone webtest {tag}",
            "location": "Hotspot T is for Tech",
        },
    )
    assert made.status_code == 201, made.text
    return made.json()


def reserve(platform: Platform, item: dict, first: date, last: date) -> dict:
    made = post(
        f"{platform.gateway}/reservations",
        platform.token("backoffice"),
        {
            "item_id": item["id"],
            "school_id": SCHOOL,
            "starts_on": first.isoformat(),
            "ends_on": last.isoformat(),
        },
    )
    assert made.status_code == 201, made.text
    return made.json()


def card(page, item: dict, within: str = "Reserveringen"):
    return (
        page.get_by_role("list", name=within).get_by_role("listitem").filter(has_text=item["name"])
    )


def test_the_desk_hands_out_todays_reservation_and_refuses_tomorrows_on_a_phone(platform, visits):
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
    expect(page.get_by_role("status")).to_contain_text(f"{item['name']} is uitgegeven aan {SCHOOL}")
    page = tab.open(f"/backoffice/uitleenbalie?school={SCHOOL}&status=out")
    expect(card(page, item)).to_contain_text("Uitgeleend")
    expect(card(page, item)).to_contain_text("compleet, met lader")
    page.screenshot(path=SCREENSHOTS / "uitleenbalie-phone.png", full_page=True)

    page = tab.open(f"/backoffice/uitleenbalie/{later['id']}/uitgeven")
    page.get_by_label("Staat bij uitgifte").fill("compleet")
    page = tab.click("Geef uit", role="button")
    expect(page.get_by_role("alert")).to_contain_text("kan niet op")
    expect(page.get_by_label("Staat bij uitgifte")).to_have_value("compleet")
    desktop = visits("desktop")
    desktop.login("backoffice")
    desktop.open(f"/backoffice/uitleenbalie?school={SCHOOL}&dag={later['starts_on']}")
    expect(card(desktop.page, item)).to_contain_text("Gereserveerd")


def test_an_overdue_loan_is_taken_back_with_damage_on_a_phone(platform, visits):
    today = local_date(datetime.now(UTC))
    item = new_item(platform)
    lent = reserve(platform, item, today, today)
    out = post(
        f"{platform.gateway}/reservations/{lent['id']}/check-out",
        platform.token("backoffice"),
        {"condition_note": "compleet"},
    )
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
    reports = httpx.get(
        f"{platform.gateway}/damage-reports",
        params={"item_id": item["id"]},
        headers=platform.token("backoffice"),
    ).json()
    assert [(r["description"], r["repair_cost_cents"]) for r in reports] == [
        ("propeller gebroken", 4500)
    ]


def test_a_school_finds_free_equipment_and_reserves_within_the_policy(platform, visits):
    """A period beyond the policy is refused at its field in Dutch, with nothing lost."""
    today = local_date(datetime.now(UTC))
    item = new_item(platform, category=f"web-{uuid.uuid4().hex[:8]}")
    policy = httpx.get(f"{platform.gateway}/loans/policy", headers=platform.token(SCHOOL)).json()
    first = today + timedelta(days=7)
    tab = visits("phone")
    tab.login(SCHOOL)
    page = tab.click("Apparatuur lenen")
    expect(page.get_by_text(f"hoogstens {policy['horizon_days']} dagen vooruit")).to_be_visible()
    expect(page.get_by_text("Kies een soort apparatuur en de eerste")).to_be_visible()
    page.get_by_label("Soort apparatuur").select_option(item["category"])
    page.get_by_label("Eerste dag").fill(first.isoformat())
    too_long = first + timedelta(days=policy["max_days"])
    page.get_by_label("Laatste dag").fill(too_long.isoformat())
    page = tab.click("Toon wat vrij is", role="button")
    free = page.get_by_role("list", name="Apparatuur van deze soort").get_by_role("listitem")
    expect(free).to_contain_text("1 van 1 vrij")
    page = tab.click(f"Reserveer {item['name']}", role="button")
    expect(page.get_by_role("alert")).to_contain_text("Er is een probleem")
    expect(page.locator("#tot-fout")).to_contain_text(f"{policy['max_days']}")
    expect(page.get_by_label("Laatste dag")).to_have_value(too_long.isoformat())
    page.get_by_label("Laatste dag").fill((first + timedelta(days=1)).isoformat())
    page = tab.click("Toon wat vrij is", role="button")
    page = tab.click(f"Reserveer {item['name']}", role="button")
    expect(page.get_by_role("status")).to_contain_text(f"{item['name']} is gereserveerd")
    mine = (
        page.get_by_role("list", name="Reserveringen van je school")
        .get_by_role("listitem")
        .filter(has_text=item["name"])
    )
    expect(mine).to_contain_text("Gereserveerd")
    desktop = visits("desktop")
    desktop.login(SCHOOL)
    desktop.open(f"/apparatuur?categorie={item['category']}&van={first}&tot={first}")
    expect(desktop.page.get_by_text("Niet vrij in deze periode")).to_be_visible()
