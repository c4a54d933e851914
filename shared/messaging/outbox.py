"""Transactional outbox: events are rows written in the same transaction as the state change.

`Outbox.stage` adds them to the caller's session; `OutboxRelay` publishes committed rows
with an idempotent producer (acks=all) and marks them published. A crash between commit
and publish only delays the events; a crash between publish and mark publishes them again,
which the consumers' inbox absorbs.
"""

import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.base import IntegrationEvent
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


def idempotent_producer(bootstrap: str, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=256 * 1024,
        request_timeout_ms=15000,
    )


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
        """Publish one batch; return how many rows it published."""
        c = self.table.c
        query = (
            select(c.seq, c.topic, c.key, c.payload, c.headers)
            .where(self.table.c.published_at.is_(None))
            .order_by(self.table.c.seq)
            .limit(self.batch_size)
        )
        # `writing()`, not `db.transaction()`: that would wake this relay again after commit.
        if self.db.is_postgres:  # several replicas may relay one store: each locks its rows
            async with self.db.writing() as session:
                rows = (await session.execute(query.with_for_update(skip_locked=True))).all()
                if rows:
                    await self._send(rows)
                    await self._mark_published(session, rows)
        else:  # one relay per embedded store: SQLite's write lock is not held over the send
            async with self.db.sessions() as session:
                rows = (await session.execute(query)).all()
            if rows:
                await self._send(rows)
                async with self.db.writing() as session:
                    await self._mark_published(session, rows)
        if time.monotonic() - self._backlog_measured_at > 1.0:
            await self.refresh_backlog()
        return len(rows)

    async def _mark_published(self, session: AsyncSession, rows) -> None:
        await session.execute(
            update(self.table)
            .where(self.table.c.seq.in_([r.seq for r in rows]))
            .values(published_at=datetime.now(UTC))
        )

    async def _send(self, rows) -> None:
        producer = await self._ensure_producer()
        deliveries = [
            await producer.send(
                row.topic,
                value=row.payload.encode(),
                key=row.key.encode(),
                headers=[(k, v.encode()) for k, v in json.loads(row.headers)],
            )
            for row in rows
        ]
        await asyncio.gather(*deliveries)
        for row in rows:
            self.metrics.outbox_published.labels(row.topic).inc()

    async def refresh_backlog(self) -> None:
        async with self.db.sessions() as session:
            backlog = await session.scalar(
                select(func.count()).where(self.table.c.published_at.is_(None))
            )
        self.metrics.outbox_backlog.set(backlog or 0)
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
