"""Counting the SQL statements a piece of work sends, for tests that keep hot paths lean."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The statements `engine` sends meanwhile, transaction control (BEGIN) left out: on
    SQLite it is a statement of its own, on PostgreSQL the driver's."""
    sent: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            sent.append(" ".join(statement.split())[:120])

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
