"""The gateway's own store: the edge's state that every gateway replica must share.

Idempotency keys with their answers, and rate-limit buckets (one row per limit and key).
SQLite under var/ for the local run, PostgreSQL in tests and production.
"""

from sqlalchemy import Column, Float, Index, Integer, LargeBinary, MetaData, String, Table, Text

from shared.store.types import UtcDateTime

metadata = MetaData()

IDEMPOTENCY_KEYS = Table(
    "idempotency_keys",
    metadata,
    Column("caller", String(200), primary_key=True),  # keys are scoped per token subject
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=True),  # NULL: the first request still runs
    Column("headers", Text, nullable=True),  # JSON list of [name, value]
    Column("body", LargeBinary, nullable=True),
    Column("expires_at", UtcDateTime(), nullable=False),
)
Index("ix_idempotency_keys_expires_at", IDEMPOTENCY_KEYS.c.expires_at)

RATE_BUCKETS = Table(
    "rate_buckets",
    metadata,
    Column("limit_name", String(40), primary_key=True),
    Column("key", String(300), primary_key=True),
    # The bucket as its "theoretical arrival time" (GCRA), seconds since the epoch: the
    # bucket is full again once it lies in the past.
    Column("tat", Float, nullable=False),
    # Tokens the last take got (a replica's lease, or one), for its RETURNING to say.
    Column("granted", Integer, nullable=False, server_default="1"),
)
Index("ix_rate_buckets_tat", RATE_BUCKETS.c.tat)
