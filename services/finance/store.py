"""The finance store: quarterly declarations per school, their lines, budget and rates."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    Uuid,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.finance.domain import DeclarationStatus
from shared.messaging.tables import add_messaging_tables
from shared.store.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = MetaData()


messaging = add_messaging_tables(Base.metadata)

_CORE_TASKS = "core_task IN ('A', 'B', 'C', 'D', 'E')"


class Declaration(Base):
    __tablename__ = "declarations"
    # One declaration per school and quarter: concurrent consumers meet on this constraint.
    __table_args__ = (UniqueConstraint("school_id", "quarter", name="uq_declarations_quarter"),)

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    school_id: Mapped[str] = mapped_column(String(80))
    quarter: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DeclarationLine(Base):
    __tablename__ = "declaration_lines"
    __table_args__ = (
        # One line per source event, whatever the inbox lets through.
        UniqueConstraint("source_event_id", name="uq_declaration_lines_source_event"),
        CheckConstraint(_CORE_TASKS, name="line_core_task"),
        CheckConstraint("minutes >= 0 AND hourly_rate_cents >= 0 AND amount_cents >= 0",
                        name="line_not_negative"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    declaration_id: Mapped[UUID] = mapped_column(ForeignKey("declarations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    core_task: Mapped[str] = mapped_column(String(1))
    description: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int] = mapped_column(Integer)
    hourly_rate_cents: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)
    source_event_id: Mapped[str] = mapped_column(String(36))
    source_type: Mapped[str] = mapped_column(String(200))
    booking_id: Mapped[UUID | None] = mapped_column(Uuid, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class BudgetLine(Base):
    __tablename__ = "budget_lines"
    __table_args__ = (CheckConstraint(_CORE_TASKS, name="budget_core_task"),)

    core_task: Mapped[str] = mapped_column(String(1), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount_cents: Mapped[int] = mapped_column(Integer)


class DefaultRate(Base):
    __tablename__ = "default_rates"

    role: Mapped[str] = mapped_column(String(40), primary_key=True)
    hourly_rate_cents: Mapped[int] = mapped_column(Integer)


def _insert_for(session: AsyncSession):
    return postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert


async def draft_declaration(session: AsyncSession, school_id: str, quarter: str,
                            now: datetime) -> Declaration:
    """Get or create the school's declaration of the quarter, safe against a racing consumer.

    INSERT ... ON CONFLICT DO NOTHING waits for a concurrent insert of the same key to end
    instead of failing; the select then reads whichever row won.
    """
    insert = _insert_for(session)
    await session.execute(
        insert(Declaration)
        .values(id=uuid4(), school_id=school_id, quarter=quarter,
                status=DeclarationStatus.DRAFT, created_at=now)
        .on_conflict_do_nothing(index_elements=["school_id", "quarter"])
    )
    return await session.scalar(
        select(Declaration).where(Declaration.school_id == school_id,
                                  Declaration.quarter == quarter)
    )


async def default_rate(session: AsyncSession, role: str) -> int | None:
    return await session.scalar(
        select(DefaultRate.hourly_rate_cents).where(DefaultRate.role == role)
    )


async def lines_of(session: AsyncSession, school_id: str, quarter: str, limit: int,
                   offset: int) -> list[tuple[DeclarationLine, Declaration]]:
    rows = await session.execute(
        select(DeclarationLine, Declaration)
        .join(Declaration)
        .where(Declaration.school_id == school_id, Declaration.quarter == quarter)
        .order_by(DeclarationLine.created_at, DeclarationLine.id)
        .limit(limit)
        .offset(offset)
    )
    return [(line, declaration) for line, declaration in rows]


async def budget_of(session: AsyncSession, year: int) -> list[BudgetLine]:
    rows = await session.scalars(
        select(BudgetLine).where(BudgetLine.year == year).order_by(BudgetLine.core_task)
    )
    return list(rows)
