"""The web front end's own store: browser sessions only (it reads everything else from the
gateway's API). Migrated by `python -m web migrate` (`web/migrations/`)."""

from sqlalchemy import Column, Float, Index, MetaData, String, Table, Text

metadata = MetaData()

SESSIONS = Table(
    "web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("state", Text, nullable=False),  # JSON: csrf, gateway token, person, flashes
    Column("expires_at", Float, nullable=False),  # seconds since the epoch
)
Index("ix_web_sessions_expires_at", SESSIONS.c.expires_at)
