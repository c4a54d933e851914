"""The directory's store: organisations, the people in them and their invitations."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.messaging.tables import add_messaging_tables
from shared.store.requests import add_requests_table
from shared.store.types import UtcDateTime
from shared.store.versions import Versioned


class Base(DeclarativeBase):
    metadata = MetaData()


messaging = add_messaging_tables(Base.metadata)
add_requests_table(Base.metadata)


def joined(names: tuple[str, ...] | list[str]) -> str:
    """Profiles as "|BWI|PIE|": one column both stores can filter with LIKE '%|BWI|%'."""
    return "|" + "|".join(names) + "|" if names else ""


def split(column: str) -> list[str]:
    return [name for name in column.split("|") if name]


class Organisation(Versioned, Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    municipality: Mapped[str | None] = mapped_column(String(80))
    place: Mapped[str | None] = mapped_column(String(80))
    profiles: Mapped[str] = mapped_column(String(200), default="")
    tl_subjects: Mapped[str] = mapped_column(String(100), default="")
    has_tl: Mapped[bool] = mapped_column(Boolean, default=False)
    hard_tech: Mapped[bool] = mapped_column(Boolean, default=False)
    branch: Mapped[str | None] = mapped_column(String(40))
    board_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", name="fk_organisations_board")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint("status IN ('invited', 'active', 'deactivated')", name="person_status"),
        # Whoever can sign in has a name to sign in with and a password.
        CheckConstraint(
            "status != 'active' OR (username IS NOT NULL AND password_hash IS NOT NULL)",
            name="active_person_signs_in",
        ),
        Index("ix_people_organisation", "organisation_id"),
    )

    # The `sub` of the person's tokens: a UUID, or the demo account's name in demo mode.
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    username: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    deactivated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Invitation(Base):
    __tablename__ = "invitations"

    # SHA-256 of the code: the code itself is only in the backoffice's answer.
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    invited_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
