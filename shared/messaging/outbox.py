"""Transactional outbox: events are rows written in the same transaction as the state change.

`Outbox.stage` adds them to the caller's transaction (`tx`); `OutboxRelay` publishes committed rows
with an idempotent producer (acks=all) and marks them published. A crash between commit
and publish only delays the events; a crash between publish and mark publishes them again,
which the consumers' inbox absorbs.

A row Kafka refuses for good (its topic does not exist, it is larger than the topic accepts,
the service may not write the topic) is parked: marked with the time and the reason, counted
(`tft_outbox_parked_total`) and logged as an error, and the relay publishes the rest. The
later rows of the parked row's key (same topic and key) are held back, unpublished, so they
never overtake it; an operator resolves the parked row (fixes the topic and clears
`parked_at`, or deletes the row) and the held rows follow. Rows Kafka had already accepted
in the round that found the refusal stay published: with one relay round's rows of a
partition in one produce batch this only concerns a row too large for a batch of its own.

Several replicas of a service may each run a relay on one store. A pass of rounds holds the
store's relay lease (`RelayLease`) from reading its first rows to marking its last, so one
relay publishes at a time and the events of a key leave in their order, never overtaken by
another relay's round nor sent again after a later one (docs/decisions/0008-one-relay-at-a-time.md).

Rounds overlap: round N+1 is read and handed to the producer while round N waits for its
acknowledgements and its marks. Round N+1 sends only the rows before the first whose key is
in round N, so whatever becomes of round N's row of a key (refused, parked, left for the next
pass) no later row of that key has left before it. Marks follow the rounds' order; a relay
killed between them has published nothing unmarked that the next pass does not send again.
"""

import asyncio
import fcntl
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from functools import partial
from typing import Any, NamedTuple

from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    InvalidTopicError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
    TopicAuthorizationFailedError,
    UnknownTopicOrPartitionError,
)
from pydantic_core import from_json, to_json
from sqlalchemy import Select, Table, exists, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from structlog.contextvars import get_contextvars

from shared.backoff import Backoff
from shared.clock import SYSTEM_CLOCK, Clock
from shared.contracts.base import IntegrationEvent
from shared.messaging.connection import KafkaConnection
from shared.messaging.envelope import Envelope, new_ids
from shared.messaging.partitioner import keyed_partitioner
from shared.observability.logging import CORRELATION_ID, REQUEST_ID, log
from shared.observability.metrics import Metrics
from shared.observability.tracing import NO_TRACING, Tracing, end_span, end_span_when_done
from shared.periodic import Periodic
from shared.store.db import Database, one_of


class Outbox:
    """Stages integration events in a unit of work, each with the trace context it was
    written in (in its row's headers), so its message continues the trace."""

    def __init__(
        self, table: Table, source: str, clock: Clock = SYSTEM_CLOCK, tracing: Tracing = NO_TRACING
    ) -> None:
        self.table = table
        self.source = source
        self.clock = clock
        self.tracing = tracing

    async def stage(self, tx: AsyncSession, *events: IntegrationEvent) -> list[Envelope]:
        """The events' envelopes, their rows added to `tx`: one moment, one context and one
        read of randomness for all of them (they are one unit of work)."""
        if not events:
            return []
        context = get_contextvars()
        correlation_id, request_id = context.get(CORRELATION_ID), context.get(REQUEST_ID)
        now = self.clock.now()
        envelopes, rows = [], []
        for event, event_id in zip(events, new_ids(len(events)), strict=True):
            key = event.key()
            envelope = Envelope.new(
                type=event.event_type,
                source=self.source,
                subject=event.subject(),
                correlation_id=correlation_id,
                request_id=request_id,
                traceparent=self.tracing.created(event.topic, key, event.event_type),
                event_id=event_id,
                time=now,
            )
            envelopes.append(envelope)
            rows.append(
                {
                    "event_id": event_id,
                    "topic": event.topic,
                    "key": key,
                    "event_type": event.event_type,
                    "payload": event.model_dump_json(),
                    "headers": to_json(envelope.header_values()).decode(),
                    "created_at": now,
                }
            )
        await tx.execute(self.table.insert(), rows)
        return envelopes


def idempotent_producer(kafka: KafkaConnection, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **kafka.options(),
        client_id=client_id,
        partitioner=keyed_partitioner,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=256 * 1024,
        request_timeout_ms=15000,
    )


