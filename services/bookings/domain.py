"""Booking rules, free of I/O: what may be booked, by whom, and what each change tells."""

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from shared.contracts.common import CoreTask, Group
from shared.domain import (
    ADMIN,
    AMSTERDAM,
    BACKOFFICE,
    COMPANY,
    PROGRAMME,
    SCHOOL_PEOPLE,
    Refused,
    first_groups_that_fit,
    sees_school,
)

# Defaults while the backoffice has set no rules of its own (table booking_rules).
# A lesson needs preparation at the hotspot (room, instructor, materials).
MIN_LEAD_DAYS = 1
# A school may cancel without it counting against it until a week before the session.
FREE_CANCELLATION_DAYS = 7


class BookingStatus(StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


@dataclass(frozen=True)
class Rules:
    min_lead_days: int = MIN_LEAD_DAYS
    free_cancellation_days: int = FREE_CANCELLATION_DAYS


# Bookings that use up a school's quota: all but those that ended without a lesson.
COUNTS_FOR_QUOTA = frozenset(
    {
        BookingStatus.REQUESTED,
        BookingStatus.CONFIRMED,
        BookingStatus.WAITLISTED,
        BookingStatus.COMPLETED,
        BookingStatus.NO_SHOW,
    }
)


class BookingRefused(Refused):
    title = "Booking refused"


@dataclass(frozen=True)
class SessionFacts:
    starts_at: datetime
    ends_at: datetime
    capacity: int

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass(frozen=True)
class Slot:
    """Where, with whom and when a session takes place: what two sessions may not share."""

    room: str
    instructor: str
    starts_at: datetime
    ends_at: datetime


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    # Half-open periods: a session may start the minute the previous one ends.
    return a_start < b_end and b_start < a_end


def clash(planned: Slot, other: Slot) -> str | None:
    """What the two sessions would have in two places at once ("room" or "instructor")."""
    if not overlaps(planned.starts_at, planned.ends_at, other.starts_at, other.ends_at):
        return None
    if planned.room == other.room:
        return "room"
    if planned.instructor == other.instructor:
        return "instructor"
    return None


ROOM_OR_INSTRUCTOR = {"room": "lokaal", "instructor": "docent"}


def refused_for_clash(slot: Slot, other: Slot, other_session: object) -> BookingRefused:
    """The refusal for `other`, a session the store found in the slot's way."""
    resource = clash(slot, other)
    if resource is None:
        raise ValueError(f"the store's clash of {other_session} is none by the domain's rule")
    return clash_refused(resource, slot, other_session)


def clash_refused(resource: str, slot: Slot, other_session: object = None) -> BookingRefused:
    value = slot.room if resource == "room" else slot.instructor
    return BookingRefused(
        f"{ROOM_OR_INSTRUCTOR[resource]} {value} is op dat moment al in een sessie",
        409,
        conflict={
            "resource": resource,
            "value": value,
            "session_id": str(other_session) if other_session else None,
        },
    )


OFFER_KINDS = (
    "inspiration_lesson",
    "masterclass",
    "elective",
    "po_series",
    "company_visit",
    "guest_lesson",
    "internship",
    "mbo_lesson",
    "techclub",
    "assignment",
)
# What the kind fixes (the programme plan, section 3.2): minutes per session, sessions a group
# books at once. None: the backoffice chooses.
KIND_SHAPES: dict[str, tuple[int | None, int | None]] = {
    "inspiration_lesson": (120, 1),
    "masterclass": (120, 4),  # 4 x 2 hours, booked as one
    "po_series": (None, 4),  # 2 lessons at a vmbo host school, 2 at the po school
    "company_visit": (None, 1),
    "guest_lesson": (None, 1),
    "internship": (None, 1),
}
# The plan's words for the kinds, for what people read.
KIND_NAMES = {
    "inspiration_lesson": "inspiratieles",
    "masterclass": "masterklas",
    "elective": "keuzevak",
    "po_series": "po-lessenserie",
    "company_visit": "bedrijfsbezoek",
    "guest_lesson": "gastles",
    "internship": "stage",
    "mbo_lesson": "mbo-module",
    "techclub": "Techclub",
    "assignment": "praktijkopdracht",
}
# The core task (kerntaak) of the plan each kind is declared under, unless the offer names
# its own (the CNC elective: A, "keuzevak CNC-techniek beschikbaar maken voor meerdere
# scholen"; Plastic fantastic: C). From the plan's "Te ondernemen activiteiten":
# B "Technisch onderwijs voor de hele regio" holds the hotspot's lessons ("Op de Hotspot
# worden inspiratielessen ... Masterklassen ... keuzevakken"), the po series ("Lessenserie
# aanbieden op po-scholen/harde vmbo-scholen") and the Techclub; A holds the internships ("De
# stages voor leerlingen PIE, BWI en M&T") and the mbo's lessons ("Samenwerken met het MBO");
# D the company visits ("Bedrijfsbezoeken beschikbaar stellen"). Guest lessons are lessons
# for the region's vo (B, "Lessen aanbieden voor het vo"). A company's practical assignment
# is C, "Vernieuwend onderwijs en experimenten": "levensechte projecten", where "een opdracht
# of vraag vanuit het bedrijfsleven of de overheid staat hierbij centraal".
KIND_CORE_TASKS: dict[str, CoreTask] = {
    "inspiration_lesson": "B",
    "masterclass": "B",
    "elective": "B",
    "po_series": "B",
    "techclub": "B",
    "guest_lesson": "B",
    "internship": "A",
    "mbo_lesson": "A",
    "company_visit": "D",
    "assignment": "C",
}
# A lesson of the region's programme taught to a hard-tech school's class serves plan A,
# "Technieklessen voor de harde techniekscholen" ("Zorgen voor up-to-date lessen BWI, PIE,
# M&T, MVI"); B is for "ook leerlingen van niet-harde techniekscholen" (plan B).
REGION_LESSONS = frozenset({"inspiration_lesson", "masterclass", "elective"})
KV_CODE = re.compile(r"^KV \d{4}$")


def check_offering(o) -> None:
    """An offer has what its kind needs (`o` has the fields of shared NewOffering)."""
    if o.kind not in OFFER_KINDS:
        raise BookingRefused(f"onbekende soort aanbod {o.kind!r}", 422)
    minutes, per_booking = KIND_SHAPES.get(o.kind, (None, None))
    if minutes is not None and o.session_minutes != minutes:
        raise BookingRefused(f"een {o.kind} duurt {minutes} minuten per sessie", 422)
    if per_booking is not None and o.sessions_per_booking != per_booking:
        raise BookingRefused(f"een {o.kind} wordt geboekt als {per_booking} sessie(s)", 422)
    if o.kind == "elective" and not KV_CODE.match(o.elective_code or ""):
        raise BookingRefused("een keuzevak heeft zijn KV-code nodig, bijvoorbeeld 'KV 1313'", 422)
    if o.kind == "company_visit" and not (o.host_company and o.assignment):
        raise BookingRefused(
            "een bedrijfsbezoek heeft een gastbedrijf en een praktijkopdracht nodig", 422
        )
    if o.kind == "assignment" and not o.assignment:
        raise BookingRefused("een praktijkopdracht beschrijft de opdracht", 422, field="assignment")
    if awaits_host(o.kind, o.host_company) and o.equipment:
        # The host's answer decides the booking; loans' answer must not confirm it first.
        raise BookingRefused(
            "een bedrijfsbezoek of stage gebruikt geen materiaal van de uitleen",
            422,
            field="equipment",
        )
    if o.kind == "internship":
        if not (o.profile and o.internship_year and o.period_starts_on and o.period_ends_on):
            raise BookingRefused(
                "stageplaatsen hebben een profiel, een leerjaar en een periode nodig", 422
            )
        if o.period_ends_on < o.period_starts_on:
            raise BookingRefused("een stageperiode eindigt na haar begin", 422)


# The host company answers each request for these itself: the school's booking stays
# `requested` until it accepts or declines.
HOST_ANSWERS = frozenset({"company_visit", "internship"})


class Approval(StrEnum):
    """Where an offer stands with the backoffice: a company's proposal is seen by schools
    only once approved; a declined one carries the reason the company reads."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"


def decide(approval: str, approve: bool) -> Approval:
    """The backoffice's decision on a proposal, once."""
    if approval != Approval.PROPOSED:
        raise BookingRefused("over dit voorstel is al besloten", 409, rule="decided")
    return Approval.APPROVED if approve else Approval.DECLINED


def may_see_offer(role: str, organisation: str, approval: str, host_company: str | None) -> bool:
    """An approved offer is everyone's; a proposal only its company's and the hotspot's."""
    if approval == Approval.APPROVED or role in (BACKOFFICE, PROGRAMME, ADMIN):
        return True
    return is_host(role, organisation, host_company)


def check_approved(approval: str) -> None:
    if approval != Approval.APPROVED:
        raise BookingRefused(
            "dit aanbod is nog niet goedgekeurd door de backoffice", 409, rule="not_approved"
        )


def awaits_host(kind: str, host_company: str | None) -> bool:
    return kind in HOST_ANSWERS and host_company is not None


def is_host(role: str, organisation: str, host_company: str | None) -> bool:
    """Whether the caller is a contact of the company hosting the offer: who answers its
    requests and sees its bookings and proposals."""
    return role == COMPANY and host_company is not None and organisation == host_company


def check_answerable(status: BookingStatus) -> None:
    if status is not BookingStatus.REQUESTED:
        raise BookingRefused(
            f"deze aanvraag is al beantwoord (status {status})", 409, rule="answered"
        )


# How far past its first date a series may move before planning gives up on it.
SERIES_HORIZON_DAYS = 366


def series_rooms(kind: str, count: int, rooms: Sequence[str]) -> list[str]:
    """The room of each session of a series, in order: one room for all, one per session,
    or for a po lessenserie two, the vmbo host school's for the first half and the po
    school's for the second (plan B: "2 lessen op een vmbo-school ... en twee lessen op de
    po school")."""
    if kind == "po_series" and len(rooms) == 2 and count != 2:
        half = count // 2
        return [rooms[0]] * half + [rooms[1]] * (count - half)
    if len(rooms) not in (1, count):
        raise BookingRefused("noem één lokaal, of één lokaal per les", 422, field="rooms")
    return [rooms[i % len(rooms)] for i in range(count)]


def check_whole_series(kind: str, sessions_per_booking: int, rooms: Sequence[str]) -> None:
    """A series is always its full set, in its rooms in order: the offer's number of lessons
    (4 for a masterclass, the elective's full hours), and for a po lessenserie its halves at
    two different venues. A series that is not whole is neither planned nor booked."""
    if sessions_per_booking > 1 and len(rooms) != sessions_per_booking:
        name = KIND_NAMES.get(kind, "reeks van dit aanbod")
        raise BookingRefused(
            f"een {name} bestaat uit {sessions_per_booking} lessen; deze reeks heeft er "
            f"{len(rooms)}",
            422,
            rule="whole_series",
            lessons=sessions_per_booking,
        )
    half = len(rooms) // 2
    if kind == "po_series" and (len(rooms) % 2 or set(rooms[:half]) & set(rooms[half:])):
        raise BookingRefused(
            "een po-lessenserie geeft de eerste helft van de lessen op de vmbo-school en de "
            "tweede helft op de po-school",
            422,
            rule="whole_series",
        )


def check_within_horizon(first: datetime, starts: datetime) -> None:
    """Closed days move a series on, but not for ever."""
    if starts - first > timedelta(days=SERIES_HORIZON_DAYS):
        raise BookingRefused(
            f"de reeks past niet binnen {SERIES_HORIZON_DAYS} dagen na de eerste les: "
            "de hotspot is te vaak dicht",
            422,
            rule="calendar",
        )


def core_task(kind: str, offer_task: CoreTask | None, hard_tech_school: bool) -> CoreTask:
    """The core task a delivered booking is declared under: the offer's own, else its kind's;
    a lesson for the region taught to a hard-tech school's class is A."""
    task = offer_task or KIND_CORE_TASKS.get(kind, "B")
    if task == "B" and hard_tech_school and kind in REGION_LESSONS:
        return "A"
    return task


def check_single_booking(sessions_per_booking: int, in_series: bool) -> None:
    if sessions_per_booking > 1 and in_series:
        raise BookingRefused("dit aanbod wordt als hele reeks geboekt: boek de series_id", 422)


def check_bookable(
    session: SessionFacts, group: Group, now: datetime, lead_days: int = MIN_LEAD_DAYS
) -> None:
    """Whether a group may ask for the session at all. Free seats are not checked here:
    the store takes them atomically, and a group that finds none joins the waitlist."""
    if session.starts_at - now < timedelta(days=lead_days):
        raise BookingRefused(
            f"sessies worden minstens {lead_days} dag{'en' * (lead_days != 1)} vooraf geboekt",
            422,
            rule="lead_time",
        )
    if group.students > session.capacity:
        raise BookingRefused(
            f"de groep ({group.students}) is groter dan de sessie ({session.capacity})", 422
        )


class Closure(Protocol):
    """A period the hotspot is closed (a holiday): both days inclusive."""

    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date: ...
    @property
    def name(self) -> str: ...


def closed_reason(
    day: date, closures: Iterable[Closure], school_open: bool | None = None
) -> str | None:
    """Why `day` is closed, or None when it is open. A school's own exception for the day
    (`school_open`) wins over the weekend and the holidays."""
    if school_open is not None:
        return None if school_open else "gesloten voor de school (uitzondering)"
    if day.weekday() >= 5:
        return "weekend"
    return next((c.name for c in closures if c.starts_on <= day <= c.ends_on), None)


def first_open_day(day: date, closures: Sequence[Closure]) -> date:
    """`day` or the first day after it that is open for everyone."""
    while closed_reason(day, closures) is not None:
        day += timedelta(days=1)
    return day


def check_plannable(day: date, closures: Iterable[Closure], opened_for_a_school: bool) -> None:
    """A session is planned on an open day, or on a closed one some school is open on."""
    reason = closed_reason(day, closures)
    if reason is not None and not opened_for_a_school:
        raise BookingRefused(
            f"de hotspot is gesloten op {day.isoformat()}: {reason}",
            422,
            rule="calendar",
            closed_because=reason,
        )


def check_open_for(day: date, closures: Iterable[Closure], school_open: bool | None) -> None:
    reason = closed_reason(day, closures, school_open)
    if reason is not None:
        raise BookingRefused(
            f"geen lessen voor deze school op {day.isoformat()}: {reason}",
            422,
            rule="calendar",
            closed_because=reason,
        )


def school_year_of(day: date) -> int:
    """The school year (August to July) a day belongs to, by the calendar year it starts."""
    return day.year if day.month >= 8 else day.year - 1


def school_year_bounds(year: int) -> tuple[date, date]:
    """First day of the school year and first day of the next one."""
    return date(year, 8, 1), date(year + 1, 8, 1)


def check_quota(booked: int, wanted: int, quota: int | None, year: int) -> None:
    """`booked` sessions this school year plus `wanted` may not pass the school's quota."""
    if quota is not None and booked + wanted > quota:
        raise BookingRefused(
            f"het quotum van de school voor {year}/{(year + 1) % 100:02d} is {quota} sessies; "
            f"{booked} zijn geboekt",
            409,
            rule="quota",
            quota=quota,
            booked=booked,
        )


def is_late_cancellation(
    starts_at: datetime, now: datetime, by_school: bool, free_days: int = FREE_CANCELLATION_DAYS
) -> bool:
    """A school cancelling inside the free window still cancels, but it is marked late (the
    backoffice may have prepared, and reports it). The backoffice's own cancellations never are."""
    return by_school and starts_at - now < timedelta(days=free_days)


BookingId = TypeVar("BookingId", bound=Hashable)


SessionKey = TypeVar("SessionKey", bound=Hashable)


def promotions(
    free_seats: int,
    waiting: Sequence[tuple[BookingId, int]],
    needs_elsewhere: Mapping[BookingId, Sequence[SessionKey]] | None = None,
    free_elsewhere: Mapping[SessionKey, int] | None = None,
) -> list[BookingId]:
    """The waiting groups (id, students), in waitlist order, that freed seats confirm.

    A group waiting for a whole series (`needs_elsewhere`: its other sessions) goes only
    when each of those sessions has room for it too (`free_elsewhere`), never half."""
    if not needs_elsewhere:
        return first_groups_that_fit(free_seats, waiting)
    elsewhere = dict(free_elsewhere or {})
    chosen = []
    for group_id, students in waiting:
        others = needs_elsewhere.get(group_id, ())
        if students <= free_seats and all(students <= elsewhere[s] for s in others):
            chosen.append(group_id)
            free_seats -= students
            for other in others:
                elsewhere[other] -= students
    return chosen


def may_see(
    role: str, organisation: str, booking_school: str, host_company: str | None = None
) -> bool:
    """Backoffice, programme management and admins see every booking, a school its own, a
    company contact those of the visits its company hosts."""
    if role in (PROGRAMME, ADMIN):
        return True
    if role == COMPANY:
        return is_host(role, organisation, host_company)
    return sees_school(role, organisation, booking_school)


def may_change(role: str, organisation: str, booking_school: str) -> bool:
    """Only the backoffice and the booking's own school change a booking."""
    return sees_school(role, organisation, booking_school)


def list_scope(role: str, organisation: str) -> tuple[str, str] | None:
    """Which bookings a list shows the caller: ("school", id), ("host", company id), or
    None for all of them."""
    if role in SCHOOL_PEOPLE:
        return "school", organisation
    if role == COMPANY:
        return "host", organisation
    if role in (BACKOFFICE, PROGRAMME, ADMIN):
        return None
    raise BookingRefused(f"de rol {role} ziet geen boekingen", 403)


def cancel(status: BookingStatus) -> BookingStatus:
    if status not in (BookingStatus.CONFIRMED, BookingStatus.REQUESTED, BookingStatus.WAITLISTED):
        raise BookingRefused(f"een boeking met status {status} kan niet worden geannuleerd")
    return BookingStatus.CANCELLED


def complete(status: BookingStatus) -> BookingStatus:
    if status is not BookingStatus.CONFIRMED:
        raise BookingRefused(f"een boeking met status {status} kan niet worden afgerond")
    return BookingStatus.COMPLETED


def no_show(status: BookingStatus) -> BookingStatus:
    if status is not BookingStatus.CONFIRMED:
        raise BookingRefused(f"een boeking met status {status} kan geen no-show worden")
    return BookingStatus.NO_SHOW


def check_session_begun(starts_at: datetime, now: datetime, done: str) -> None:
    """Completion and no-show record what happened, so they wait for the session's start
    (finance drafts a paid line from a completion)."""
    if now < starts_at:
        local = starts_at.astimezone(AMSTERDAM)
        raise BookingRefused(
            f"De sessie begint op {local:%d-%m-%Y} om {local:%H:%M}; pas vanaf dan wordt een "
            f"boeking {done}.",
            409,
            rule="session_not_started",
            starts_at=starts_at.isoformat(),
        )


def reach(
    group_students: int,
    session_minutes: int,
    students_reached: int | None,
    instructor_minutes: int | None,
) -> tuple[int, int]:
    """(students reached, instructor minutes) of a completed booking: as reported by the
    backoffice, else the whole group and one instructor for the session."""
    reached = group_students if students_reached is None else students_reached
    if not 0 <= reached <= group_students:
        raise BookingRefused(
            f"het aantal bereikte leerlingen ligt tussen 0 en {group_students}", 422
        )
    return reached, session_minutes if instructor_minutes is None else instructor_minutes


def seated(needs_equipment: bool, equipped: bool, host_answers: bool = False) -> BookingStatus:
    """A seated group is confirmed at once, unless its session (every session of its series)
    still waits for loans to reserve the equipment, or the host company answers it."""
    if host_answers or (needs_equipment and not equipped):
        return BookingStatus.REQUESTED
    return BookingStatus.CONFIRMED


def awaits_equipment(status: BookingStatus) -> bool:
    """Whether loans' answer still decides the booking. Any other status means the booking
    moved on (cancelled meanwhile): the answer changes nothing for it."""
    return status is BookingStatus.REQUESTED


def equipped(statuses: Sequence[BookingStatus], sessions_held: Sequence[bool]) -> bool:
    """Whether a group waiting for equipment (one booking, or each of a series) is confirmed:
    all its bookings still wait and each of their sessions holds the equipment."""
    return all(map(awaits_equipment, statuses)) and all(sessions_held)


# Bookings that use their session's equipment: while one is left, the session keeps it.
USES_EQUIPMENT = frozenset(
    {
        BookingStatus.REQUESTED,
        BookingStatus.CONFIRMED,
        BookingStatus.COMPLETED,
        BookingStatus.NO_SHOW,
    }
)
# How far after a session loans may look for another day its equipment is free.
ALTERNATIVE_DAYS = 84


def closed_days(first: date, last: date, closures: Sequence[Closure]) -> list[date]:
    """The days from `first` to `last` the hotspot is closed for everyone."""
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if closed_reason(day, closures) is not None]


