"""The notify store: every message once per (source event, type, recipient), with the state of
its delivery (the delivery outbox), the preferences of each recipient and pending reminders."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    JSON,
    Boolean,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.messaging.tables import add_messaging_tables
from shared.store.requests import add_requests_table
from shared.store.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = MetaData()


messaging = add_messaging_tables(Base.metadata)
add_requests_table(Base.metadata)


class DeliveryState:
    PENDING = "pending"  # waits for `next_attempt_at` (a retry, quiet hours or the digest)
    DELIVERED = "delivered"
    FAILED = "failed"  # every channel it was allowed failed: told as NotificationFailedV1
    OPTED_OUT = "opted_out"  # a non-essential category the recipient does not want


class Notification(Base):
    """A message, and the outbox row of its delivery: the periodic dispatcher sends what is
    pending and due, so a restart only delays a delivery."""

    __tablename__ = "notifications"
    # The second guard after the inbox: redelivery can never make a second message.
    __table_args__ = (
        UniqueConstraint("source_event_id", "message_type", "organisation_id",
                         name="one_message_per_event_type_recipient"),
        Index("ix_notifications_due", "state", "next_attempt_at"),
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
    # Rows from before deliveries existed were in-app only: delivered there.
    category: Mapped[str] = mapped_column(String(40), server_default="bookings")
    critical: Mapped[bool] = mapped_column(Boolean, server_default=false())
    state: Mapped[str] = mapped_column(String(20), server_default=DeliveryState.DELIVERED)
    channel: Mapped[str] = mapped_column(String(20), server_default="in_app")
    # True once the message moved to its fallback channel (which does not fall back again).
    on_fallback: Mapped[bool] = mapped_column(Boolean, server_default=false())
    digest: Mapped[bool] = mapped_column(Boolean, server_default=false())
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")  # on the current channel
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)


class Preference(Base):
    """A recipient's choices; a recipient without a row has the defaults."""

    __tablename__ = "preferences"

    organisation_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    channels: Mapped[dict] = mapped_column(JSON, default=dict)  # category -> channel
    opted_out: Mapped[list] = mapped_column(JSON, default=list)
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    quiet_start: Mapped[str | None] = mapped_column(String(5), nullable=True)  # "HH:MM"
    quiet_end: Mapped[str | None] = mapped_column(String(5), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReminderState:
    PENDING = "pending"
    SENT = "sent"
    ENDED = "ended"  # the thing it reminds of was cancelled, returned or submitted
    EXPIRED = "expired"  # its deadline passed before it could go out


class Reminder(Base):
    """A message to send later, with the event it came from, so it renders like the others."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("message_type", "about", "organisation_id", name="one_reminder"),
        Index("ix_reminders_due", "state", "due_at"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    message_type: Mapped[str] = mapped_column(String(60))
    organisation_id: Mapped[str] = mapped_column(String(80))
    about: Mapped[str] = mapped_column(String(200), index=True)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    deadline: Mapped[datetime] = mapped_column(UtcDateTime())
    source_event_type: Mapped[str] = mapped_column(String(200))
    source_payload: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default=ReminderState.PENDING)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
