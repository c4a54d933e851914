"""The quarterly declaration in Chromium against the real platform: a school finds the line
the platform drafted for its completed lesson, adds its own hours, material and
co-financing and submits; finance rejects it with a reason, the school corrects a line and
submits again, finance approves and pays, and reads budget and co-financing as charts and
downloads the reports. Refusals and form errors are shown in Dutch at their place."""

from datetime import date
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser import SCREENSHOTS, SIZES, Visit, post
from tests.harness import Platform, eventually
from tests.test_first_flow import bookings_clock_at
from tests.test_web import new_offer

pytestmark = pytest.mark.integration

# A school and a quarter per size that no other test declares for.
CASES = {
    "desktop": ("element", "Het Element", "2027-Q3", [date(2027, 9, d) for d in (15, 16, 22, 23)]),
    "phone": ("nxt", "NXT Maarsbergen", "2027-Q4", [date(2027, 11, d) for d in (17, 18, 24, 25)]),
}


def completed_lesson(platform: Platform, school: str, days: list[date]) -> dict:
    """An offer's session booked by `school` and completed: finance drafts its line."""
    offer, session = new_offer(platform, *days, hour=10)
    booked = post(
        f"{platform.gateway}/bookings",
        platform.token(school),
        {
            "session_id": session["id"],
            "group": {"name": "3C", "level": "vmbo-kb", "year": 3, "students": 22},
        },
    )
    assert booked.status_code == 201, booked.text
    with bookings_clock_at(platform, session["starts_at"]):
        done = httpx.post(
            f"{platform.gateway}/bookings/{booked.json()['id']}/complete",
            headers=platform.token("backoffice"),
        )
    assert done.status_code == 200, done.text
    return offer


def row(tab: Visit, text: str):
    return tab.page.get_by_role("row").filter(has_text=text)


def add_line(tab: Visit, kind: str, fields: dict[str, str], selects: dict[str, str]) -> None:
    tab.click(f"{kind} toevoegen")
    for label, value in selects.items():
        tab.page.get_by_label(label, exact=True).select_option(value)
    for label, value in fields.items():
        tab.page.get_by_label(label, exact=True).fill(value)
    tab.click("Zet op de declaratie", role="button")


def school_declares(tab: Visit, school: str, quarter: str, offer: dict) -> None:
    tab.login(school)
    page = tab.click("Declaratie")
    page = tab.open(f"/declaratie?kwartaal={quarter}")
    expect(row(tab, offer["title"])).to_contain_text("2 uur")  # the platform's line
    # A form error: the hours left out are asked for at their field, nothing typed is lost.
    add_line(
        tab,
        "Eigen uren",
        {"Omschrijving": "Voorbereiding lessenserie"},
        {"Kerntaak": "B", "Functie": "instructor"},
    )
    expect(page.locator("#uren-fout")).to_contain_text("Vul het aantal uren in")
    expect(page.get_by_label("Omschrijving", exact=True)).to_have_value("Voorbereiding lessenserie")
    page.get_by_label("Aantal uren").fill("1,5")
    tab.click("Zet op de declaratie", role="button")
    expect(row(tab, "Voorbereiding lessenserie")).to_contain_text("€ 112,50")
    add_line(
        tab,
        "Materiaal",
        {
            "Omschrijving": "Filament 3D-printer",
            "Bedrag": "45,00",
            "Leverancier": "Printshop Amersfoort",
            "Factuurnummer": "F-2027-118",
        },
        {"Kerntaak": "B"},
    )
    expect(row(tab, "Filament 3D-printer")).to_contain_text("€ 45,00")
    add_line(
        tab,
        "Cofinanciering",
        {
            "Omschrijving": "Gastles door een bedrijf",
            "Bedrijf": "voorbeeld-bouw",
            "Bedrag": "250,00",
        },
        {"Kerntaak": "D", "Vorm": "cash"},
    )
    expect(row(tab, "Gastles door een bedrijf")).to_contain_text("Cofinanciering")
    page.screenshot(path=SCREENSHOTS / f"declaratie-{tab.size}.png", full_page=True)
    page = tab.click("Dien deze declaratie in", role="button")
    expect(page.get_by_role("status")).to_contain_text("De declaratie is ingediend")
    expect(page.locator(".tft-facts")).to_contain_text("Ingediend")


def school_corrects(tab: Visit, quarter: str) -> None:
    page = tab.open(f"/declaratie?kwartaal={quarter}")
    expect(page.locator(".tft-facts")).to_contain_text("Hoort bij kerntaak C")
    tab.click("Corrigeer Filament 3D-printer")
    page.get_by_label("Correctiebedrag").fill("-100,00")  # more than the line holds
    page.get_by_label("Waarom deze correctie").fill("Filament hoort bij kerntaak C")
    page = tab.click("Zet de correctie op de declaratie", role="button")
    expect(page.locator("#bedrag-fout")).to_contain_text("onder nul")
    expect(page.get_by_label("Waarom deze correctie")).to_have_value(
        "Filament hoort bij kerntaak C"
    )
    page.get_by_label("Correctiebedrag").fill("-45,00")
    page = tab.click("Zet de correctie op de declaratie", role="button")
    expect(row(tab, "corrigeert: Filament 3D-printer")).to_contain_text("€ -45,00")
    page = tab.click("Dien deze declaratie in", role="button")
    expect(page.get_by_role("status")).to_contain_text("De declaratie is ingediend")


