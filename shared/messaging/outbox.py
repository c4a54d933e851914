"""Transactional outbox: events are rows written in the same transaction as the state change.

`Outbox.stage` adds them to the caller's session; `OutboxRelay` publishes committed rows
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
"""

import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
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
from sqlalchemy import Table, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.base import IntegrationEvent
from shared.messaging.connection import KafkaConnection
from shared.messaging.envelope import Envelope
from shared.observability.logging import current_correlation_id, current_request_id, log
from shared.observability.metrics import Metrics
from shared.store.db import Database


class Outbox:
    """Stages integration events in a unit of work."""

    def __init__(self, table: Table, source: str) -> None:
        self.table = table
        self.source = source

    async def stage(self, session: AsyncSession, *events: IntegrationEvent) -> list[Envelope]:
        envelopes, rows = [], []
        for event in events:
            envelope = Envelope.new(
                type=event.event_type,
                source=self.source,
                subject=event.subject(),
                correlation_id=current_correlation_id(),
                request_id=current_request_id(),
            )
            envelopes.append(envelope)
            rows.append(
                {
                    "event_id": envelope.id,
                    "topic": event.topic,
                    "key": event.key(),
                    "event_type": event.event_type,
                    "payload": event.model_dump_json(),
                    "headers": json.dumps([(k, v.decode()) for k, v in envelope.to_headers()]),
                    "created_at": envelope.time,
                }
            )
        if rows:
            await session.execute(self.table.insert(), rows)
        return envelopes


def idempotent_producer(kafka: KafkaConnection, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **kafka.options(),
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=256 * 1024,
        request_timeout_ms=15000,
    )


# Refusals no retry can change (a missing ACL until an operator grants it). An unknown topic
# is one only when the broker confirms it.
REFUSED_FOR_GOOD = (InvalidTopicError, MessageSizeTooLargeError, RecordListTooLargeError,
                    RecordTooLargeError, TopicAuthorizationFailedError)


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class Round(NamedTuple):
    """What one relay round did with its rows."""

    published: list[Any]  # rows as selected
    parked: list[tuple[Any, str]]  # (row, reason)
    error: BaseException | None  # a passing failure: the rest of the round is retried


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
    ) -> None:
        self.db = db
        self.table = table
        self.producer_factory = producer_factory
        self.metrics = metrics
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._backlog_measured_at = 0.0  # counting the backlog is a query: once a second

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        failures = 0
        while True:
            try:
                while await self.publish_pending() == self.batch_size:
                    pass  # a full batch: more may be waiting
                failures = 0
                await self._sleep(self.poll_seconds)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker or store down: retry, never drop
                failures += 1
                self.metrics.outbox_publish_failures.inc()
                log.warning("outbox relay failed", error=repr(exc), attempt=failures)
                await self._reset_producer()
                await self._sleep(min(30.0, 0.25 * 2**failures))

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            pass
        self._wake.clear()

    async def publish_pending(self) -> int:
        """Publish one batch; return how many rows it took up."""
        c = self.table.c
        parked = self.table.alias("parked")
        held = exists().where(parked.c.topic == c.topic, parked.c.key == c.key,
                              parked.c.parked_at.is_not(None), parked.c.seq < c.seq)
        query = (
            select(c.seq, c.topic, c.key, c.payload, c.headers)
            .where(c.published_at.is_(None), c.parked_at.is_(None), ~held)
            .order_by(c.seq)
            .limit(self.batch_size)
        )
        # `writing()`, not `db.transaction()`: that would wake this relay again after commit.
        if self.db.is_postgres:  # several replicas may relay one store: each locks its rows
            async with self.db.writing() as session:
                rows = (await session.execute(query.with_for_update(skip_locked=True))).all()
                done = await self._send(rows) if rows else None
                if done:
                    await self._settle(session, done)
        else:  # one relay per embedded store: SQLite's write lock is not held over the send
            async with self.db.sessions() as session:
                rows = (await session.execute(query)).all()
            done = await self._send(rows) if rows else None
            if done:
                async with self.db.writing() as session:
                    await self._settle(session, done)
        if time.monotonic() - self._backlog_measured_at > 1.0:
            await self.refresh_backlog()
        if done and done.error is not None:
            raise done.error
        return len(rows)

    async def _settle(self, session: AsyncSession, done: Round) -> None:
        now = datetime.now(UTC)
        if done.published:
            await session.execute(
                update(self.table)
                .where(self.table.c.seq.in_([r.seq for r in done.published]))
                .values(published_at=now)
            )
        for row, reason in done.parked:
            await session.execute(update(self.table).where(self.table.c.seq == row.seq)
                                  .values(parked_at=now, park_reason=reason[:2000]))
            self.metrics.outbox_parked.labels(row.topic).inc()
            log.error("outbox row parked: kafka refuses it", topic=row.topic, key=row.key,
                      seq=row.seq, reason=reason[:500])
        for row in done.published:
            self.metrics.outbox_published.labels(row.topic).inc()

    async def _send(self, rows) -> Round:
        """Send the rows together; those refused in a produce batch are tried again one by
        one, so that a row is parked only for its own sake, never for its batch's."""
        producer = await self._ensure_producer()
        done = Round([], [], None)
        refused: list[tuple[Any, BaseException]] = []
        sent, troubled = [], set()
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
        results = await asyncio.gather(*(future for _, future in sent), return_exceptions=True)
        for (row, _), result in zip(sent, results, strict=True):
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
        return await producer.send(
            row.topic,
            value=row.payload.encode(),
            key=row.key.encode(),
            headers=[(k, v.encode()) for k, v in json.loads(row.headers)],
        )

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

    async def refresh_backlog(self) -> None:
        c = self.table.c
        async with self.db.sessions() as session:
            backlog, parked = (await session.execute(
                select(func.count(), func.count(c.parked_at)).where(c.published_at.is_(None))
            )).one()
        self.metrics.outbox_backlog.set(backlog)
        self.metrics.outbox_parked_rows.set(parked)
        self._backlog_measured_at = time.monotonic()

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
