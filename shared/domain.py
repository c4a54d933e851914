"""What every service's domain rules share: roles, refusals and the region's clock."""

from collections.abc import Hashable, Sequence
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

# Times are stored in UTC and shown, and counted in days and quarters, in the region's zone.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# Roles the gateway puts on a caller (the `role` claim). The organisation (`org`) of a
# school coordinator is the school's id, of a company contact the company's id.
BACKOFFICE = "backoffice"
SCHOOL = "school"
FINANCE = "finance"
COMPANY = "company"
PROGRAMME = "programme"  # programme management: reads everything, changes nothing
ADMIN = "admin"
TEACHER = "teacher"  # a teacher at a school: the organisation is the school's id
MUNICIPALITY = "municipality"  # a municipality's contact: the organisation is the municipality
ROLES = frozenset({BACKOFFICE, SCHOOL, FINANCE, COMPANY, PROGRAMME, ADMIN, TEACHER, MUNICIPALITY})
# The people who act for their school (the organisation is the school's id): its
# coordinator, and its teachers booking a lesson for their class.
SCHOOL_PEOPLE = frozenset({SCHOOL, TEACHER})


class Refused(Exception):
    """The one refusal of the domain and service layers: a rule, or the caller's role, says
    no. `status` is the HTTP status it deserves; the HTTP edge (`shared/http.py`) maps it to
    problem details, so rules stay free of HTTP. `extra` adds members to the problem (e.g.
    an alternative the caller can take instead). A service names its own subclass."""

    title = "Refused"

    def __init__(self, reason: str, status: int = 409, **extra: object) -> None:
        super().__init__(reason)
        self.reason, self.status, self.extra = reason, status, extra


def check_audience(level: str, audience: Sequence[str], refused: type[Refused] = Refused) -> None:
    """A group is taken only by an offer or event meant for its level (a po lessenserie is
    for po classes): one rule, and one problem, for bookings and event registrations."""
    if level not in audience:
        raise refused(
            f"Dit is niet bedoeld voor niveau {level}, wel voor: {', '.join(audience)}.",
            422,
            rule="audience",
            level=level,
            audience=list(audience),
        )


# The longest agenda one request reads: a school term's worth of sessions.
MAX_AGENDA_DAYS = 93


def local_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """[start of `first`, start of the day after `last`) in Amsterdam, as aware times."""

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(), AMSTERDAM)

    return (
        midnight(first) if first else None,
        midnight(last + timedelta(days=1)) if last else None,
    )


def check_agenda_range(first: date, last: date, refused: type[Refused] = Refused) -> None:
    """An agenda reads from `first` to `last`, both Amsterdam days, at most MAX_AGENDA_DAYS."""
    if last < first:
        raise refused("de periode eindigt op of na haar eerste dag", 422)
    if (last - first).days + 1 > MAX_AGENDA_DAYS:
        raise refused(f"vraag de agenda op voor hoogstens {MAX_AGENDA_DAYS} dagen per keer", 422)


def local_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the platform works with aware times only")
    return moment.astimezone(AMSTERDAM).date()


def acting_school(
    role: str, organisation: str, school_id: str | None, refused: type[Refused] = Refused
) -> str:
    """For which school a caller books, registers or reserves: a school (its coordinator or
    a teacher) for itself, the backoffice on behalf of the school it names (the effect is
    that school's)."""
    if role in SCHOOL_PEOPLE and organisation and school_id in (None, organisation):
        return organisation
    if role == BACKOFFICE and school_id:
        return school_id
    if role == BACKOFFICE:
        reason = "de backoffice handelt namens een school: noem haar school_id"
        raise refused(
            reason, 422, errors=[{"field": "school_id", "message": reason, "code": "missing"}]
        )
    if role in SCHOOL_PEOPLE:
        raise refused("een school handelt alleen voor zichzelf, niet namens een andere school", 403)
    raise refused(f"de rol {role} mag dit niet", 403)


def sees_school(role: str, organisation: str, school_id: str) -> bool:
    """The backoffice sees every school's affairs; a school's people only its own."""
    return role == BACKOFFICE or (role in SCHOOL_PEOPLE and organisation == school_id)


GroupId = TypeVar("GroupId", bound=Hashable)


def first_groups_that_fit(free_seats: int, waiting: Sequence[tuple[GroupId, int]]) -> list[GroupId]:
    """The waiting groups (id, students), in list order, that free seats go to.

    The first group that fits goes first; a group too large for what is left is skipped,
    not waited for, so a smaller group behind it is not kept out of seats that would
    otherwise stay empty.
    """
    chosen = []
    for group_id, students in waiting:
        if students <= free_seats:
            chosen.append(group_id)
            free_seats -= students
    return chosen
