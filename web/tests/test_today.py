"""Vandaag en deze week, the backoffice's start page, against a stand-in gateway: today per
room and per instructor, the rest of the week, the bookings whose session is over, the
loans overdue and the proposals waiting, each block with an empty state that says what to do."""

import re
from datetime import UTC, date, datetime, time, timedelta

import httpx
import pytest

from web import formatting
from web.agenda import monday_of
from web.tests.test_security import login

TODAY = formatting.today()
SUNDAY = monday_of(TODAY) + timedelta(days=6)


def at(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour), formatting.AMSTERDAM).astimezone(UTC).isoformat()


def lesson(id: str, title: str, day: date, hour: int, room: str, instructor: str) -> dict:
    return {
        "id": id,
        "offering_title": title,
        "offering_kind": "inspiration_lesson",
        "location": "Hotspot",
        "room": room,
        "instructor": instructor,
        "starts_at": at(day, hour),
        "ends_at": at(day, hour + 2),
        "capacity": 30,
        "seats_left": 6,
        "series_id": None,
        "bookings": [
            {
                "school_id": "corlaer",
                "status": "confirmed",
                "group": {"name": "3B", "students": 24},
            },
            {"school_id": "nxt", "status": "waitlisted", "group": {"name": "3C", "students": 12}},
        ],
    }


SESSIONS = [
    lesson("s1", "Inspiratieles Robotica", TODAY, 9, "Lab 1", "Sanne"),
    lesson("s2", "Inspiratieles Drones", TODAY, 13, "Lab 2", "Sanne"),
    lesson("s3", "Keuzevak Domotica", TODAY, 13, "Lab 1", "Ahmed"),
    {
        **lesson("e1", "Techdag", TODAY, 10, "", "T is for Tech"),
        "type": "event",
        "title": "Solderen",
        "event_id": "techdag",
    },
    # The stand-in answers whatever the range: the day after today stands for the week's rest.
    lesson("s4", "Masterklas Lasersnijden", TODAY + timedelta(days=1), 10, "Lab 3", "Joris"),
]


def booking(id: int, day: date, title: str) -> dict:
    return {
        "id": f"00000000-0000-4000-8000-{id:012d}",
        "session_id": f"s-{id}",
        "school_id": "element",
        "group": {"name": f"{id}A", "level": "vmbo-kb", "year": 3, "students": 20},
        "status": "confirmed",
        "offering_title": title,
        "starts_at": at(day, 10),
        "ends_at": at(day, 12),
        "room": "Lab 1",
    }


BOOKINGS = [
    booking(1, TODAY - timedelta(days=3), "Inspiratieles VR, voorbij"),
    booking(2, TODAY + timedelta(days=9), "Inspiratieles VR, nog te gaan"),
]
OVERDUE = {
    "id": "r-1",
    "item_name": "Drone DJI Tello 4",
    "quantity": 1,
    "school_id": "nxt",
    "starts_on": (TODAY - timedelta(days=5)).isoformat(),
    "ends_on": (TODAY - timedelta(days=3)).isoformat(),
    "desk_status": "overdue",
    "days_overdue": 3,
    "checkout_note": "compleet",
    "return_condition": None,
}
PROPOSAL = {
    "id": "bezoek-bouw-1",
    "title": "Bezoek aan de bouwplaats",
    "kind": "company_visit",
    "host_company": "voorbeeld-bouw",
}


def answered(gateway, sessions=(), bookings=(), overdue=(), proposals=()) -> None:
    for path, found in (
        ("/sessions", sessions),
        ("/bookings", bookings),
        ("/overdue-loans", overdue),
        ("/offering-proposals", proposals),
    ):
        gateway.answers[path] = httpx.Response(200, json=list(found))


def block(page: str, label: str) -> str:
    """The list the page labels `label`, up to its end (these lists hold no other list)."""
    found = re.search(rf'aria-label="{re.escape(label)}">(.*?)</ul>', page, re.S)
    assert found, f"no list {label!r} on the page"
    return found.group(1)


def test_the_backoffice_signs_in_on_vandaag_en_deze_week(client):
    assert login(client, "backoffice").headers["location"] == "/backoffice/vandaag"


@pytest.fixture
def page(client, gateway) -> str:
    answered(gateway, SESSIONS, BOOKINGS, [OVERDUE], [PROPOSAL])
    login(client, "backoffice")
    shown = client.get("/backoffice/vandaag")
    assert shown.status_code == 200
    return shown.text


