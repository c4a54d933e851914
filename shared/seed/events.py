"""Regional events (plan D "Evenementen in de regio", section 3.2 "Evenementen", section 2).

Titles and descriptions are the document's; dates, times, capacities and locations are
GENERATED (plausible school days in 2026-2027 after the platform's "today", December 2026).
"""

from __future__ import annotations

from datetime import date, datetime, time

from .models import Event
from .schedule import to_utc

_VMBO = ("vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl")

EVENTS: tuple[Event, ...] = (
    Event(
        "week-van-de-techniek",
        "Week van de Techniek",
        "Alle vmbo-leerlingen in de onderbouw bezoeken de week van de techniek. Door de week "
        "van de techniek en het Techevent kunnen leerlingen uit het po en vo laagdrempelig "
        "kennis maken met bedrijven en opleidingen in de techniek en innovatieve technieken "
        "ervaren.",
        tuple(date(2027, 3, d) for d in range(8, 13)),
        time(9, 0),
        time(15, 0),
        ("po", *_VMBO),
        300,
        "Hotspot T is for Tech en bedrijven in de regio",
    ),
    Event(
        "techevent",
        "Techevent",
        "Door de week van de techniek en het Techevent kunnen leerlingen uit het po en vo "
        "laagdrempelig kennis maken met bedrijven en opleidingen in de techniek en "
        "innovatieve technieken ervaren.",
        (date(2027, 5, 27),),
        time(10, 0),
        time(16, 0),
        ("po", *_VMBO, "pro", "vso", "havo", "vwo"),
        500,
        "Locatie in de regio Amersfoort",
    ),
    Event(
        "techniek-experience",
        "Techniek experience",
        "Bij de techniek experience worden er ook bedrijfsbezoeken geregeld voor vmbo-tl, "
        "havo en vwo.",
        (date(2027, 1, 26), date(2027, 1, 27), date(2027, 1, 28)),
        time(9, 0),
        time(13, 0),
        ("vmbo-tl", "havo", "vwo"),
        150,
        "Bedrijven in de regio",
    ),
    Event(
        "girls-day",
        "Girls Day",
        "Het tegengaan van genderstereotyperingen en het bevorderen van inclusie in de "
        "techniek komt naar voren bij de samenwerking met VHTO (expertisecentrum Voor Haar "
        "Technische Ontwikkeling) bij de uitvoering van girls-day.",
        (date(2027, 4, 8),),
        time(9, 0),
        time(15, 0),
        ("po", *_VMBO, "havo"),
        120,
        "Hotspot T is for Tech en bedrijven in de regio",
    ),
    Event(
        "jaarvergadering",
        "T is for Tech jaarvergadering",
        "Elkaar ontmoeten blijft de basis voor een goede samenwerking. Jaarlijks inventariseren "
        "we de behoeften van de samenwerkingspartners.",
        (date(2027, 6, 10),),
        time(15, 30),
        time(18, 0),
        ("partners",),
        150,
        "Hotspot T is for Tech",
    ),
    Event(
        "op-pad",
        "T is for Tech op pad",
        "Daarnaast organiseren we regelmatig uitwisselingsbijeenkomsten waar onderwijs en "
        "bedrijfsleven elkaar ontmoeten. Hierbij maken we gebruik van locaties in de regio.",
        (date(2027, 2, 11), date(2027, 4, 15), date(2027, 6, 24)),
        time(15, 30),
        time(17, 30),
        ("partners",),
        40,
        "Wisselende locatie in de regio",
    ),
)
EVENTS_BY_ID: dict[str, Event] = {e.id: e for e in EVENTS}


def event_occurrences(event: Event) -> tuple[tuple[datetime, datetime], ...]:
    """(start, end) per event day, as aware UTC datetimes."""
    return tuple((to_utc(d, event.start), to_utc(d, event.end)) for d in event.dates)
