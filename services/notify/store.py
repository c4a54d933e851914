"""The notify store: every notification recorded, once per (source event, type, recipient)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import MetaData, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.messaging.tables import add_messaging_tables
from shared.store.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = MetaData()


messaging = add_messaging_tables(Base.metadata)


class Notification(Base):
    __tablename__ = "notifications"
    # The second guard after the inbox: redelivery can never make a second message.
    __table_args__ = (
        UniqueConstraint("source_event_id", "message_type", "organisation_id",
                         name="one_message_per_event_type_recipient"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(String(80), index=True)
    message_type: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # The aggregate the message is about (the event's subject, e.g. a booking id).
    about: Mapped[str] = mapped_column(String(200), index=True)
    source_event_id: Mapped[str] = mapped_column(String(36))
    source_event_type: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
