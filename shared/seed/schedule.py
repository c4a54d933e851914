"""School calendar 2026-2027 (holiday region "midden") and deterministic demo sessions.

The seed document gives no session dates: everything here is GENERATED demo data. Sessions
fall on school days only (weekdays, outside the school holidays and public holidays below),
are stored as UTC datetimes computed from Europe/Amsterdam wall-clock times, and get a stable
uuid5 id from offering id + index.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID, uuid5
from zoneinfo import ZoneInfo

from .calendar import PUBLIC_HOLIDAYS, SCHOOL_HOLIDAYS_MIDDEN
from .catalogue import INSTRUCTORS, OFFERINGS, ROOMS_BY_ID
from .models import Offering, Session

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# School holidays and public holidays of the 2026-2027 school year, from the calendar data.
SCHOOL_HOLIDAYS_MIDDEN_2026_2027: dict[str, tuple[date, date]] = SCHOOL_HOLIDAYS_MIDDEN["2026/27"]

# School year 2026-2027 in region midden: from the end of the 2026 summer holiday to the start
# of the 2027 one. The calendar above is only known inside this range.
SCHOOL_YEAR_2026_2027: tuple[date, date] = (date(2026, 8, 31), date(2027, 7, 16))

DUTCH_PUBLIC_HOLIDAYS_2026_2027: dict[date, str] = {
    day: name
    for day, name in PUBLIC_HOLIDAYS.items()
    if SCHOOL_YEAR_2026_2027[0] <= day <= SCHOOL_YEAR_2026_2027[1]
}

# The platform's "today" is late 2026; demo sessions start after it.
DEMO_START = date(2026, 12, 1)

SESSION_NAMESPACE = uuid5(UUID(int=0), "https://www.tisfortech.nl/seed/sessions")


def is_school_day(day: date) -> bool:
    """Weekday, inside the 2026-2027 school year, not a school or public holiday."""
    if day.weekday() >= 5 or day in DUTCH_PUBLIC_HOLIDAYS_2026_2027:
        return False
    if not SCHOOL_YEAR_2026_2027[0] <= day <= SCHOOL_YEAR_2026_2027[1]:
        return False
    return not any(a <= day <= b for a, b in SCHOOL_HOLIDAYS_MIDDEN_2026_2027.values())


def session_id(offering_id: str, index: int) -> UUID:
    return uuid5(SESSION_NAMESPACE, f"{offering_id}/{index}")


def to_utc(day: date, wall_clock: time) -> datetime:
    """Europe/Amsterdam wall-clock time on `day`, as an aware UTC datetime."""
    return datetime.combine(day, wall_clock, tzinfo=AMSTERDAM).astimezone(UTC)


# GENERATED weekly slot per offering: (weekday 0=Mon, start time, room id, instructor,
# number of demo sessions). Chosen so that no room or instructor is booked twice at once.
_I1, _I2, _I3, _I4 = INSTRUCTORS
DEMO_SLOTS: dict[str, tuple[int, time, str, str, int]] = {
    "insp-robotica": (1, time(8, 30), "hotspot-lokaal-1", _I1, 6),
    "insp-duurzame-energie": (4, time(8, 30), "hotspot-bouw-energie", _I3, 6),
    "insp-elektrische-voertuigen": (2, time(8, 30), "hotspot-werkplaats", _I2, 6),
    "insp-schadeherstel": (2, time(13, 15), "hotspot-werkplaats", _I2, 6),
    "insp-3d-printen": (0, time(8, 30), "hotspot-lokaal-2", _I4, 6),
    "insp-drones": (0, time(13, 15), "hotspot-lokaal-2", _I4, 6),
    "insp-vr": (1, time(13, 15), "hotspot-lokaal-2", _I4, 6),
    "insp-po-techniek": (4, time(10, 45), "hotspot-lokaal-1", _I1, 6),
    "mk-robotica": (3, time(13, 15), "hotspot-lokaal-1", _I1, 4),
    "mk-3d-ontwerpen": (2, time(8, 30), "hotspot-lokaal-2", _I4, 4),
    "mk-elektrisch-rijden": (3, time(8, 30), "hotspot-werkplaats", _I2, 4),
    "mk-plastic-fantastic": (4, time(13, 15), "hotspot-lokaal-2", _I3, 4),
    "kv-1232": (2, time(8, 30), "hotspot-bouw-energie", _I3, 20),
    "kv-1228": (2, time(12, 30), "hotspot-bouw-energie", _I3, 20),
    "kv-1419": (1, time(8, 30), "hotspot-werkplaats", _I2, 20),
    "kv-1412": (1, time(12, 30), "hotspot-werkplaats", _I2, 20),
    "kv-1317": (3, time(12, 30), "hotspot-lokaal-2", _I4, 20),
    "kv-1327": (3, time(8, 30), "hotspot-bouw-energie", _I3, 20),
    "kv-1313": (4, time(8, 30), "corlaer-cnc", _I4, 20),
    "kv-1329": (0, time(12, 30), "hotspot-lokaal-1", _I1, 20),
    "kv-1906": (0, time(8, 30), "hotspot-lokaal-1", _I1, 20),
    "po-lessenserie-robotica": (3, time(8, 30), "vmbo-praktijklokaal", _I1, 4),
    "po-lessenserie-duurzaamheid": (1, time(10, 45), "vmbo-praktijklokaal", _I3, 4),
    "bedrijfsbezoek-bouw": (3, time(9, 0), "bedrijf-bouw", "Begeleider Voorbeeld Bouw BV", 4),
    "bedrijfsbezoek-installatie": (
        1,
        time(13, 0),
        "bedrijf-installatie",
        "Begeleider Voorbeeld Installatietechniek BV",
        4,
    ),
    "gastles-bedrijfsleven": (0, time(10, 0), "school-klaslokaal", "Gastdocent bedrijfsleven", 4),
    "mbo-module-techniek": (2, time(13, 30), "mbo-praktijklokaal", "Docent MBO Amersfoort", 4),
    "techclub": (2, time(15, 30), "hotspot-lokaal-1", _I1, 10),
    "stage-bouw-2026": (0, time(8, 30), "bedrijf-bouw", "Stagebegeleider Voorbeeld Bouw BV", 1),
}


def _room_for(offering: Offering, index: int, default_room: str) -> str:
    # Po-lessenserie: lessons 1-2 at the vmbo school, 3-4 at the po school (plan B).
    if offering.kind == "po_series" and index % 4 >= 2:
        return "po-klaslokaal"
    return default_room


def sessions_for(offering: Offering, start: date, count: int) -> list[Session]:
    """`count` weekly sessions of `offering` on its demo weekday, from `start` onward.

    A week whose slot day is not a school day is skipped. Deterministic: same arguments,
    same sessions and ids. Raises ValueError past the end of the 2026-2027 school year.
    """
    weekday, start_time, room, instructor, _ = DEMO_SLOTS[offering.id]
    duration = timedelta(hours=offering.hours_per_session)
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    sessions: list[Session] = []
    while len(sessions) < count:
        if day > SCHOOL_YEAR_2026_2027[1]:
            raise ValueError(f"{offering.id}: {count} sessions do not fit before the summer")
        if is_school_day(day):
            index = len(sessions)
            begins = to_utc(day, start_time)
            room_id = _room_for(offering, index, room)
            sessions.append(
                Session(
                    id=session_id(offering.id, index),
                    offering_id=offering.id,
                    index=index,
                    starts_at=begins,
                    ends_at=begins + duration,
                    room=room_id,
                    instructor=instructor,
                    location=ROOMS_BY_ID[room_id].location,
                )
            )
        day += timedelta(weeks=1)
    return sessions


def demo_sessions() -> tuple[Session, ...]:
    """All demo sessions, from DEMO_START, in offering order."""
    return tuple(s for o in OFFERINGS for s in sessions_for(o, DEMO_START, DEMO_SLOTS[o.id][4]))


DEMO_SESSIONS: tuple[Session, ...] = demo_sessions()
DEMO_SESSIONS_BY_ID: dict[UUID, Session] = {s.id: s for s in DEMO_SESSIONS}