def releases_seats(old: BookingStatus, new: BookingStatus) -> bool:
    # A requested booking holds its seats while loans answers.
    return (
        old in (BookingStatus.CONFIRMED, BookingStatus.REQUESTED) and new is BookingStatus.CANCELLED
    )


# Bookings a cancelled session takes with it: all that still wait for or hold its lesson.
ACTIVE = frozenset({BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.WAITLISTED})


def check_takes_place(cancelled: bool) -> None:
    if cancelled:
        raise BookingRefused("deze sessie is geannuleerd", 409, rule="session_cancelled")


def check_offer_open(withdrawn: bool) -> None:
    if withdrawn:
        raise BookingRefused(
            "dit aanbod is ingetrokken: er kan niet meer op worden geboekt",
            409,
            rule="offering_withdrawn",
        )


def check_not_begun(starts_at: datetime, now: datetime, change: str) -> None:
    """A session that has begun is what happened: it is completed, not moved or cancelled."""
    if now >= starts_at:
        raise BookingRefused(
            f"de sessie is al begonnen en kan niet meer worden {change}", 409, rule="session_begun"
        )


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise BookingRefused("een sessie eindigt na haar begin", 422, field="ends_at")


def check_movable_equipment(equipment_asked: bool) -> None:
    """A session whose equipment loans holds (or is asked for) is not moved: its kit is
    reserved for the old time, and asking again for the new one may be refused after the
    schools already heard their lesson moved and stays confirmed. The backoffice cancels
    such a session and plans a new one, so every school knows where it stands."""
    if equipment_asked:
        raise BookingRefused(
            "deze sessie heeft materiaal gereserveerd bij de uitleen voor het huidige tijdstip; "
            "annuleer de sessie en plan een nieuwe om haar te verplaatsen",
            409,
            rule="equipment_reserved",
        )


