"""Demo data: the hotspot's calendar, offer and sessions from the seed document, loaded once."""

from uuid import NAMESPACE_URL, UUID, uuid5

from sqlalchemy import select

from services.bookings import calendar, catalogue, domain
from services.bookings.store import Offering, Session
from shared import seed
from shared.service import Runtime


async def load(rt: Runtime) -> None:
    await calendar.seed_closures(rt)
    async with rt.db.sessions() as tx:
        present = set(await tx.scalars(select(Offering.id)))
    for item in seed.OFFERINGS:
        if item.id in present:
            continue
        # The demo sessions of an offer booked as a whole form one series.
        series = _series_id(item.id) if item.sessions_per_series > 1 else None
        sessions = [
            Session(
                id=s.id,
                offering_id=s.offering_id,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                room=s.room,
                instructor=s.instructor,
                capacity=item.capacity,
                seats_taken=0,
                series_id=series,
            )
            for s in seed.DEMO_SESSIONS
            if s.offering_id == item.id
        ]
        if series is not None:
            domain.check_whole_series(
                item.kind, item.sessions_per_series, [s.room for s in sessions]
            )
        await catalogue.publish_offering(rt, None, _offering(item), sessions)


def _offering(item: seed.Offering) -> Offering:
    period = item.period or (None, None)
    return Offering(
        id=item.id,
        kind=item.kind,
        title=item.title,
        audience=list(item.audience),
        profile=item.profile,
        location=item.location,
        equipment=list(item.equipment),
        session_minutes=round(item.hours_per_session * 60),
        sessions_per_booking=item.sessions_per_series,
        capacity=item.capacity,
        elective_code=item.elective_code,
        host_company=item.host_company,
        assignment=item.assignment,
        internship_year=item.internship_year,
        period_starts_on=period[0],
        period_ends_on=period[1],
        core_task=item.core_task,
        theme=item.theme,
    )


def _series_id(offering_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"https://www.tisfortech.nl/seed/series/{offering_id}")
