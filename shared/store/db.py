"""One async SQLAlchemy engine per service, with transactions that wake the outbox relay."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Executable,
    bindparam,
    event,
    func,
    make_url,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from shared.store.requests import record_pending

M = TypeVar("M")

# A unit of work: the session of one transaction. Adapters (api.py, handlers.py) name it by
# this alias, so that only commands, queries and stores speak SQLAlchemy.
Tx = AsyncSession


def is_postgres(url_or_engine: "str | AsyncEngine") -> bool:
    name = url_or_engine if isinstance(url_or_engine, str) else url_or_engine.dialect.name
    return name.startswith("postgresql")


def insert_for(tx: AsyncSession):
    """The dialect's INSERT, which has ON CONFLICT (both stores speak it alike)."""
    return postgresql.insert if tx.get_bind().dialect.name == "postgresql" else sqlite.insert


class PoolSettings(BaseSettings):
    """A process's connections to its store (`TFT_DB_POOL_SIZE`,
    `TFT_DB_POOL_TIMEOUT_SECONDS`): opened as they are needed up to `pool_size` and then kept
    open, never more. A unit of work that finds them all busy waits for one, up to
    `pool_timeout_seconds` (then 503, or the consumer's retry): on a few cores more
    connections would not make the store faster, and opening one (a PostgreSQL backend
    forked, authentication, TLS negotiated) costs more than the unit of work itself."""

    model_config = SettingsConfigDict(env_prefix="TFT_DB_", extra="ignore")

    pool_size: int = Field(default=10, ge=1)
    # SQLAlchemy's own default: a burst of units of work on one row (a hundred bookings of
    # one session on a busy machine) queues behind its lock for seconds, and is answered.
    pool_timeout_seconds: float = Field(default=30.0, gt=0)


def create_engine(url: str, pool: PoolSettings | None = None) -> AsyncEngine:
    sizing = _pool_sizing(url, pool or PoolSettings())
    if is_postgres(url):
        # No pre-ping: it costs a round trip per request. A connection lost in an outage
        # fails one unit of work, which rolls back and is answered 503 or retried.
        return create_async_engine(url, **sizing)
    engine = create_async_engine(url, connect_args={"timeout": 30}, **sizing)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def _pool_sizing(url: str, pool: PoolSettings) -> dict[str, Any]:
    if not is_postgres(url) and make_url(url).database in (None, "", ":memory:"):
        return {}  # an in-memory SQLite store: one connection, no pool to size
    # No overflow: an overflow connection is closed again when it is given back to a full
    # pool, so a load that wavers around the pool's size would open and close one per
    # unit of work.
    return {
        "pool_size": pool.pool_size,
        "max_overflow": 0,
        "pool_timeout": pool.pool_timeout_seconds,
    }


# On SQLite, a unit of work that writes takes the store's one write lock at its BEGIN, so
# what it read is still true when it writes: check-then-write is serialised, as PostgreSQL's
# row locks and constraints serialise it. Reads begin deferred and never wait for a writer.
_BEGIN = "sqlite_begin"
_IMMEDIATE = {_BEGIN: "BEGIN IMMEDIATE"}


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN, "BEGIN"))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # The driver's own transaction handling is off: it would begin only at the first write,
    # after the reads that decided it, and so let two units of work act on the same read.
    dbapi_connection.isolation_level = None
    # WAL lets readers and the one writer work at once; the busy timeout makes writers wait.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_AFTER_COMMIT = "after_commit"


def after_commit(tx: AsyncSession, callback: Callable[[], None]) -> None:
    """Run `callback` once when this unit of work has committed (never if it rolls back)."""
    tx.info.setdefault(_AFTER_COMMIT, {})[callback] = None  # an ordered set: once each


def read_once(tx: AsyncSession, name: str) -> dict:
    """A dict that lives as long as this unit of work: what it read and may read again
    (a batch of events about the same people); whoever changes those rows clears it."""
    return tx.info.setdefault(f"read_once:{name}", {})


class Database:
    """A service's store. `transaction()` is its unit of work: all or nothing."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # Reads. On SQLite a deferred snapshot: writing in one can fail with "database is
        # locked" when another writer got there first, so writes go through `writing()`.
        # On PostgreSQL outside a transaction: at READ COMMITTED each statement sees what was
        # committed when it began either way, and BEGIN and ROLLBACK cost two round trips.
        readers = (
            engine.execution_options(isolation_level="AUTOCOMMIT")
            if is_postgres(engine)
            else engine
        )
        self.sessions = async_sessionmaker(readers, expire_on_commit=False)
        self._writers = async_sessionmaker(
            engine.execution_options(**_IMMEDIATE), expire_on_commit=False
        )
        self._after_commit: list[Callable[[], None]] = []

    @property
    def is_postgres(self) -> bool:
        return is_postgres(self.engine)

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` after each committed unit of work (the relay's wake-up)."""
        self._after_commit.append(callback)

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A transaction that may write (on SQLite holding the write lock from its start),
        without waking the relay: for the relay itself and background work."""
        async with self._writers() as tx:
            async with tx.begin():
                yield tx
            for callback in tx.info.pop(_AFTER_COMMIT, ()):
                callback()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A unit of work; serving a request with an Idempotency-Key, it records the key."""
        async with self.writing() as tx:
            yield tx
            await record_pending(tx)
        for callback in self._after_commit:
            callback()

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("select 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def one_of(column: ColumnElement, values: Sequence[Any], postgres: bool) -> ColumnElement[bool]:
    """`column IN values`. On PostgreSQL as `IN (SELECT unnest(:values))`, one array
    parameter: a cached generic plan of an IN list or `= ANY(:values)` can scan the table
    comparing each row with every value (seconds at 20,000 rows), a join with the unnested
    array cannot."""
    if not postgres:
        return column.in_(values)
    array = bindparam(None, list(values), type_=postgresql.ARRAY(column.type))
    return column.in_(select(func.unnest(array)))


async def existing(tx: AsyncSession, model: type[M], key: Any, **options: Any) -> M:
    """The row a foreign key promises (`tx.get` with its options)."""
    return present(await tx.get(model, key, **options), model, key)


def present(row: M | None, model: type[M], key: Any) -> M:
    """`row`, read by a key a foreign key promises: its absence is a bug, not an answer."""
    if row is None:
        raise LookupError(f"{model.__name__} {key!r} is referenced but does not exist")
    return row


async def rows_changed(tx: AsyncSession, statement: Executable) -> int:
    """How many rows an UPDATE or DELETE changed."""
    result = await tx.execute(statement)
    assert isinstance(result, CursorResult), "only a statement on a cursor counts rows"
    return result.rowcount
