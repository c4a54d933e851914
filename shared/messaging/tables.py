"""The outbox and inbox tables, added to each service's own metadata (one store per service)."""

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from shared.store.types import UtcDateTime


@dataclass(frozen=True)
class MessagingTables:
    outbox: Table
    inbox: Table


def add_messaging_tables(metadata: MetaData) -> MessagingTables:
    outbox = Table(
        "outbox",
        metadata,
        # Insertion order is publication order; SQLite autoincrements only INTEGER keys.
        Column(
            "seq",
            BigInteger().with_variant(Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("payload", Text, nullable=False),
        Column("headers", Text, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime(), nullable=True),
        # A row Kafka refuses for good (unknown topic, too large): set aside with the reason.
        Column("parked_at", UtcDateTime(), nullable=True),
        Column("park_reason", Text, nullable=True),
    )
    Index(
        "ix_outbox_unpublished",
        outbox.c.seq,
        postgresql_where=outbox.c.published_at.is_(None),
        sqlite_where=outbox.c.published_at.is_(None),
    )
    # The relay holds back the later rows of a parked row's key: it looks them up here.
    parked = outbox.c.parked_at.is_not(None)
    Index(
        "ix_outbox_parked",
        outbox.c.topic,
        outbox.c.key,
        postgresql_where=parked,
        sqlite_where=parked,
    )
    Index("ix_outbox_published_at", outbox.c.published_at)  # retention
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", UtcDateTime(), nullable=False),
    )
    Index("ix_inbox_processed_at", inbox.c.processed_at)  # retention
    return MessagingTables(outbox=outbox, inbox=inbox)