def schools_told(bookings: Iterable[tuple[str, Hashable, Group]]) -> dict[str, list[Group]]:
    """Each school with its groups, in order, from (school, booking or series booking, group):
    one message per school, naming a group of a series once however many lessons it had."""
    told: dict[str, list[Group]] = {}
    seen: set[Hashable] = set()
    for school_id, key, group in bookings:
        if key not in seen:
            seen.add(key)
            told.setdefault(school_id, []).append(group)
    return told


ReachKey = tuple[str, str, str | None, str, str]  # school, level, profile, kind, core task


@dataclass(frozen=True)
class Delivered:
    """A completed booking as reach counts it. `group` is its series booking (else itself):
    the lessons of a series reach one group. `key` is what it is counted under."""

    group: Hashable
    key: ReachKey
    students_reached: int


@dataclass(frozen=True)
class ReachRow:
    school_id: str
    level: str
    profile: str | None
    kind: str
    core_task: str
    groups: int  # a group that followed a whole series counts once
    lessons: int  # every completed booking: one lesson given to one group
    students: int  # each group once, with the most of it that came to one of its lessons


def count_reach(delivered: Iterable[Delivered]) -> list[ReachRow]:
    """Students reached per key: a series' pupils are the same children at each lesson, so
    a group counts once (with its best-attended lesson), while every lesson counts."""
    best: dict[ReachKey, dict[Hashable, int]] = {}
    lessons: dict[ReachKey, int] = {}
    for d in delivered:
        groups = best.setdefault(d.key, {})
        groups[d.group] = max(groups.get(d.group, 0), d.students_reached)
        lessons[d.key] = lessons.get(d.key, 0) + 1
    return [
        ReachRow(*key, groups=len(groups), lessons=lessons[key], students=sum(groups.values()))
        for key, groups in sorted(best.items(), key=lambda kv: [k or "" for k in kv[0]])
    ]
