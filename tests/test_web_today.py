"""Vandaag en deze week, the backoffice's start page, in Chromium against the real platform:
signed in, the backoffice lands on it and sees today's session in the block of its room and
of its instructor, a booking whose session is over to complete and a loan overdue, at
desktop and phone size (axe-core, no sideways scrolling: tests/browser.py)."""

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect

from shared.domain import local_date
from tests.browser import SCREENSHOTS, SIZES, post
from tests.harness import Platform
from tests.test_on_behalf import new_school
from tests.test_web import AMSTERDAM, new_offer

pytestmark = pytest.mark.integration
BLOCKS = [
    "Vandaag",
    "Verder deze week",
    "Boekingen af te ronden",
    "Te laat terug",
    "Voorstellen van bedrijven",
]


def plan_today(platform: Platform, offer: dict, school: str, room: str, instructor: str) -> dict:
    """A session of `offer` today, 10:00-12:00, in the offer's own room with its own
    instructor. Today may be a weekend or a holiday: the hotspot opens it for the test's own
    school while planning (a school's exception is what lets a closed day be planned)."""
    backoffice, today = platform.token("backoffice"), local_date(datetime.now(UTC))
    day = f"{platform.gateway}/calendar/school-days/{school}/{today.isoformat()}"
    opened = httpx.put(day, headers=backoffice, json={"open": True, "reason": "Vandaag-test"})
    assert opened.status_code == 200, opened.text
    starts = datetime.combine(today, time(10), AMSTERDAM)
    try:
        planned = post(
            f"{platform.gateway}/offerings/{offer['id']}/sessions",
            backoffice,
            {
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
                "room": room,
                "instructor": instructor,
                "capacity": 30,
            },
        )
    finally:
        httpx.delete(day, headers=backoffice)
    assert planned.status_code == 201, planned.text
    return planned.json()


def lent_today(platform: Platform, school: str) -> dict:
    """An item of a category of its own, reserved for today by `school` and handed out."""
    backoffice, tag = platform.token("backoffice"), uuid.uuid4().hex[:8]
    item = post(
        f"{platform.gateway}/equipment",
        backoffice,
        {
            "id": f"web-vandaag-{tag}",
            "asset_tag": f"VANDAAG-{tag}",
            "category": f"web-vandaag-{tag}",
            "name": f"Microbit-set vandaag {tag}",
            "location": "Hotspot T is for Tech",
        },
    )
    assert item.status_code == 201, item.text
    today = local_date(datetime.now(UTC)).isoformat()
    reserved = post(
        f"{platform.gateway}/reservations",
        backoffice,
        {"item_id": item.json()["id"], "school_id": school, "starts_on": today, "ends_on": today},
    )
    assert reserved.status_code == 201, reserved.text
    out = post(
        f"{platform.gateway}/reservations/{reserved.json()['id']}/check-out",
        backoffice,
        {"condition_note": "compleet"},
    )
    assert out.status_code == 200, out.text
    return item.json()


def restarted(platform: Platform, settings: dict[str, dict[str, str]]) -> None:
    """Stop the services named and start them again with their settings, side by side."""
    for name in settings:
        platform.processes[name].stop()
    with ThreadPoolExecutor(len(settings)) as pool:
        list(pool.map(lambda named: platform.restart(named[0], **named[1]), settings.items()))


@contextmanager
def clocks_at(platform: Platform, bookings: datetime, loans: date) -> Iterator[None]:
    """Bookings' clock pinned to `bookings` and loans' day to `loans`, then the real ones."""
    restarted(
        platform,
        {
            "bookings": {"TFT_BOOKINGS_NOW": bookings.isoformat()},
            "loans": {"TFT_LOANS_TODAY": loans.isoformat()},
        },
    )
    try:
        yield
    finally:
        restarted(platform, {"bookings": {}, "loans": {}})


def past_workdays(today: date) -> list[date]:
    """Weekdays four to twelve weeks back: one of them is open whatever the holidays."""
    days = (today - timedelta(days=n) for n in range(28, 85))
    return [d for d in days if d.weekday() < 5]


def within(page: Page, name: str, text: str):
    return (
        page.get_by_role("list", name=name, exact=True)
        .get_by_role("listitem")
        .filter(has_text=text)
    )


def test_the_backoffice_lands_on_today_and_this_week(platform, visits):
    today = local_date(datetime.now(UTC))
    school = new_school(platform)
    offer, past = new_offer(platform, *past_workdays(today), hour=10)
    tag = offer["id"].removeprefix("web-")
    room, instructor = f"lokaal-{tag}", f"instructeur-{tag}"  # new_offer's, of its own
    plan_today(platform, offer, school, room, instructor)
    item = lent_today(platform, school)
    # Booked when its session was still ahead; today it is over and waits to be completed.
    # Three days on for loans: the item lent for today is overdue.
    booked_then = datetime.fromisoformat(past["starts_at"]) - timedelta(days=7)
    with clocks_at(platform, bookings=booked_then, loans=today + timedelta(days=3)):
        booked = post(
            f"{platform.gateway}/bookings",
            platform.token("backoffice"),
            {
                "session_id": past["id"],
                "school_id": school,
                "group": {"name": "2V", "level": "vmbo-kb", "year": 2, "students": 19},
            },
        )
        assert booked.status_code == 201 and booked.json()["status"] == "confirmed", booked.text
        for size in SIZES:
            tab = visits(size)
            page = tab.login("backoffice")
            expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag en deze week")
            assert page.url == f"{platform.web}/backoffice/vandaag"
            for block in BLOCKS:
                expect(page.get_by_role("heading", level=2, name=block, exact=True)).to_be_visible()
            for group in (f"Vandaag in Lokaal {room}", f"Vandaag van {instructor}"):
                expect(within(page, group, offer["title"])).to_contain_text("10:00-12:00")
            to_complete = within(page, "Boekingen af te ronden", school)
            expect(to_complete).to_contain_text(offer["title"])
            expect(to_complete).to_contain_text("2V, 19 leerlingen")
            late = within(page, "Leningen te laat terug", item["name"])
            expect(late).to_contain_text("3 dagen te laat")
            expect(late).to_contain_text(school)
            page.screenshot(path=SCREENSHOTS / f"vandaag-{size}.png", full_page=True)