def finance_rejects(tab: Visit, school: str, name: str, quarter: str) -> str:
    """Finance finds the school by name in the filter and its declaration by name."""
    tab.login("finance")
    page = tab.open(f"/financien/declaraties?kwartaal={quarter}")
    page.get_by_label("School", exact=True).select_option(label=name)  # htmx filters in place
    page.wait_for_url(lambda url: f"school={school}" in url)
    tab.checked()
    page = tab.click(f"Beoordeel de declaratie van {name}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Declaratie {name}")
    expect(row(tab, "Voorbereiding lessenserie")).to_contain_text("Eigen uren")
    page = tab.click("Wijs deze declaratie af", role="button")  # without a reason
    expect(page.locator("#reden-fout")).to_be_visible()
    page.get_by_label("Reden van afwijzen").fill("Hoort bij kerntaak C: corrigeer het filament.")
    page = tab.click("Wijs deze declaratie af", role="button")
    expect(page.locator(".tft-facts")).to_contain_text("Afgewezen")
    return urlsplit(page.url).path


def finance_approves_and_pays(tab: Visit, other: Visit, path: str) -> None:
    """`other` is a colleague's window on the same declaration, opened before it was
    approved: its decision is refused and says where the declaration stands."""
    other.login("finance")
    other.open(path)
    page = tab.open(path)
    expect(row(tab, "corrigeert: Filament 3D-printer")).to_contain_text("Correctie")
    page = tab.click("Keur deze declaratie goed", role="button")
    expect(page.get_by_role("status").first).to_contain_text("De declaratie is goedgekeurd")
    other.page.get_by_label("Reden van afwijzen").fill("Toch niet goed.")
    stale = other.click("Wijs deze declaratie af", role="button")
    expect(stale.get_by_role("alert")).to_contain_text(
        "Dat kan niet meer: deze declaratie is inmiddels goedgekeurd."
    )
    page = tab.click("Betaal deze declaratie uit", role="button")  # without a batch
    expect(page.locator("#betaalrun-fout")).to_be_visible()
    page.get_by_label("Betaalrun").fill("2028-01")
    page = tab.click("Betaal deze declaratie uit", role="button")
    expect(page.get_by_role("status").first).to_contain_text("uitbetaald in betaalrun 2028-01")
    trail = page.get_by_role("table", name="Verloop van de declaratie")
    for action in ("Ingediend", "Afgewezen", "Goedgekeurd", "Uitbetaald"):
        expect(trail).to_contain_text(action)
    expect(trail).to_contain_text("Hoort bij kerntaak C")


def finance_reads_the_reports(tab: Visit) -> None:
    page = tab.click("Budget en rapportages")
    page = tab.open("/financien/rapportages?jaar=2027")
    budget = page.get_by_role("table", name="Budget en realisatie 2027 per kerntaak")
    expect(budget.get_by_role("row").filter(has_text="Kerntaak B")).not_to_contain_text("€ 0,00")
    cofinancing = page.get_by_role("table", name="Cofinanciering 2027 tegen 10 % van het budget")
    expect(cofinancing.get_by_role("row").filter(has_text="Voorbeeld Bouw BV")).to_be_visible()
    expect(page.locator("figure svg")).to_have_count(2)
    page.screenshot(path=SCREENSHOTS / f"financien-rapportages-{tab.size}.png", full_page=True)
    with page.expect_download() as downloading:
        page.get_by_role("link", name="CSV").first.click()
    download = downloading.value
    assert download.suggested_filename == "budget-en-realisatie-2027.csv"
    assert open(download.path(), encoding="utf-8").readline().startswith("core_task,")


@pytest.mark.parametrize("size", SIZES)
def test_a_school_declares_its_quarter_and_finance_rejects_approves_and_pays(
    platform, visits, size
):
    school, name, quarter, days = CASES[size]
    offer = completed_lesson(platform, school, days)

    def drafted() -> list:
        return httpx.get(
            f"{platform.gateway}/finance/declaration-lines",
            headers=platform.token(school),
            params={"school_id": school, "quarter": quarter},
        ).json()

    eventually(drafted)
    school_tab, finance_tab = visits(size), visits(size)
    school_declares(school_tab, school, quarter, offer)
    path = finance_rejects(finance_tab, school, name, quarter)
    school_corrects(school_tab, quarter)
    finance_approves_and_pays(finance_tab, visits(size), path)
    finance_reads_the_reports(finance_tab)
