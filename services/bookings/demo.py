"""Demo data: the hotspot's offer and sessions from the seed document, loaded once."""

from sqlalchemy import select

from services.bookings import calendar, catalogue
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
        offering = Offering(id=item.id, kind=item.kind, title=item.title,
                            audience=list(item.audience), profile=item.profile,
                            location=item.location, equipment=list(item.equipment))
        sessions = [
            Session(id=s.id, offering_id=s.offering_id, starts_at=s.starts_at, ends_at=s.ends_at,
                    room=s.room, instructor=s.instructor, capacity=item.capacity, seats_taken=0)
            for s in seed.DEMO_SESSIONS if s.offering_id == item.id
        ]
        await catalogue.publish_offering(rt, None, offering, sessions)
