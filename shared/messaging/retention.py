"""Retention: published outbox rows and old inbox rows are deleted after a configurable time.

A periodic job in every service with an outbox. Each round deletes in bounded batches (a
short transaction each, so SQLite's write lock and PostgreSQL's row locks are held
briefly). The deletes are plain and idempotent, so several replicas may run the job at
once: a row one of them deleted is simply not there for the other. Unpublished and parked
outbox rows are never deleted. The inbox keeps an event id as long as a redelivery of it
may still come (a replay of a dead letter, a group reset): keep it longer than that. The
requests carried out by Idempotency-Key go with the outbox's time: far longer than a client
retries (the gateway keeps a key a day).
"""

from datetime import datetime, timedelta
from typing import NamedTuple, cast

from sqlalchemy import CursorResult, Table, delete, select, tuple_

from shared.clock import SYSTEM_CLOCK, Clock
from shared.messaging.tables import MessagingTables
from shared.observability.logging import log
from shared.observability.metrics import Metrics
from shared.periodic import Periodic
from shared.store.db import Database
from shared.store.requests import REQUESTS


class Pruned(NamedTuple):
    outbox: int
    inbox: int
    requests: int


class Retention:
    def __init__(
        self,
        db: Database,
        tables: MessagingTables,
        metrics: Metrics,
        outbox_keep: timedelta,
        inbox_keep: timedelta,
        interval_seconds: float = 3600.0,
        batch_size: int = 1000,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.db = db
        self.tables = tables
        self.metrics = metrics
        self.outbox_keep = outbox_keep
        self.inbox_keep = inbox_keep
        self.interval = interval_seconds
        self.batch_size = batch_size
        self.clock = clock

    async def run(self) -> None:
        """Prune every `interval` seconds; a round the store missed, the next catches up."""
        await Periodic(self._prune_now, self.interval, "retention failed").run()

    async def _prune_now(self) -> None:
        pruned = await self.prune(self.clock.now())
        if any(pruned):
            log.info("retention pruned", **pruned._asdict())

    async def prune(self, now: datetime) -> "Pruned":
        """Delete what is past its time; say how many rows of each table went."""
        outbox, inbox = self.tables.outbox, self.tables.inbox
        published = await self._delete_all(
            outbox, [outbox.c.seq], outbox.c.published_at < now - self.outbox_keep
        )
        processed = await self._delete_all(
            inbox,
            [inbox.c.consumer, inbox.c.event_id],
            inbox.c.processed_at < now - self.inbox_keep,
        )
        answered = await self._delete_all(
            REQUESTS,
            [REQUESTS.c.caller, REQUESTS.c.key],
            REQUESTS.c.created_at < now - self.outbox_keep,
        )
        return Pruned(published, processed, answered)

    async def _delete_all(self, table: Table, key: list, expired) -> int:
        deleted = 0
        while True:
            batch = select(*key).where(expired).limit(self.batch_size)
            async with self.db.writing() as tx:
                result = cast(
                    CursorResult,
                    await tx.execute(delete(table).where(tuple_(*key).in_(batch))),
                )
            count = result.rowcount or 0
            deleted += count
            self.metrics.retention_pruned.labels(table.name).inc(count)
            if count < self.batch_size:
                return deleted
