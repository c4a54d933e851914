"""The notify store: every message once per (source event, type, organisation, person), with
the state of its delivery (the delivery outbox), the preferences of each person, pending
reminders, and notify's copy of the directory's people and organisations."""

from datetime import datetime
from typing import cast
from uuid import UUID

from sqlalchemy import (
    JSON,
    Boolean,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.messaging.tables import add_messaging_tables
from shared.store.requests import add_requests_table
from shared.store.types import UtcDateTime
from shared.store.versions import Versioned


class Base(DeclarativeBase):
    metadata = MetaData()


messaging = add_messaging_tables(Base.metadata)
add_requests_table(Base.metadata)


class DeliveryState:
    PENDING = "pending"  # waits for `next_attempt_at` (a retry, quiet hours or the digest)
    DELIVERED = "delivered"
    FAILED = "failed"  # every channel it was allowed failed: told as NotificationFailedV1
    OPTED_OUT = "opted_out"  # a non-essential category the recipient does not want
    DROPPED = "dropped"  # its person was deactivated (or left the directory) before it went out


# `person_id` of a message to an organisation's inbox rather than to one of its people.
ORGANISATION_INBOX = ""


class Notification(Base):
    """A message, and the outbox row of its delivery: the periodic dispatcher sends what is
    pending and due, so a restart only delays a delivery. A message is to one person
    (`person_id`) of an organisation, or to the organisation's inbox (ORGANISATION_INBOX),
    which its people all read."""

    __tablename__ = "notifications"
    # The second guard after the inbox: redelivery can never make a second message.
    __table_args__ = (
        UniqueConstraint(
            "source_event_id",
            "message_type",
            "organisation_id",
            "person_id",
            name="one_message_per_event_type_recipient",
        ),
        Index("ix_notifications_due", "state", "next_attempt_at"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(String(80), index=True)
    person_id: Mapped[str] = mapped_column(
        String(80), index=True, server_default=ORGANISATION_INBOX
    )
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


class Preference(Versioned, Base):
    """A person's choices; a person without a row has the defaults."""

    __tablename__ = "preferences"

    person_id: Mapped[str] = mapped_column(String(80), primary_key=True)
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


class Person(Base):
    """A person of the directory, as far as notify needs one: kept from `tft.directory.person`
    (each event carries the whole person, so the copy is an upsert)."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(String(80), index=True)
    role: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    # Invited (not yet signed in) or deactivated people receive nothing.
    active: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Organisation(Base):
    """An organisation of the directory (kept from `tft.directory.organisation`): what an
    announcement is addressed to."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Announcement(Base):
    """An announcement the backoffice or programme sent, with whom it was addressed to; each
    recipient's message is a notification about it."""

    __tablename__ = "announcements"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    organisations: Mapped[list] = mapped_column(JSON)
    kinds: Mapped[list] = mapped_column(JSON)
    roles: Mapped[list] = mapped_column(JSON)
    sent_by: Mapped[str] = mapped_column(String(80))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    recipients: Mapped[int] = mapped_column(Integer)


# The tables of the hot paths (recording and dispatching messages), for Core statements.
NOTIFICATIONS = cast(Table, Notification.__table__)
REMINDERS = cast(Table, Reminder.__table__)
