"""The finance store: quarterly declarations per school, their lines, budget and rates."""

from datetime import date, datetime
from uuid import UUID, uuid4

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    Uuid,
    false,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.finance.domain import (
    DEFAULT_RATES_CENTS,
    EDITABLE,
    Budget,
    DeclarationStatus,
    LineKind,
    next_quarter,
)
from services.finance.reports import Fact
from shared.contracts.common import CoreTask
from shared.messaging.tables import add_messaging_tables
from shared.store.db import insert_for
from shared.store.requests import add_requests_table
from shared.store.types import UtcDateTime
from shared.store.versions import Versioned


class Base(DeclarativeBase):
    metadata = MetaData()


messaging = add_messaging_tables(Base.metadata)
add_requests_table(Base.metadata)

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
    # Who submitted last: the one person who may not decide on it.
    submitted_by: Mapped[str | None] = mapped_column(String(120))
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    payment_batch: Mapped[str | None] = mapped_column(String(40))
    paid_on: Mapped[date | None] = mapped_column(Date)


class DeclarationLine(Base):
    __tablename__ = "declaration_lines"
    __table_args__ = (
        # One line per source event, whatever the inbox lets through.
        UniqueConstraint("source_event_id", name="uq_declaration_lines_source_event"),
        # One line per activity, even when its event is published again under a new id.
        UniqueConstraint("source_ref", name="uq_declaration_lines_source_ref"),
        CheckConstraint(_CORE_TASKS, name="line_core_task"),
        # Only a correcting line may take money off (the line it corrects).
        CheckConstraint(
            "minutes >= 0 AND hourly_rate_cents >= 0"
            " AND (amount_cents >= 0 OR corrects_line_id IS NOT NULL)",
            name="line_not_negative",
        ),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    declaration_id: Mapped[UUID] = mapped_column(ForeignKey("declarations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    core_task: Mapped[CoreTask] = mapped_column(String(1))
    description: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int] = mapped_column(Integer)
    hourly_rate_cents: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)
    # The event a line came from; none for lines a school entered itself (see added_by).
    source_event_id: Mapped[str | None] = mapped_column(String(36))
    source_type: Mapped[str | None] = mapped_column(String(200))
    booking_id: Mapped[UUID | None] = mapped_column(Uuid, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    added_by: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(40))
    supplier: Mapped[str | None] = mapped_column(String(120))
    invoice_reference: Mapped[str | None] = mapped_column(String(80))
    # The quarter the work belongs to when its own declaration was already locked.
    late_for_quarter: Mapped[str | None] = mapped_column(String(7))
    # The activity a line came from ("booking:<id>", "hosting:<id>", "event-cost:<id>",
    # "damage:<id>"): what an auditor follows back to its source.
    source_ref: Mapped[str | None] = mapped_column(String(80))
    # Co-financing: the contributing company and whether it gave hours or money.
    company: Mapped[str | None] = mapped_column(String(80))
    cofinancing_form: Mapped[str | None] = mapped_column(String(10))
    # Students the activity reached, for the DUS-I report (lessons and hosted sessions).
    students_reached: Mapped[int | None] = mapped_column(Integer)
    # A correcting line: the line whose amount it adjusts (approved lines are never edited).
    corrects_line_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("declaration_lines.id", name="fk_declaration_lines_corrects_line"), index=True
    )