def test_today_is_shown_per_room_and_per_instructor(page):
    in_lab_1 = block(page, "Vandaag in Lokaal Lab 1")
    assert 0 < in_lab_1.index("Inspiratieles Robotica") < in_lab_1.index("Keuzevak Domotica")
    assert "Inspiratieles Drones" in block(page, "Vandaag in Lokaal Lab 2")
    by_sanne = block(page, "Vandaag van Sanne")
    assert "Inspiratieles Robotica" in by_sanne and "Lokaal Lab 1" in by_sanne
    assert "Inspiratieles Drones" in by_sanne and "Keuzevak" not in by_sanne
    assert "1 klas komt · 6 van 30 plaatsen vrij" in by_sanne  # the waiting class does not
    assert "09:00-11:00" in by_sanne and "13:00-15:00" in by_sanne
    assert "Solderen" in block(page, "Vandaag in Hotspot")  # an event at its place
    assert "Solderen" in block(page, "Vandaag van T is for Tech")
    assert "4 sessies vandaag" in page
    assert "Masterklas" not in block(page, "Vandaag in Lokaal Lab 1")


def test_the_rest_of_the_week_is_one_line_a_session(page):
    later = page.split('aria-label="Verder deze week"', 1)[1].split("</ul>\n  </li>", 1)[0]
    assert formatting.long_date(TODAY + timedelta(days=1)).capitalize() in later
    assert "10:00-12:00</span> Masterklas Lasersnijden, lokaal Lab 3, docent Joris" in later


def test_the_bookings_to_complete_are_those_whose_session_is_over(page):
    shown = block(page, "Boekingen af te ronden")
    assert "Inspiratieles VR, voorbij" in shown and "nog te gaan" not in shown
    assert formatting.long_date(TODAY - timedelta(days=3)) + ", 10:00-12:00" in shown
    assert "1 boeking af te ronden" in page
    assert 'href="/backoffice/boekingen"' in page


def test_the_overdue_loans_and_waiting_proposals_link_to_their_pages(page):
    overdue = page.split('aria-label="Leningen te laat terug"', 1)[1]
    assert "Drone DJI Tello 4" in overdue and "3 dagen te laat" in overdue
    assert 'href="/backoffice/uitleenbalie/r-1/innemen"' in overdue
    assert "Bezoek aan de bouwplaats" in block(page, "Voorstellen die op een besluit wachten")
    assert 'href="/backoffice/voorstellen"' in page


def test_the_page_asks_the_gateway_once_per_block(page, gateway):
    asked = {c.url.path.removeprefix("/api/v1"): dict(c.url.params) for c in gateway.calls}
    assert asked["/sessions"] == {
        "from": TODAY.isoformat(),
        "to": SUNDAY.isoformat(),
        "limit": "500",
    }
    assert asked["/bookings"] == {"status": "confirmed", "limit": "11"}
    assert asked["/overdue-loans"] == {"limit": "11"}
    assert asked["/offering-proposals"] == {"approval": "proposed", "limit": "11"}


def test_more_than_a_block_shows_is_said_with_the_page_that_has_them_all(client, gateway):
    ended = [booking(n, TODAY - timedelta(days=20 - n), f"Les {n}") for n in range(11)]
    answered(gateway, bookings=ended, overdue=[OVERDUE | {"id": f"r-{n}"} for n in range(11)])
    login(client, "backoffice")
    page = client.get("/backoffice/vandaag").text
    assert block(page, "Boekingen af te ronden").count("<li") == 10
    assert "10+ boekingen af te ronden" in page
    assert "Er zijn er meer; Boekingen afronden toont ze allemaal." in page
    assert "Er zijn er meer; de Uitleenbalie toont ze allemaal." in page


def test_every_block_says_what_to_do_when_it_is_empty(client, gateway):
    answered(gateway, bookings=[booking(2, TODAY + timedelta(days=9), "Nog te gaan")])
    login(client, "backoffice")
    page = client.get("/backoffice/vandaag").text
    for said in (
        "Vandaag is er niets gepland. Plan een sessie",
        "Verder is er deze week niets gepland. Kijk in de Agenda",
        "Er zijn geen boekingen om af te ronden.",
        "Alle uitgeleende apparatuur is op tijd.",
        "Er wachten geen voorstellen van bedrijven op een besluit.",
    ):
        assert said in page
    assert "0 sessies vandaag" in page and "0 boekingen af te ronden" in page
