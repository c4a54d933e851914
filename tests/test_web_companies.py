"""The company contact in Chromium against the real platform: proposes an offer (a field
error from the API lands at its field, nothing typed is lost), answers the schools' requests
(declining needs a reason; a request the school withdrew meanwhile is refused), sees who is
coming and reads its own co-financing, on a phone and on a laptop."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import httpx
import pytest
from playwright.sync_api import expect

from shared.contracts.events import SessionHostedV1
from shared.contracts.topics import EVENT, event_source
from shared.domain import AMSTERDAM
from shared.messaging.envelope import Envelope
from tests.browser import SCREENSHOTS, SIZES, post
from tests.harness import Platform, eventually
from tests.test_faults import produce
from tests.test_first_flow import open_day_at_nine

pytestmark = pytest.mark.integration
COMPANY = "voorbeeld-bouw"


def visit_requested_by(platform: Platform, *schools: str) -> tuple[str, list[str]]:
    """A new session of the demo company visit voorbeeld-bouw hosts, requested by each
    school: its start and the bookings, in the schools' order."""
    starts, own = open_day_at_nine(40), uuid.uuid4().hex[:8]
    session = post(
        f"{platform.gateway}/offerings/bedrijfsbezoek-bouw/sessions",
        platform.token("backoffice"),
        {
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "room": f"Bouwplaats {own}",
            "instructor": f"Uitvoerder {own}",
            "capacity": 25,
        },
    )
    assert session.status_code == 201, session.text
    booked = [
        post(
            f"{platform.gateway}/bookings",
            platform.token(school),
            {
                "session_id": session.json()["id"],
                "group": {
                    "name": f"3{school[:2].upper()}",
                    "level": "vmbo-kb",
                    "year": 3,
                    "students": 8,
                },
            },
        )
        for school in schools
    ]
    assert [b.json()["status"] for b in booked] == ["requested"] * len(schools), booked[0].text
    return starts.isoformat(), [b.json()["id"] for b in booked]


def hosted_hours(platform: Platform, title: str) -> None:
    """Voorbeeld Bouw hosted a session at an event today: in-kind co-financing for finance."""
    event = SessionHostedV1(
        hosting_id=uuid.uuid4(),
        event_id="techevent",
        event_title="Techevent",
        session_id=uuid.uuid4(),
        session_title=title,
        host_kind="company",
        host=COMPANY,
        host_name="Voorbeeld Bouw BV",
        minutes=90,
        held_on=datetime.now(AMSTERDAM).date(),
        students_reached=20,
    )
    envelope = Envelope.new(
        type=event.event_type, source=event_source("events"), subject=event.subject()
    )
    message = (event.model_dump_json().encode(), envelope.to_headers())
    # Playwright runs an event loop in this thread; producing needs one of its own.
    with ThreadPoolExecutor(1) as other:
        other.submit(produce, platform, [message], topic=EVENT).result()


def test_a_company_proposes_an_offer_and_answers_the_schools_requests_on_a_phone(platform, visits):
    _, (_, element, nxt) = visit_requested_by(platform, "corlaer", "element", "nxt")
    tab = visits("phone")
    page = tab.login(COMPANY)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ons aanbod")
    expect(page.get_by_role("list", name="Aanbod van je bedrijf")).to_contain_text(
        "Bedrijfsbezoek bouw met praktijkopdracht"
    )

    page = tab.click("Doe een voorstel")
    title = f"Bedrijfsbezoek prefab {uuid.uuid4().hex[:6]}"
    page.get_by_label("Titel").fill("ab")  # the API wants at least 3 characters
    page.get_by_label("vmbo-kb").check()
    page.get_by_label("Waar").fill("Voorbeeld Bouw BV, Amersfoort")
    page.get_by_label("Praktijkopdracht").fill("Zet in tweetallen een stuk fundering uit.")
    page.get_by_label("Thema").select_option(label="Bouw")
    page = tab.click("Verstuur het voorstel", role="button")
    expect(page.locator("#titel-fout")).to_contain_text("minstens 3 tekens")
    expect(page.get_by_label("Waar")).to_have_value("Voorbeeld Bouw BV, Amersfoort")
    expect(page.get_by_label("Thema")).to_have_value("construction")
    expect(page.get_by_label("vmbo-kb")).to_be_checked()
    page.get_by_label("Titel").fill(title)
    page = tab.click("Verstuur het voorstel", role="button")
    expect(page.get_by_role("status")).to_contain_text("is verstuurd")
    proposal = (
        page.get_by_role("list", name="Voorstellen van je bedrijf")
        .get_by_role("listitem")
        .filter(has_text=title)
    )
    expect(proposal).to_contain_text("Wacht op de backoffice")
    expect(proposal.locator("dt:text-is('Thema') + dd")).to_have_text("Bouw")

    page = tab.click("Aanvragen")
    page.screenshot(path=SCREENSHOTS / "company-requests-phone.png", full_page=True)
    page = tab.click("Weiger de aanvraag van element 3EL", role="button")  # no reason
    expect(page.locator(f"#reden-{element}-fout")).to_contain_text("minstens 3 tekens")
    page.get_by_label("Reden van weigeren voor element 3EL").fill("Die week is de bouwplaats dicht")
    page = tab.click("Weiger de aanvraag van element 3EL", role="button")
    expect(page.get_by_role("status")).to_contain_text("de school leest je reden")
    page = tab.click("Accepteer de aanvraag van corlaer 3CO", role="button")
    expect(page.get_by_role("status")).to_contain_text("De aanvraag is geaccepteerd")

    cancelled = httpx.post(
        f"{platform.gateway}/bookings/{nxt}/cancel", headers=platform.token("nxt")
    )
    assert cancelled.status_code == 200, cancelled.text
    page = tab.click("Accepteer de aanvraag van nxt 3NX", role="button")  # withdrawn meanwhile
    expect(page.get_by_role("alert")).to_contain_text("al beantwoord of door de school ingetrokken")

    page = tab.click("Wie komt er")
    expect(page.get_by_role("row").filter(has_text="corlaer: 3CO")).to_contain_text(
        "Bedrijfsbezoek bouw met praktijkopdracht"
    )
    expect(page.get_by_role("row").filter(has_text="element: 3EL")).to_have_count(0)
    seen = httpx.get(f"{platform.gateway}/bookings/{element}", headers=platform.token("element"))
    assert seen.json()["rejection_reason"] == "Die week is de bouwplaats dicht"


@pytest.mark.parametrize("size", SIZES)
def test_a_company_reads_its_own_cofinancing(platform, visits, size):
    """And pictures of the company contact's pages for the README (docs/screenshots)."""
    title = f"Bouwrobot demonstreren {uuid.uuid4().hex[:6]}"
    hosted_hours(platform, title)
    eventually(
        lambda: (
            title
            in httpx.get(
                f"{platform.gateway}/finance/cofinancing", headers=platform.token(COMPANY)
            ).text
        )
    )
    tab = visits(size)
    page = tab.login(COMPANY)
    page.screenshot(path=SCREENSHOTS / f"{COMPANY}-{size}.png", full_page=True)
    page = tab.click("Cofinanciering")
    year = datetime.now(AMSTERDAM).year
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cofinanciering {year}")
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("In natura")
    expect(row).to_contain_text("1,5 uur")
    page.screenshot(path=SCREENSHOTS / f"company-cofinancing-{size}.png", full_page=True)