class BudgetLine(Versioned, Base):
    __tablename__ = "budget_lines"
    __table_args__ = (CheckConstraint(_CORE_TASKS, name="budget_core_task"),)

    core_task: Mapped[str] = mapped_column(String(1), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    # Finance's choice: stop approvals past the budget instead of only warning.
    hard_limit: Mapped[bool] = mapped_column(Boolean, server_default=false())


class DefaultRate(Versioned, Base):
    __tablename__ = "default_rates"

    role: Mapped[str] = mapped_column(String(40), primary_key=True)
    hourly_rate_cents: Mapped[int] = mapped_column(Integer)


class AuditEntry(Base):
    """One step in a declaration's life: who did what when, and the total at that moment."""

    __tablename__ = "declaration_audit"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    declaration_id: Mapped[UUID] = mapped_column(ForeignKey("declarations.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    total_cents: Mapped[int] = mapped_column(BigInteger)
    detail: Mapped[str] = mapped_column(String(1000), default="")
    # The event the step was announced with, so Kafka and the trail can be matched.
    event_id: Mapped[str | None] = mapped_column(String(36))


async def draft_declaration(
    tx: AsyncSession, school_id: str, quarter: str, now: datetime
) -> Declaration:
    """Get or create the school's declaration of the quarter, safe against a racing consumer,
    share-locked so that a submit waits until the lines being added have committed.

    INSERT ... ON CONFLICT DO NOTHING waits for a concurrent insert of the same key to end
    instead of failing; the select then reads whichever row won.
    """
    insert = insert_for(tx)
    await tx.execute(
        insert(Declaration)
        .values(
            id=uuid4(),
            school_id=school_id,
            quarter=quarter,
            status=DeclarationStatus.DRAFT,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["school_id", "quarter"])
    )
    return (
        await tx.execute(
            select(Declaration)
            .where(Declaration.school_id == school_id, Declaration.quarter == quarter)
            .with_for_update(read=True)
        )
    ).scalar_one()


async def open_declaration(
    tx: AsyncSession, school_id: str, quarter: str, now: datetime
) -> Declaration:
    """The school's declaration that takes work done in `quarter`: that quarter's own while
    it is editable, else the first later one that is (created if need be)."""
    declaration = await draft_declaration(tx, school_id, quarter, now)
    while declaration.status not in EDITABLE:
        quarter = next_quarter(quarter)
        declaration = await draft_declaration(tx, school_id, quarter, now)
    return declaration


async def declaration(
    tx: AsyncSession,
    declaration_id: UUID,
    *,
    for_update: bool = False,
    for_share: bool = False,
) -> Declaration | None:
    query = select(Declaration).where(Declaration.id == declaration_id)
    if for_update or for_share:
        # Transitions lock exclusively, line adders shared: a submit waits for lines in flight.
        query = query.with_for_update(read=for_share)
    return await tx.scalar(query)


async def lines_of_declaration(tx: AsyncSession, declaration_id: UUID) -> list[DeclarationLine]:
    rows = await tx.scalars(
        select(DeclarationLine)
        .where(DeclarationLine.declaration_id == declaration_id)
        .order_by(DeclarationLine.created_at, DeclarationLine.id)
    )
    return list(rows)


async def declarations(
    tx: AsyncSession, school_id: str | None, quarter: str | None, limit: int, offset: int
) -> list[tuple[Declaration, int]]:
    """Declarations with their totals, the sum of their lines."""
    total = func.coalesce(func.sum(DeclarationLine.amount_cents), 0)
    query = (
        select(Declaration, total)
        .outerjoin(DeclarationLine)
        .group_by(Declaration.id)
        .order_by(Declaration.quarter, Declaration.school_id)
        .limit(limit)
        .offset(offset)
    )
    if school_id is not None:
        query = query.where(Declaration.school_id == school_id)
    if quarter is not None:
        query = query.where(Declaration.quarter == quarter)
    return [(d, int(t)) for d, t in await tx.execute(query)]


async def audit_of(tx: AsyncSession, declaration_id: UUID) -> list[AuditEntry]:
    rows = await tx.scalars(
        select(AuditEntry)
        .where(AuditEntry.declaration_id == declaration_id)
        .order_by(AuditEntry.id)
    )
    return list(rows)


async def committed_per_core_task(tx: AsyncSession, year: int) -> dict[str, int]:
    """What approved and paid declarations of the year take of each core task's budget."""
    rows = await tx.execute(
        select(DeclarationLine.core_task, func.sum(DeclarationLine.amount_cents))
        .join(Declaration)
        .where(
            Declaration.quarter.like(f"{year}-Q%"),
            Declaration.status.in_([DeclarationStatus.APPROVED, DeclarationStatus.PAID]),
        )
        .group_by(DeclarationLine.core_task)
    )
    return {task: int(cents) for task, cents in rows}


async def budgets(tx: AsyncSession, year: int) -> dict[str, Budget]:
    """The year's budget lines, locked: approvals of one year are checked one at a time, so
    two of them cannot both slip under a hard limit."""
    rows = await tx.scalars(select(BudgetLine).where(BudgetLine.year == year).with_for_update())
    return {b.core_task: Budget(b.amount_cents, b.hard_limit) for b in rows}


async def set_budget(
    tx: AsyncSession, year: int, core_task: str, amount_cents: int, hard_limit: bool
) -> None:
    await tx.merge(
        BudgetLine(core_task=core_task, year=year, amount_cents=amount_cents, hard_limit=hard_limit)
    )


async def set_rate(tx: AsyncSession, role: str, hourly_rate_cents: int) -> None:
    await tx.merge(DefaultRate(role=role, hourly_rate_cents=hourly_rate_cents))


async def default_rate(tx: AsyncSession, role: str) -> int | None:
    return await tx.scalar(select(DefaultRate.hourly_rate_cents).where(DefaultRate.role == role))


async def rate_or_demo_default(tx: AsyncSession, role: str) -> int:
    """Finance's rate for the role, else the demo default (see DEFAULT_RATES_CENTS)."""
    rate = await default_rate(tx, role)
    return DEFAULT_RATES_CENTS[role] if rate is None else rate


async def line_to_correct(
    tx: AsyncSession, line_id: UUID
) -> tuple[DeclarationLine, Declaration] | None:
    """A line and its declaration, the line locked: corrections of one line are checked one
    at a time, so two of them cannot together take it below zero."""
    row = (
        await tx.execute(
            select(DeclarationLine, Declaration)
            .join(Declaration)
            .where(DeclarationLine.id == line_id)
            .with_for_update(of=DeclarationLine)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def corrections_of(tx: AsyncSession, line_id: UUID) -> list[DeclarationLine]:
    rows = await tx.scalars(
        select(DeclarationLine).where(DeclarationLine.corrects_line_id == line_id)
    )
    return list(rows)


async def has_line_from(tx: AsyncSession, source_ref: str) -> bool:
    return (
        await tx.scalar(select(DeclarationLine.id).where(DeclarationLine.source_ref == source_ref))
        is not None
    )


async def lines_of(
    tx: AsyncSession, school_id: str, quarter: str, limit: int, offset: int
) -> list[tuple[DeclarationLine, Declaration]]:
    rows = await tx.execute(
        select(DeclarationLine, Declaration)
        .join(Declaration)
        .where(Declaration.school_id == school_id, Declaration.quarter == quarter)
        .order_by(DeclarationLine.created_at, DeclarationLine.id)
        .limit(limit)
        .offset(offset)
    )
    return [(line, declaration) for line, declaration in rows]


async def budget_of(tx: AsyncSession, year: int) -> list[BudgetLine]:
    rows = await tx.scalars(
        select(BudgetLine).where(BudgetLine.year == year).order_by(BudgetLine.core_task)
    )
    return list(rows)


async def facts(tx: AsyncSession, quarter_like: str) -> list[Fact]:
    """The lines of the declarations whose quarter matches `quarter_like` ("2026-Q4" or
    "2026-Q%"), as the reports read them."""
    rows = await tx.execute(
        select(
            Declaration.school_id,
            Declaration.quarter,
            Declaration.status,
            DeclarationLine.core_task,
            DeclarationLine.kind,
            DeclarationLine.amount_cents,
            DeclarationLine.company,
            DeclarationLine.cofinancing_form,
            DeclarationLine.students_reached,
        )
        .join(Declaration)
        .where(Declaration.quarter.like(quarter_like))
    )
    return [Fact(*row) for row in rows]


async def cofinancing_of(
    tx: AsyncSession, company: str, year: int
) -> list[tuple[DeclarationLine, Declaration]]:
    """The company's co-financing lines of the year's declarations, by quarter and time."""
    rows = await tx.execute(
        select(DeclarationLine, Declaration)
        .join(Declaration)
        .where(
            DeclarationLine.kind == LineKind.COFINANCING,
            DeclarationLine.company == company,
            Declaration.quarter.like(f"{year}-Q%"),
        )
        .order_by(Declaration.quarter, DeclarationLine.created_at, DeclarationLine.id)
    )
    return [(line, declaration) for line, declaration in rows]


async def budget_amounts(tx: AsyncSession, year: int) -> dict[str, int]:
    return {b.core_task: b.amount_cents for b in await budget_of(tx, year)}
