"""The bookings store: offerings, their sessions, and bookings of groups on sessions."""

from collections.abc import Collection
from datetime import date, datetime
from typing import NamedTuple, cast
from uuid import UUID, uuid4

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Row,
    Select,
    String,
    Table,
    Uuid,
    bindparam,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.bookings.domain import COUNTS_FOR_QUOTA, BookingStatus, Rules, Slot
from shared.contracts.common import CoreTask
from shared.messaging.tables import add_messaging_tables
from shared.store import seats
from shared.store.requests import add_requests_table
from shared.store.types import UtcDateTime
from shared.store.versions import Versioned


class Base(DeclarativeBase):
    metadata = MetaData()


messaging = add_messaging_tables(Base.metadata)
add_requests_table(Base.metadata)


class Offering(Versioned, Base):
    __tablename__ = "offerings"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[list[str]] = mapped_column(JSON)
    profile: Mapped[str | None] = mapped_column(String(20))
    # The technical theme it is about (shared.contracts.common.Theme); None: none in particular.
    theme: Mapped[str | None] = mapped_column(String(40), index=True)
    location: Mapped[str] = mapped_column(String(120))
    equipment: Mapped[list[str]] = mapped_column(JSON, default=list)
    session_minutes: Mapped[int] = mapped_column(Integer, default=120, server_default="120")
    # More than 1: a series (masterclass, po-lessenserie) a group books as a whole.
    sessions_per_booking: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    capacity: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    elective_code: Mapped[str | None] = mapped_column(String(20))
    # A company visit: the hosting company (a company contact's organisation) and the
    # practical assignment the students do there.
    host_company: Mapped[str | None] = mapped_column(String(80), index=True)
    assignment: Mapped[str | None] = mapped_column(String(1000))
    # Internship places: for students of `profile` in leerjaar `internship_year`, in a period.
    internship_year: Mapped[int | None] = mapped_column(Integer)
    period_starts_on: Mapped[date | None] = mapped_column(Date)
    period_ends_on: Mapped[date | None] = mapped_column(Date)
    # The plan's core task (A-E) the offer is declared under; None: its kind's.
    core_task: Mapped[CoreTask | None] = mapped_column(String(1))
    # Withdrawn by the backoffice: no new bookings; those made stand.
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A company's proposal waits for the backoffice (domain.Approval); schools see only
    # approved offers. A declined one keeps the backoffice's reason for the company.
    approval: Mapped[str] = mapped_column(
        String(20), default="approved", server_default="approved", index=True
    )
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    # Who proposed it (a person of the host company), when.
    proposed_by: Mapped[str | None] = mapped_column(String(120))
    proposed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


# PostgreSQL's exclusion constraints (migration 0004): a room, and an instructor, is in at
# most one session at a time. SQLite has none; the local run's single writer and the check
# in catalogue.plan_session keep it right there.
ROOM_EXCLUSION = "session_room_free"
INSTRUCTOR_EXCLUSION = "session_instructor_free"


class Session(Base):
    __tablename__ = "sessions"
    # The database itself refuses an overbooked session, whatever the code above it does.
    __table_args__ = (
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"
        ),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    offering_id: Mapped[str] = mapped_column(ForeignKey("offerings.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    room: Mapped[str] = mapped_column(String(80))
    instructor: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    # Sessions planned together as one series of an offering booked as a whole.
    series_id: Mapped[UUID | None] = mapped_column(Uuid, index=True)
    # The session's equipment, shared by all its bookings: asked of loans by this request
    # (None: not asked, or let go), and held once loans reserved it.
    equipment_request_id: Mapped[UUID | None] = mapped_column(Uuid)
    equipment_held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Cancelled by the backoffice (its reason for the schools): it holds no room, instructor
    # or bookings any more.
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(String(500))


class Booking(Base):
    __tablename__ = "bookings"
    # A session's waitlist in request order: promotion and positions read it this way.
    __table_args__ = (Index("ix_bookings_waitlist", "session_id", "status", "created_at", "id"),)

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    session_id: Mapped[UUID] = mapped_column(ForeignKey("sessions.id"), index=True)
    school_id: Mapped[str] = mapped_column(String(80), index=True)
    group_name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    students: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    # Why a `rejected` booking was turned down, in the words its school reads.
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    # A school cancelled inside the free-cancellation window: accepted, but the backoffice
    # sees and reports it.
    # The bookings of one group on all sessions of a series share it: they change together.
    series_booking_id: Mapped[UUID | None] = mapped_column(Uuid, index=True)
    cancelled_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The person who booked (their id): the school's own, or the backoffice on behalf of
    # `school_id`; messages about the booking reach them. None: made before it was kept.
    booked_by: Mapped[str | None] = mapped_column(String(200))
    # A completed booking's students who came (at most the group), as the backoffice
    # reported it: programme monitoring counts these. None: not completed (or completed
    # before it was kept, when the whole group counts, as completion then assumed).
    students_reached: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ClosedPeriod(Base):
    """Days the hotspot is closed for everyone (holidays), kept by the backoffice."""

    __tablename__ = "closed_periods"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="closed_period_ordered"),
        Index("ix_closed_periods_span", "starts_on", "ends_on"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))


