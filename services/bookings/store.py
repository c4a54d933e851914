"""The bookings store: offerings, their sessions, and bookings of groups on sessions."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Uuid,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.messaging.tables import add_messaging_tables
from shared.store.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = MetaData()


messaging = add_messaging_tables(Base.metadata)


class Offering(Base):
    __tablename__ = "offerings"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[list[str]] = mapped_column(JSON)
    profile: Mapped[str | None] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(120))
    equipment: Mapped[list[str]] = mapped_column(JSON, default=list)


class Session(Base):
    __tablename__ = "sessions"
    # The database itself refuses an overbooked session, whatever the code above it does.
    __table_args__ = (
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity",
                        name="seats_within_capacity"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    offering_id: Mapped[str] = mapped_column(ForeignKey("offerings.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    room: Mapped[str] = mapped_column(String(80))
    instructor: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)


class Booking(Base):
    __tablename__ = "bookings"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    session_id: Mapped[UUID] = mapped_column(ForeignKey("sessions.id"), index=True)
    school_id: Mapped[str] = mapped_column(String(80), index=True)
    group_name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    students: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


async def take_seats(session: AsyncSession, session_id: UUID, seats: int) -> bool:
    """Atomically take seats if they are free: one conditional UPDATE, no read-then-write."""
    result = await session.execute(
        update(Session)
        .where(Session.id == session_id, Session.seats_taken + seats <= Session.capacity)
        .values(seats_taken=Session.seats_taken + seats)
        .returning(Session.id)
    )
    return result.first() is not None


async def release_seats(session: AsyncSession, session_id: UUID, seats: int) -> None:
    await session.execute(
        update(Session)
        .where(Session.id == session_id)
        .values(seats_taken=Session.seats_taken - seats)
    )


async def session_with_offering(session: AsyncSession, session_id: UUID):
    row = await session.execute(
        select(Session, Offering).join(Offering).where(Session.id == session_id)
    )
    return row.first()
