"""The events store: regional events, their sessions and the groups registered for them,
and the equipment catalogue read from loans."""

from datetime import date, datetime
from typing import NamedTuple, cast
from uuid import UUID

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.events.domain import HOLDS_SEATS, AttendeeStatus, RegistrationStatus
from shared.messaging.tables import add_messaging_tables
from shared.store import seats
from shared.store.requests import add_requests_table
from shared.store.types import UtcDateTime
from shared.store.versions import Versioned


class Base(DeclarativeBase):
    metadata = MetaData()


messaging = add_messaging_tables(Base.metadata)
add_requests_table(Base.metadata)


class Event(Versioned, Base):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="event_ends_after_start"),
        CheckConstraint("capacity >= 1", name="event_has_capacity"),
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="event_persons_within_capacity"
        ),
    )

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    audience: Mapped[list[str]] = mapped_column(JSON)
    capacity: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(200))
    # Persons registered personally (an event for adults); groups take seats of sessions.
    seats_taken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CatalogueEntry(Base):
    """Loanable equipment as loans announced it: what workshops may ask for."""

    __tablename__ = "equipment_catalogue"

    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40), index=True)
    quantity: Mapped[int] = mapped_column(Integer)


class EventSession(Versioned, Base):
    """A session or workshop of an event, hosted by a company, an mbo or the hotspot."""

    __tablename__ = "event_sessions"
    # The database itself refuses an over-registered session, whatever the code above it does.
    __table_args__ = (
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="event_seats_within_capacity"
        ),
        CheckConstraint("host_kind IN ('company', 'mbo', 'hotspot')", name="event_host_kind"),
        CheckConstraint("closes_at > opens_at", name="event_session_window"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    host_kind: Mapped[str] = mapped_column(String(20))
    # The host's id: a company's (shared.seed.COMPANIES), an mbo's school id or "hotspot".
    host: Mapped[str] = mapped_column(String(200), index=True)
    host_name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    audience: Mapped[list[str]] = mapped_column(JSON)
    opens_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Times and place of its own, within its event's; None: the event's.
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    location: Mapped[str | None] = mapped_column(String(200))


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (
        # A session's waiting list in request order: offers and positions read it this way.
        Index("ix_registrations_waitlist", "session_id", "status", "created_at", "id"),
        # The lapse task's scan for offers past their deadline.
        Index("ix_registrations_offers", "status", "offer_expires_at"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    # Indexed by ix_registrations_waitlist, which starts with it.
    session_id: Mapped[UUID] = mapped_column(ForeignKey("event_sessions.id"))
    # Denormalised from the session: a check-in code is looked up with its event.
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    school_id: Mapped[str] = mapped_column(String(80), index=True)
    # The person who registered the group (their id): the school's own, or the backoffice
    # on behalf of `school_id`; messages about it reach them.
    registered_by: Mapped[str | None] = mapped_column(String(200))
    group_name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    students: Mapped[int] = mapped_column(Integer)
    profile: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    offer_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    check_in_code: Mapped[str] = mapped_column(String(100), unique=True)
    students_present: Mapped[int | None] = mapped_column(Integer)
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Attendee(Base):
    """An adult registered personally for an event for adults: a name and an e-mail only."""

    __tablename__ = "attendees"
    # One registration per address and event; a cancelled one is taken up again.
    __table_args__ = (UniqueConstraint("event_id", "email", name="attendee_once_per_event"),)

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    # The account that registered: the person who may cancel.
    registered_by: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SessionHosting(Base):
    """A session that took place, with the minutes its host gave: told to finance once."""

    __tablename__ = "session_hostings"
    __table_args__ = (CheckConstraint("minutes >= 1", name="hosting_has_minutes"),)

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)  # the hosting_id finance keys on
    # Unique: a session is held once, however often the backoffice presses the button.
    session_id: Mapped[UUID] = mapped_column(ForeignKey("event_sessions.id"), unique=True)
    minutes: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    students_reached: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class EventCost(Base):
    """A cost of an event (hire, transport, materials), for the lead school's declaration."""

    __tablename__ = "event_costs"
    __table_args__ = (
        CheckConstraint("amount_cents >= 1", name="event_cost_positive"),
        # The same invoice line booked twice on one event is a mistake, not a second cost.
        UniqueConstraint("event_id", "supplier", "invoice_reference", name="event_cost_once"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    description: Mapped[str] = mapped_column(String(200))
    amount_cents: Mapped[int] = mapped_column(Integer)
    supplier: Mapped[str] = mapped_column(String(120))
    invoice_reference: Mapped[str] = mapped_column(String(80))
    incurred_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class WhenAndWhere(NamedTuple):
    starts_at: datetime
    ends_at: datetime
    location: str


def when_and_where(session: EventSession, event: Event) -> WhenAndWhere:
    """A session's times and place: its own, else its event's."""
    return WhenAndWhere(
        session.starts_at or event.starts_at,
        session.ends_at or event.ends_at,
        session.location or event.location,
    )


# The seat protocol (shared.store.seats) on the sessions' seats and their waiting lists.
EVENT_SESSIONS = cast(Table, EventSession.__table__)
REGISTRATIONS = cast(Table, Registration.__table__)
WAITLIST = seats.Waitlist(
    EVENT_SESSIONS, REGISTRATIONS, REGISTRATIONS.c.session_id, RegistrationStatus.WAITLISTED
)


async def waitlist_position(tx: AsyncSession, registration: Registration) -> int | None:
    """1 for the next in line; None for a group not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return await seats.position(
        tx, WAITLIST, registration.session_id, registration.created_at, registration.id
    )


async def waitlist_positions(
    tx: AsyncSession, registrations: list[Registration]
) -> dict[UUID, int]:
    """`waitlist_position` of each registration waiting, in one statement."""
    waiting = [r for r in registrations if r.status == RegistrationStatus.WAITLISTED]
    return await seats.positions(tx, WAITLIST, waiting)


async def session_with_event(tx: AsyncSession, session_id: UUID):
    row = await tx.execute(
        select(EventSession, Event).join(Event).where(EventSession.id == session_id)
    )
    return row.first()


async def due_offers(tx: AsyncSession, now: datetime) -> list[UUID]:
    rows = await tx.scalars(
        select(Registration.id)
        .where(
            Registration.status == RegistrationStatus.OFFERED, Registration.offer_expires_at <= now
        )
        .order_by(Registration.offer_expires_at)
    )
    return list(rows)


async def students_present(tx: AsyncSession, session_id: UUID) -> int:
    """The students checked in for a session: who the host reached."""
    total = await tx.scalar(
        select(func.sum(Registration.students_present)).where(Registration.session_id == session_id)
    )
    return total or 0


async def registration_by_code(tx: AsyncSession, event_id: str, code: str) -> Registration | None:
    """Bound to its event: another event's code finds nothing, like a wrong code."""
    return await tx.scalar(
        select(Registration)
        .where(Registration.check_in_code == code, Registration.event_id == event_id)
        .with_for_update()
    )


EVENTS = cast(Table, Event.__table__)


async def take_person_seat(tx: AsyncSession, event_id: str) -> bool:
    return await seats.take(tx, EVENTS, event_id, 1)


async def release_person_seat(tx: AsyncSession, event_id: str) -> None:
    await seats.change(tx, EVENTS, event_id, -1)


async def persons_registered_by(tx: AsyncSession, event_id: str, actor: str) -> int:
    """The persons an account has registered for the event and not cancelled."""
    return (
        await tx.scalar(
            select(func.count())
            .select_from(Attendee)
            .where(
                Attendee.event_id == event_id,
                Attendee.registered_by == actor,
                Attendee.status == AttendeeStatus.REGISTERED,
            )
        )
        or 0
    )


async def attendee_by_email(tx: AsyncSession, event_id: str, email: str) -> Attendee | None:
    return await tx.scalar(
        select(Attendee)
        .where(Attendee.event_id == event_id, Attendee.email == email)
        .with_for_update()
    )


async def schools_holding_seats(tx: AsyncSession, sessions) -> list[str]:
    """Schools with a group holding seats in `sessions` (ids, or a select of them)."""
    return sorted(
        await tx.scalars(
            select(Registration.school_id)
            .distinct()
            .where(Registration.session_id.in_(sessions), Registration.status.in_(HOLDS_SEATS))
        )
    )


async def levels_holding_places(tx: AsyncSession, session_id: UUID) -> set[str]:
    """Levels of the groups registered (or waiting) for a session."""
    return set(
        await tx.scalars(
            select(Registration.level)
            .distinct()
            .where(
                Registration.session_id == session_id,
                Registration.status.in_(
                    (
                        RegistrationStatus.CONFIRMED,
                        RegistrationStatus.OFFERED,
                        RegistrationStatus.WAITLISTED,
                    )
                ),
            )
        )
    )