class SchoolDay(Versioned, Base):
    """A school's exception to the calendar: open on a closed day, or closed on an open one."""

    __tablename__ = "school_days"

    school_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    open: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(200))


RULES_ROW = 1


class BookingRules(Versioned, Base):
    """The backoffice's booking rules: one row (id 1); absent, the domain's defaults hold."""

    __tablename__ = "booking_rules"
    __table_args__ = (
        CheckConstraint(
            "min_lead_days >= 0 AND free_cancellation_days >= 0", name="booking_rules_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    min_lead_days: Mapped[int] = mapped_column(Integer)
    free_cancellation_days: Mapped[int] = mapped_column(Integer)


class SchoolQuota(Versioned, Base):
    """At most `max_sessions` booked sessions for a school in a school year (Aug-Jul)."""

    __tablename__ = "school_quotas"
    __table_args__ = (CheckConstraint("max_sessions >= 0", name="quota_not_negative"),)

    school_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    school_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    max_sessions: Mapped[int] = mapped_column(Integer)


def _table(model: type[Base]) -> Table:
    """A model's table, for the Core statements of a booking's hot path."""
    return cast(Table, model.__table__)


async def current_rules(tx: AsyncSession) -> Rules:
    row = await tx.get(BookingRules, RULES_ROW)
    return Rules(row.min_lead_days, row.free_cancellation_days) if row else Rules()


class ClosedOn(NamedTuple):
    """The closed period holding a day, as far as that day goes (a domain.Closure)."""

    starts_on: date
    ends_on: date
    name: str


class SchoolDayRules(NamedTuple):
    rules: Rules
    closures: list[ClosedOn]  # the first closed period holding the day, if any
    school_open: bool | None  # the school's own exception to the calendar that day, if any
    quota: int | None  # the school's quota for the day's school year, as read (not locked)


def _school_day_rules() -> Select:
    def scalar(column, *where, order_by=()):
        return select(column).where(*where).order_by(*order_by).limit(1).scalar_subquery()

    rules_, closed_, days_, quotas_ = (
        _table(m).c for m in (BookingRules, ClosedPeriod, SchoolDay, SchoolQuota)
    )
    day, school_id = bindparam("day", type_=Date), bindparam("school_id", type_=String)
    return select(
        scalar(rules_.min_lead_days, rules_.id == RULES_ROW),
        scalar(rules_.free_cancellation_days, rules_.id == RULES_ROW),
        scalar(
            closed_.name,
            closed_.starts_on <= day,
            closed_.ends_on >= day,
            order_by=(closed_.starts_on,),
        ),
        scalar(days_.open, days_.school_id == school_id, days_.day == day),
        scalar(
            quotas_.max_sessions,
            quotas_.school_id == school_id,
            quotas_.school_year == bindparam("school_year"),
        ),
    )


# Built once, as `_LESSON_WITH_OFFER`.
_SCHOOL_DAY_RULES = _school_day_rules()


async def school_day_rules(
    tx: AsyncSession, school_id: str, day: date, school_year: int
) -> SchoolDayRules:
    """The rules, the day's closure, the school's exception for it and its quota, in one
    statement: a booking asks them all, and each statement is a round trip to the store."""
    asked = {"school_id": school_id, "day": day, "school_year": school_year}
    lead, free, closed, school_open, quota = (await tx.execute(_SCHOOL_DAY_RULES, asked)).one()
    rules = Rules(lead, free) if lead is not None else Rules()
    closures = [ClosedOn(day, day, closed)] if closed is not None else []
    return SchoolDayRules(rules, closures, school_open, quota)


async def closures_between(tx: AsyncSession, first: date, last: date) -> list[ClosedPeriod]:
    rows = await tx.scalars(
        select(ClosedPeriod)
        .where(ClosedPeriod.starts_on <= last, ClosedPeriod.ends_on >= first)
        .order_by(ClosedPeriod.starts_on)
    )
    return list(rows)


async def opened_for_some_school(tx: AsyncSession, day: date) -> bool:
    found = await tx.scalar(
        select(SchoolDay.school_id).where(SchoolDay.day == day, SchoolDay.open).limit(1)
    )
    return found is not None


async def locked_quota(tx: AsyncSession, school_id: str, year: int) -> int | None:
    """The school's quota for the year, its row locked to the commit: a school's bookings in
    a year with a quota are counted one transaction at a time (PostgreSQL)."""
    quotas = _table(SchoolQuota).c
    return (
        await tx.execute(
            select(quotas.max_sessions)
            .where(quotas.school_id == school_id, quotas.school_year == year)
            .with_for_update()
        )
    ).scalar()


async def sessions_booked(
    tx: AsyncSession, school_id: str, since: datetime, before: datetime
) -> int:
    bookings, sessions = _table(Booking).c, _table(Session).c
    return (
        await tx.execute(
            select(func.count())
            .select_from(_table(Booking).join(_table(Session)))
            .where(
                bookings.school_id == school_id,
                bookings.status.in_(COUNTS_FOR_QUOTA),
                sessions.starts_at >= since,
                sessions.starts_at < before,
            )
        )
    ).scalar_one()


async def lock_session(tx: AsyncSession, session_id: UUID) -> None:
    await seats.lock(tx, SESSIONS, session_id)


async def locked_session(tx: AsyncSession, session_id: UUID) -> Session | None:
    """The session as committed now, its row locked to the commit: its equipment changes
    one transaction at a time."""
    await tx.flush()
    await lock_session(tx, session_id)
    return await tx.get(Session, session_id, populate_existing=True)


async def bookings_in(
    tx: AsyncSession, session_id: UUID, statuses: frozenset[BookingStatus]
) -> list[Booking]:
    """The session's bookings in `statuses`, in request order (not locked)."""
    rows = await tx.scalars(
        select(Booking)
        .where(Booking.session_id == session_id, Booking.status.in_(statuses))
        .order_by(Booking.created_at, Booking.id)
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def locked_booking(tx: AsyncSession, booking_id: UUID) -> Booking | None:
    return await tx.get(Booking, booking_id, with_for_update=True, populate_existing=True)


async def waitlist_position(tx: AsyncSession, booking: Booking | Row) -> int | None:
    """1 for the next in line; None for a group not waiting."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    return await seats.position(tx, WAITLIST, booking.session_id, booking.created_at, booking.id)


async def clashing_session(
    tx: AsyncSession, slot: Slot, excluding: UUID | None = None
) -> Session | None:
    """A session holding the slot's room or instructor at an overlapping time, if any (not
    a cancelled one, nor `excluding`: the session being moved)."""
    query = select(Session).where(
        or_(Session.room == slot.room, Session.instructor == slot.instructor),
        Session.starts_at < slot.ends_at,
        Session.ends_at > slot.starts_at,
        Session.cancelled_at.is_(None),
    )
    if excluding is not None:
        query = query.where(Session.id != excluding)
    return await tx.scalar(query.order_by(Session.starts_at).limit(1))


async def series_sessions(tx: AsyncSession, series_id: UUID) -> list[Session]:
    rows = await tx.scalars(
        select(Session).where(Session.series_id == series_id).order_by(Session.starts_at)
    )
    return list(rows)


async def series_bookings(tx: AsyncSession, series_booking_id: UUID) -> list[Booking]:
    """A series booking's bookings, locked, in session id order (the order seats are taken)."""
    rows = await tx.scalars(
        select(Booking)
        .where(Booking.series_booking_id == series_booking_id)
        .order_by(Booking.session_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def booking_with_host(tx: AsyncSession, booking_id: UUID):
    """(booking, the company hosting its offering or None), or None."""
    row = await tx.execute(
        select(Booking, Offering.host_company)
        .join(Session, Booking.session_id == Session.id)
        .join(Offering)
        .where(Booking.id == booking_id)
    )
    return row.first()


async def session_with_offering(tx: AsyncSession, session_id: UUID):
    row = await tx.execute(select(Session, Offering).join(Offering).where(Session.id == session_id))
    return row.first()


# The hot path of a booking reads and writes in SQLAlchemy Core: rows, no unit of work.
SESSIONS, OFFERINGS, BOOKINGS = (_table(m) for m in (Session, Offering, Booking))
WAITLIST = seats.Waitlist(SESSIONS, BOOKINGS, BOOKINGS.c.session_id, BookingStatus.WAITLISTED)


class Lesson(NamedTuple):
    """A session as a booking reads it."""

    id: UUID
    offering_id: str
    starts_at: datetime
    ends_at: datetime
    room: str
    capacity: int
    series_id: UUID | None
    equipment_request_id: UUID | None
    equipment_held: bool
    cancelled_at: datetime | None


class Offer(NamedTuple):
    """An offering as a booking reads it."""

    id: str
    kind: str
    title: str
    audience: list[str]
    location: str
    equipment: list[str]
    sessions_per_booking: int
    withdrawn: bool
    approval: str
    host_company: str | None


_LESSON = [SESSIONS.c[name] for name in Lesson._fields]
_OFFER = [OFFERINGS.c[name] for name in Offer._fields]


# Built once: a statement made per call costs SQLAlchemy its construction and cache key,
# a tenth of a booking's CPU on its hot path.
_LESSON_WITH_OFFER = (
    select(*_LESSON, *_OFFER)
    .join_from(SESSIONS, OFFERINGS)
    .where(SESSIONS.c.id == bindparam("session_id"))
)


async def lesson_with_offer(tx: AsyncSession, session_id: UUID) -> tuple[Lesson, Offer] | None:
    row = (await tx.execute(_LESSON_WITH_OFFER, {"session_id": session_id})).first()
    if row is None:
        return None
    return Lesson._make(row[: len(_LESSON)]), Offer._make(row[len(_LESSON) :])


async def series_lessons(tx: AsyncSession, series_id: UUID) -> list[Lesson]:
    rows = await tx.execute(
        select(*_LESSON).where(SESSIONS.c.series_id == series_id).order_by(SESSIONS.c.starts_at)
    )
    return [Lesson._make(row) for row in rows]


async def offer(tx: AsyncSession, offering_id: str) -> Offer:
    row = (await tx.execute(select(*_OFFER).where(OFFERINGS.c.id == offering_id))).one()
    return Offer._make(row)


async def lessons(tx: AsyncSession, session_ids: Collection[UUID], locked: bool) -> list[Lesson]:
    """The sessions in id order (the order every transaction locks them in), locked to the
    commit if asked, as committed then."""
    if not session_ids:
        return []
    query = select(*_LESSON).where(SESSIONS.c.id.in_(session_ids)).order_by(SESSIONS.c.id)
    if locked:
        query = query.with_for_update(key_share=True)
    return [Lesson._make(row) for row in await tx.execute(query)]


async def series_times(tx: AsyncSession, session_id: UUID) -> list[tuple[datetime, datetime]]:
    """Start and end of each session of the series the session belongs to, in time order."""
    series = select(SESSIONS.c.series_id).where(SESSIONS.c.id == session_id).scalar_subquery()
    rows = await tx.execute(
        select(SESSIONS.c.starts_at, SESSIONS.c.ends_at)
        .where(SESSIONS.c.series_id == series)
        .order_by(SESSIONS.c.starts_at)
    )
    return [(starts_at, ends_at) for starts_at, ends_at in rows]


async def series_booking_rows(tx: AsyncSession, series_booking_ids: Collection[UUID]) -> list[Row]:
    """The bookings of series bookings, locked, in session id order (the order seats are
    taken)."""
    if not series_booking_ids:
        return []
    rows = await tx.execute(
        select(BOOKINGS)
        .where(BOOKINGS.c.series_booking_id.in_(series_booking_ids))
        .order_by(BOOKINGS.c.session_id)
        .with_for_update()
    )
    return list(rows)


async def set_status(
    tx: AsyncSession, booking_ids: Collection[UUID], status: str, now: datetime
) -> None:
    await tx.execute(
        update(BOOKINGS).where(BOOKINGS.c.id.in_(booking_ids)).values(status=status, updated_at=now)
    )


async def ask_equipment(tx: AsyncSession, session_id: UUID) -> UUID:
    """A new request for the session's equipment, not yet held."""
    request_id = uuid4()
    await tx.execute(
        update(SESSIONS)
        .where(SESSIONS.c.id == session_id)
        .values(equipment_request_id=request_id, equipment_held=False)
    )
    return request_id
