"""Reach: the students the completed bookings of a calendar year reached, per school,
level, profile, kind of offer and core task. Numbers only: a group's name never leaves here.

The profile is the offer's (a keuzevak or an internship belongs to one profile); a lesson
for every profile (an inspiratieles) has none. The year is the session's, in Amsterdam."""

from datetime import date

from sqlalchemy import select

from services.bookings import domain
from services.bookings.domain import BookingStatus, Delivered, ReachRow
from services.bookings.store import Booking, Offering, Session
from shared.domain import ADMIN, BACKOFFICE, PROGRAMME, local_bounds
from shared.http import Caller
from shared.seed.region import HARD_TECH_SCHOOL_IDS
from shared.service import Runtime


async def reach(rt: Runtime, caller: Caller, year: int) -> list[ReachRow]:
    """Programme management, the backoffice and administrators: every school's figures."""
    caller.require(BACKOFFICE, PROGRAMME, ADMIN)
    since, before = local_bounds(date(year, 1, 1), date(year, 12, 31))
    query = (
        select(Booking, Offering)
        .join(Session, Session.id == Booking.session_id)
        .join(Offering, Offering.id == Session.offering_id)
        .where(
            Booking.status == BookingStatus.COMPLETED,
            Session.starts_at >= since,
            Session.starts_at < before,
        )
    )
    async with rt.db.sessions() as tx:
        rows = (await tx.execute(query)).all()
    return domain.count_reach(_delivered(b, o) for b, o in rows)


def _delivered(b: Booking, o: Offering) -> Delivered:
    task = domain.core_task(o.kind, o.core_task, b.school_id in HARD_TECH_SCHOOL_IDS)
    reached = b.students if b.students_reached is None else b.students_reached
    return Delivered(
        b.series_booking_id or b.id, (b.school_id, b.level, o.profile, o.kind, task), reached
    )
