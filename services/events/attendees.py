"""Personal registrations for an event for adults (the annual meeting): a person registers
with a name and an e-mail, the event's capacity counts persons, and the person cancels.
Each use case is one unit of work that changes state and stages the events it causes."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.events import domain
from services.events.domain import AttendeeStatus, RegistrationRefused
from services.events.store import (
    Attendee,
    Event,
    attendee_by_email,
    persons_registered_by,
    release_person_seat,
    take_person_seat,
)
from shared.contracts.events import AttendeeCancelledV1, AttendeeRegisteredV1
from shared.domain import BACKOFFICE
from shared.http import Caller
from shared.service import Runtime
from shared.store.db import existing


def _facts(attendee: Attendee, event: Event) -> dict:
    return dict(
        attendee_id=attendee.id,
        event_id=event.id,
        event_title=event.title,
        starts_at=event.starts_at,
        location=event.location,
    )


async def register(
    rt: Runtime, caller: Caller, event_id: str, name: str, email: str, now: datetime | None = None
) -> Attendee:
    """Any signed-in person registers, once per e-mail address, and at most a few people per
    account (the backoffice any number); a full event says so (409)."""
    now = now or rt.clock.now()
    email = email.strip().lower()  # one address, however it is typed
    async with rt.db.transaction() as tx:
        event = await tx.get(Event, event_id)
        if event is None:
            raise RegistrationRefused("dit evenement bestaat niet", 404)
        domain.check_attendable(event.audience, event.starts_at, now)
        attendee = await attendee_by_email(tx, event_id, email)
        status = (
            AttendeeStatus.REGISTERED
            if attendee is None
            else domain.register_again(AttendeeStatus(attendee.status))
        )
        if not await take_person_seat(tx, event_id):
            raise RegistrationRefused("het evenement is vol")
        # Counted under the event row's lock the seat just took: concurrent registrations
        # of one account count one after the other.
        domain.check_persons_per_account(
            caller.role, await persons_registered_by(tx, event_id, caller.actor)
        )
        if attendee is None:
            attendee = Attendee(id=uuid4(), event_id=event_id, email=email, created_at=now)
            tx.add(attendee)
        attendee.name, attendee.registered_by = name.strip(), caller.actor
        attendee.status, attendee.updated_at = status, now
        try:
            await tx.flush()
        except IntegrityError as exc:  # the same address registered at the same moment
            raise RegistrationRefused(
                "dit e-mailadres is al ingeschreven voor het evenement"
            ) from exc
        await rt.outbox.stage(tx, AttendeeRegisteredV1(**_facts(attendee, event)))
    return attendee


async def cancel(
    rt: Runtime, caller: Caller, attendee_id: UUID, now: datetime | None = None
) -> Attendee:
    """The person cancels (or the backoffice for them); the place is free again."""
    now = now or rt.clock.now()
    async with rt.db.transaction() as tx:
        attendee = await tx.get(Attendee, attendee_id, with_for_update=True)
        if attendee is None or not domain.may_manage_attendee(
            caller.role, caller.actor, attendee.registered_by
        ):
            raise RegistrationRefused("deze inschrijving bestaat niet", 404)
        event = await existing(tx, Event, attendee.event_id)
        attendee.status = domain.cancel_attendance(
            AttendeeStatus(attendee.status), event.starts_at, now
        )
        attendee.updated_at = now
        await release_person_seat(tx, event.id)
        await rt.outbox.stage(
            tx, AttendeeCancelledV1(**_facts(attendee, event), cancelled_by=caller.role)
        )
    return attendee


async def list_visible(
    rt: Runtime, caller: Caller, event_id: str | None, limit: int, offset: int
) -> list[Attendee]:
    """A person's own registrations; the backoffice sees everyone's (its attendance list)."""
    query = select(Attendee).order_by(Attendee.created_at, Attendee.id)
    if event_id is not None:
        query = query.where(Attendee.event_id == event_id)
    if caller.role != BACKOFFICE:
        query = query.where(Attendee.registered_by == caller.actor)
    async with rt.db.sessions() as tx:
        return list(await tx.scalars(query.limit(limit).offset(offset)))
