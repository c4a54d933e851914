"""Reach: how many students took part, per event, school, level and profile, counted from
the attendance recorded at check-in. Numbers only: a group's name never leaves here."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Integer, func, select, type_coerce

from services.events.store import Event, EventSession, Registration
from shared.domain import ADMIN, AMSTERDAM, BACKOFFICE, PROGRAMME, SCHOOL
from shared.http import Caller
from shared.service import Runtime

# Students present in a group: a checked-in registration without a count adds none.
_present = type_coerce(func.coalesce(func.sum(Registration.students_present), 0), Integer)


@dataclass(frozen=True)
class Reach:
    event_id: str
    event_title: str
    school_id: str
    level: str
    profile: str | None
    groups: int
    students: int


async def reach(
    rt: Runtime,
    caller: Caller,
    event_id: str | None = None,
    school_id: str | None = None,
    year: int | None = None,
) -> list[Reach]:
    """Programme management, the backoffice and administrators see every school's figures; a
    school its own. `year`: sessions (their own start, else their event's) in that calendar
    year in Amsterdam."""
    caller.require(BACKOFFICE, PROGRAMME, ADMIN, SCHOOL)
    if caller.role == SCHOOL:
        school_id = caller.organisation
    keys = (
        Registration.event_id,
        Event.title,
        Registration.school_id,
        Registration.level,
        Registration.profile,
    )
    query = (
        select(*keys, func.count(), _present)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.checked_in_at.is_not(None))  # attended: checked in on the day
        .group_by(*keys)
        .order_by(*keys)
    )
    if event_id is not None:
        query = query.where(Registration.event_id == event_id)
    if school_id is not None:
        query = query.where(Registration.school_id == school_id)
    if year is not None:
        starts = func.coalesce(EventSession.starts_at, Event.starts_at)
        query = query.join(EventSession, EventSession.id == Registration.session_id).where(
            starts >= _new_year(year), starts < _new_year(year + 1)
        )
    async with rt.db.sessions() as tx:
        return [Reach(*row) for row in await tx.execute(query)]


def _new_year(year: int) -> datetime:
    return datetime.combine(date(year, 1, 1), time(), AMSTERDAM)