# Refusals no retry can change (a missing ACL until an operator grants it). An unknown topic
# is one only when the broker confirms it.
REFUSED_FOR_GOOD = (
    InvalidTopicError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
    TopicAuthorizationFailedError,
)


# After a failed round: half a second, doubling up to half a minute.
RELAY_BACKOFF = Backoff(0.5, cap=30.0)


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class RelayLease:
    """Who may relay a store now: held by one pass of rounds at a time, released when it ends.

    On PostgreSQL a transaction-level advisory lock, taken in the pass's transaction and
    let go when it ends (or by the connection, if the replica dies). On SQLite, whose
    replicas share one host, an exclusive `flock` on a file beside the store, let go by
    the pass or by the process's end. Neither has a timeout a slow pass could outlive.
    """

    PG_KEY = "tft.outbox.relay"

    def __init__(self, db: Database) -> None:
        store = db.engine.url.database
        self._path = f"{store}.relay-lock" if store and store != ":memory:" else None

    async def take(self, tx: AsyncSession) -> bool:
        """The PostgreSQL lease, held by the transaction `tx`; False if taken."""
        return bool(
            await tx.scalar(
                text("SELECT pg_try_advisory_xact_lock(hashtext(:key))"), {"key": self.PG_KEY}
            )
        )

    @contextmanager
    def file_lock(self) -> Iterator[bool]:
        """The SQLite lease for the block; False if another relay holds it."""
        if self._path is None:  # an in-memory store is this process's alone
            yield True
            return
        with open(self._path, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class Round(NamedTuple):
    """What one relay round did with its rows."""

    published: list[Any]  # rows as selected
    parked: list[tuple[Any, str]]  # (row, reason)
    error: BaseException | None  # a passing failure: the rest of the round is retried


class Sending(NamedTuple):
    """A round handed to the producer: `acknowledged` resolves with Kafka's answers."""

    rows: list[Any]  # as selected, in seq order
    sent: list[tuple[Any, asyncio.Future]]
    done: Round  # what the hand-over already decided (rows parked before sending)
    refused: list[tuple[Any, BaseException]]  # not sent: tried again one by one
    acknowledged: "asyncio.Future[list[Any]]"
    keys: frozenset[tuple[str, str]]  # (topic, key) of its rows


# Rounds in flight at once: one waits for its acknowledgements while the next is handed over.
ROUNDS_IN_FLIGHT = 2

Read = Callable[[Select], Awaitable[list[Any]]]


async def _all(tx: AsyncSession, query: Select) -> list[Any]:
    return list((await tx.execute(query)).all())


def _clear_of(rows: list[Any], flight: deque[Sending]) -> list[Any]:
    """The rows up to the first whose key is in flight: it waits until its round is settled
    (its earlier row may yet be refused or parked), and so does every row after it."""
    busy = frozenset().union(*(sending.keys for sending in flight))
    for i, row in enumerate(rows):
        if (row.topic, row.key) in busy:
            return rows[:i]
    return rows


class OutboxRelay:
    """Publishes the outbox in order and keeps retrying, with backoff, what it could not."""

    def __init__(
        self,
        db: Database,
        table: Table,
        producer_factory: Callable[[], AIOKafkaProducer],
        metrics: Metrics,
        batch_size: int = 500,
        poll_seconds: float = 0.5,
        clock: Clock = SYSTEM_CLOCK,
        tracing: Tracing = NO_TRACING,
    ) -> None:
        self.db = db
        self.table = table
        self.producer_factory = producer_factory
        self.metrics = metrics
        self.batch_size = batch_size
        self.tracing = tracing
        self.lease = RelayLease(db)
        self.clock = clock
        self.runner = Periodic(
            self.publish_all,
            poll_seconds,
            "outbox relay failed",
            backoff=RELAY_BACKOFF,
            on_failure=self._failed,
        )
        self._producer: AIOKafkaProducer | None = None
        self._backlog_measured_at = 0.0  # counting the backlog is a query: once a second

    def wake(self) -> None:
        """A commit staged rows: publish them now rather than at the next poll."""
        self.runner.wake()

    async def run(self) -> None:
        """Publish every `poll_seconds` (or when woken) until cancelled; a broker or store
        outage is retried with backoff, never dropped."""
        await self.runner.run()

    async def publish_all(self) -> int:
        """Publish until the outbox is empty, rounds overlapping; return how many rows it
        took up (0 while another relay of the store holds the lease)."""
        return await self._pass(overlap=True)

    async def _failed(self, _exc: Exception) -> None:
        self.metrics.outbox_publish_failures.inc()
        await self._reset_producer()

    async def publish_pending(self) -> int:
        """Publish one batch; return how many rows it took up (0 while another relay of
        the store holds the lease)."""
        return await self._pass(overlap=False)

    async def _pass(self, overlap: bool) -> int:
        """Under the lease: one round, or (`overlap`) rounds until the outbox is empty, each
        handed to the producer while the one before waits for its acknowledgements and
        marks. A round sends rows of no key still in flight, so no row overtakes an
        earlier one of its key, whatever becomes of that one."""
        async with self._leased() as read:
            if read is None:
                return 0
            flight: deque[Sending] = deque()
            taken = 0
            try:
                while True:
                    rows = await self._pending(read, flight)
                    batch = _clear_of(rows, flight)
                    if batch:
                        flight.append(await self._hand_over(batch))
                        taken += len(batch)
                    if not flight:
                        break
                    if not overlap or not batch or len(flight) == ROUNDS_IN_FLIGHT:
                        await self._settle(flight.popleft())
                    if not overlap:
                        break
            except asyncio.CancelledError:  # stopping: what is unmarked is sent again later
                for sending in flight:
                    sending.acknowledged.cancel()
                flight.clear()
                raise
            finally:
                await self._land(flight)
        await self._measure_backlog()
        return taken

    @asynccontextmanager
    async def _leased(self) -> AsyncIterator[Read | None]:
        """The lease for a pass, and how its rounds read (None: not leased).

        On PostgreSQL the lease's own transaction reads, so a lost lease stops the pass;
        at READ COMMITTED each read sees the marks committed since. SQLite's write lock is
        never held over a send; each read is a short session of its own."""
        if self.db.is_postgres:
            # `writing()`, not `db.transaction()`: that would wake this relay again after commit.
            async with self.db.writing() as tx:
                yield partial(_all, tx) if await self.lease.take(tx) else None
            return
        with self.lease.file_lock() as leased:
            yield self._read_alone if leased else None

    async def _read_alone(self, query: Select) -> list[Any]:
        async with self.db.sessions() as tx:
            return await _all(tx, query)

    async def _pending(self, read: Read, flight: deque["Sending"]) -> list[Any]:
        c = self.table.c
        parked = self.table.alias("parked")
        held = exists().where(
            parked.c.topic == c.topic,
            parked.c.key == c.key,
            parked.c.parked_at.is_not(None),
            parked.c.seq < c.seq,
        )
        query = (
            select(c.seq, c.topic, c.key, c.event_type, c.payload, c.headers)
            .where(c.published_at.is_(None), c.parked_at.is_(None), ~held)
            .order_by(c.seq)
            .limit(self.batch_size)
        )
        for sending in flight:  # in flight, or committed late among rows in flight
            query = query.where(~c.seq.between(sending.rows[0].seq, sending.rows[-1].seq))
        return await read(query)

    async def _settle(self, sending: "Sending") -> None:
        """Wait for a round's acknowledgements, mark its rows, and raise its passing failure."""
        done = await self._confirm(sending)
        async with self.db.writing() as tx:
            await self._mark(tx, done)
        await self._measure_backlog()
        if done.error is not None:
            raise done.error

    async def _land(self, flight: deque["Sending"]) -> None:
        """After a failure: the rounds still in flight are settled, so what Kafka
        acknowledged is marked; their own failures are left to the next pass."""
        while flight:
            sending = flight.popleft()
            try:
                await self._settle(sending)
            except asyncio.CancelledError:
                for rest in (sending, *flight):
                    rest.acknowledged.cancel()
                raise
            except Exception as exc:
                log.warning("outbox round not settled", error=repr(exc))

    async def _mark(self, tx: AsyncSession, done: Round) -> None:
        now = self.clock.now()
        if done.published:
            await tx.execute(
                update(self.table)
                .where(
                    one_of(self.table.c.seq, [r.seq for r in done.published], self.db.is_postgres)
                )
                .values(published_at=now)
            )
        for row, reason in done.parked:
            await tx.execute(
                update(self.table)
                .where(self.table.c.seq == row.seq)
                .values(parked_at=now, park_reason=reason[:2000])
            )
            self.metrics.outbox_parked.labels(row.topic).inc()
            log.error(
                "outbox row parked: kafka refuses it",
                topic=row.topic,
                key=row.key,
                seq=row.seq,
                reason=reason[:500],
            )
        for (topic, event_type), count in Counter(
            (row.topic, row.event_type) for row in done.published
        ).items():
            self.metrics.outbox_published.labels(topic, event_type).inc(count)

    async def _hand_over(self, rows) -> "Sending":
        """Hand the rows to the producer; a row refused before sending holds back the later
        rows of its key in this round."""
        producer = await self._ensure_producer()
        done = Round([], [], None)
        sent: list[tuple[Any, asyncio.Future]] = []
        refused: list[tuple[Any, BaseException]] = []
        troubled: set[tuple[str, str]] = set()
        for row in rows:
            if (row.topic, row.key) in troubled:  # never sent past its key's refused row
                refused.append((row, RuntimeError("behind a refused row")))
                continue
            try:
                sent.append((row, await self._deliver(producer, row)))
            except Exception as exc:  # refused before sending: no batch to blame
                troubled.add((row.topic, row.key))
                if await self._refused_for_good(exc, row.topic):
                    done.parked.append((row, _reason(exc)))
                else:
                    refused.append((row, exc))
        acknowledged = asyncio.gather(*(future for _, future in sent), return_exceptions=True)
        keys = frozenset((row.topic, row.key) for row in rows)
        return Sending(rows, sent, done, refused, acknowledged, keys)

    async def _confirm(self, sending: "Sending") -> Round:
        """The round's outcome once Kafka answered: those refused in a produce batch are
        tried again one by one, so that a row is parked only for its own sake, never for its
        batch's."""
        done, refused = sending.done, list(sending.refused)
        results = await sending.acknowledged
        for (row, _), result in zip(sending.sent, results, strict=True):
            if isinstance(result, BaseException):
                refused.append((row, result))
            else:
                done.published.append(row)
        if not refused:
            return done
        await self._reset_producer()  # an idempotent producer's sequence broke with the batch
        return await self._send_one_by_one([row for row, _ in refused], done)

    async def _send_one_by_one(self, rows, done: Round) -> Round:
        blocked = {(row.topic, row.key) for row, _ in done.parked}
        for row in sorted(rows, key=lambda r: r.seq):
            if (row.topic, row.key) in blocked:
                continue  # held behind its key's parked row
            try:
                await (await self._deliver(await self._ensure_producer(), row))
                done.published.append(row)
            except Exception as exc:
                if not await self._refused_for_good(exc, row.topic):
                    return done._replace(error=exc)
                done.parked.append((row, _reason(exc)))
                blocked.add((row.topic, row.key))
                await self._reset_producer()
        return done

    async def _deliver(self, producer: AIOKafkaProducer, row) -> asyncio.Future:
        """Hand the row to the producer: the future is done when Kafka acknowledged it."""
        headers = from_json(row.headers)
        span = self.tracing.sending(row.topic, headers)
        try:
            sending = await producer.send(
                row.topic,
                value=row.payload.encode(),
                key=row.key.encode(),
                headers=[(k, v.encode()) for k, v in headers],
            )
        except Exception as exc:
            end_span(span, exc)
            raise
        end_span_when_done(span, sending)
        return sending

    async def _refused_for_good(self, exc: BaseException, topic: str) -> bool:
        if isinstance(exc, REFUSED_FOR_GOOD):
            return True
        if not isinstance(exc, UnknownTopicOrPartitionError):
            return False
        # Also what a broker outage looks like: the topic is missing only if a broker that
        # answers does not list it.
        try:
            metadata = await (await self._ensure_producer()).client.fetch_all_metadata()
        except Exception:
            return False
        return topic not in metadata.topics()

    async def _measure_backlog(self) -> None:
        if self.clock.monotonic() - self._backlog_measured_at > 1.0:
            await self.refresh_backlog()

    async def refresh_backlog(self) -> None:
        c = self.table.c
        async with self.db.sessions() as tx:
            backlog, parked = (
                await tx.execute(
                    select(func.count(), func.count(c.parked_at)).where(c.published_at.is_(None))
                )
            ).one()
        self.metrics.outbox_backlog.set(backlog)
        self.metrics.outbox_parked_rows.set(parked)
        self._backlog_measured_at = self.clock.monotonic()

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self.producer_factory()
            await producer.start()
            self._producer = producer
        return self._producer

    async def _reset_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                await producer.stop()
            except Exception as exc:
                log.warning("producer stop failed", error=repr(exc))

    async def close(self) -> None:
        await self._reset_producer()
