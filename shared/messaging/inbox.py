"""Idempotent consumers: the effect and the event id are committed in one transaction.

A batch from Kafka is first applied in one transaction (the fast path). If any message in
it fails, the batch is rolled back and applied one message at a time, in order. A message
that fails stops the batch there: the consumer seeks back to the batch's first offsets (a
nack), waits with backoff and reads the batch again, so nothing after it is committed while
it fails. On its last attempt (`max_attempts`) that one message goes to `<topic>.dlt` with
the reason in its headers and the consumer carries on. A message that cannot be decoded, or
whose envelope `source` is not the topic's owner, goes there at once. Offsets are committed
only after all of that (FastStream's ack policy is MANUAL), so a crash redelivers, and the
inbox turns the redelivery into a no-op.
Store or broker outages are not the message's fault: those are retried until they pass.
"""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from aiokafka import AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import KafkaError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage, Topic
from faststream.message import StreamMessage
from pydantic import ValidationError
from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from structlog.contextvars import bound_contextvars

from shared.backoff import Backoff
from shared.clock import SYSTEM_CLOCK, Clock
from shared.contracts.base import (
    IntegrationEvent,
    UnknownEventType,
    older_types,
    parse_event,
    parse_event_json,
)
from shared.contracts.topics import dead_letter_topic, event_source, owner
from shared.errors import is_transient
from shared.messaging.envelope import Envelope, EnvelopeError
from shared.observability.logging import CORRELATION_ID, REQUEST_ID, log
from shared.observability.metrics import Metrics
from shared.observability.tracing import NO_TRACING, Tracing
from shared.periodic import Sleep, retry
from shared.store.db import Database, one_of

E = TypeVar("E", bound=IntegrationEvent)
# A handler of one contract: it is typed by the event it takes, so its body sees the fields.
Handler = Callable[[AsyncSession, E, Envelope], Awaitable[None]]
# What a consumer applies: each contract with its handler (built with `handle`).
Handlers = dict[type[IntegrationEvent], Handler[Any]]
Position = tuple[str, int, int]  # topic, partition, offset
# A batch read again waits at most this long; a store outage is looked at again this often.
MAX_BACKOFF_SECONDS = 30.0
MAX_OUTAGE_WAIT_SECONDS = 10.0
# A dead letter must land before its offset is committed: tried again every second.
DEAD_LETTER_BACKOFF = Backoff.constant(1.0)


def handle(contract: type[E], handler: Handler[E]) -> Handlers:
    """`contract` applied by `handler`, checked to agree; join several with `|`."""
    return {contract: handler}


class PoisonMessage(Exception):
    """A message that can never be applied (bad envelope, bad payload, unknown type)."""


class EventFailed(Exception):
    """A message failed short of its last attempt: its batch is read again after a backoff."""

    def __init__(self, record: ConsumerRecord, attempts: int) -> None:
        super().__init__(
            f"{record.topic}[{record.partition}]@{record.offset} failed (attempt {attempts})"
        )
        self.attempts = attempts


async def _undecoded(message: StreamMessage[Any]) -> Any:
    """The records as they came: FastStream would parse every body as JSON for nothing,
    since `process` decodes the payloads it applies itself."""
    return message.raw_message


def position(record: ConsumerRecord) -> Position:
    return record.topic, record.partition, record.offset


@dataclass(frozen=True)
class Delivery:
    record: ConsumerRecord
    envelope: Envelope
    event: IntegrationEvent


def _check_source(envelope: Envelope, topic: str) -> None:
    """Only a topic's owner publishes on it: an event from any other source is not believed,
    whoever managed to write it."""
    try:
        expected = event_source(owner(topic))
    except ValueError as exc:
        raise PoisonMessage(str(exc)) from exc
    if envelope.source != expected:
        raise PoisonMessage(
            f"source {envelope.source!r} is not the owner of {topic} ({expected!r})"
        )


class EventConsumer:
    """One consumer group: applies the events it has handlers for, skips the rest."""

    def __init__(
        self,
        name: str,
        topics: Sequence[str],
        handlers: Handlers,
        db: Database,
        inbox: Table,
        metrics: Metrics,
        dlt_producer: Callable[[], Awaitable[AIOKafkaProducer]],
        max_attempts: int = 3,
        backoff_seconds: float = 0.2,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = SYSTEM_CLOCK,
        tracing: Tracing = NO_TRACING,
    ) -> None:
        self.name = name
        self.topics = list(topics)
        # An old version of a contract goes to the handler of the version it is upcast to.
        self.handlers = {
            event_type: handler
            for model, handler in handlers.items()
            for event_type in (model.event_type, *older_types(model.event_type))
        }
        self.db = db
        self.inbox = inbox
        self.metrics = metrics
        self.dlt_producer = dlt_producer
        self.max_attempts = max_attempts
        self.batch_backoff = Backoff(backoff_seconds, cap=MAX_BACKOFF_SECONDS)
        self.outage_backoff = Backoff(2 * backoff_seconds, cap=MAX_OUTAGE_WAIT_SECONDS)
        self.sleep = sleep
        self.clock = clock
        self.tracing = tracing
        # Failed attempts per message, kept while it is retried. After a restart or a
        # rebalance a message starts counting again: more retries, never fewer.
        self._attempts: dict[Position, int] = {}
        self._failed_batches = 0

    def subscribe(self, broker: KafkaBroker, batch_size: int = 500) -> None:
        @broker.subscriber(
            # ops creates the topics with their partitions; a service may not (ACLs)
            *(Topic(topic, declare=False) for topic in self.topics),
            group_id=self.name,
            batch=True,
            max_records=batch_size,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.MANUAL,
            decoder=_undecoded,
            title=f"{self.name}",
        )
        async def on_batch(message: KafkaMessage) -> None:
            records = message.raw_message
            try:
                await self.process(records if isinstance(records, tuple) else (records,))
            except Exception as exc:  # unfinished: never let a later commit move past it
                await self.retry_later(message, exc)
                return
            self._failed_batches = 0
            await message.ack()

    async def retry_later(self, message: KafkaMessage, error: Exception) -> None:
        """Seek back to the batch's first offsets and wait: the next read is this batch."""
        await message.nack()
        self._failed_batches += 1
        delay = self.batch_backoff.delay(self._failed_batches)
        log.warning(
            "batch not finished, reading it again",
            consumer=self.name,
            error=repr(error),
            retry_in=delay,
        )
        await self.sleep(delay)

    async def process(self, records: Sequence[ConsumerRecord]) -> None:
        """Apply a batch, or raise with nothing after the failed message applied."""
        deliveries = []
        for record in records:
            try:
                delivery = self.decode(record)
            except PoisonMessage as exc:
                await self.dead_letter(record, exc, attempts=1)
                continue
            except Exception as exc:  # a fault of ours, not the message's: retry it
                await self._failed(record, exc)
                continue
            if delivery is not None:
                deliveries.append(delivery)
        if not deliveries:
            return
        try:
            await self._apply_all(deliveries)
        except Exception as exc:
            log.warning("batch failed, applying one by one", consumer=self.name, error=repr(exc))
            for delivery in deliveries:
                await self._apply_one(delivery)
        for delivery in deliveries:
            self._attempts.pop(position(delivery.record), None)

    def decode(self, record: ConsumerRecord) -> Delivery | None:
        try:
            envelope = Envelope.from_headers(record.headers)
        except EnvelopeError as exc:
            raise PoisonMessage(str(exc)) from exc
        _check_source(envelope, record.topic)
        if envelope.type not in self.handlers:
            try:
                parse_event(envelope.type, {})
            except UnknownEventType as exc:
                raise PoisonMessage(str(exc)) from exc
            except ValidationError:
                pass  # a known type this consumer does not care about
            self.tracing.skipped(self.name, record, envelope)
            return None
        try:
            event = parse_event_json(envelope.type, record.value or b"")
        except (ValueError, ValidationError) as exc:
            raise PoisonMessage(f"invalid payload for {envelope.type}: {exc}") from exc
        return Delivery(record, envelope, event)

    async def _apply_all(self, deliveries: list[Delivery]) -> None:
        async with self.db.transaction() as tx:
            await self._apply(tx, deliveries)

    async def _apply_one(self, delivery: Delivery) -> None:
        try:
            await retry(
                lambda: self._apply_all([delivery]),
                self.outage_backoff,
                "store unavailable, retrying",
                retry_on=is_transient,
                sleep=self.sleep,
                consumer=self.name,
            )
        except Exception as exc:
            if isinstance(exc, IntegrityError) and await self._is_applied(delivery.envelope.id):
                return  # another instance applied it concurrently
            await self._failed(delivery.record, exc)

    async def _failed(self, record: ConsumerRecord, error: Exception) -> None:
        """Count a failed attempt: dead-letter the message on its last one, else raise so
        that its batch is read again."""
        attempts = self._attempts.pop(position(record), 0) + 1
        if attempts >= self.max_attempts:
            await self.dead_letter(record, error, attempts)
            return
        self._attempts[position(record)] = attempts
        log.warning(
            "event failed, retrying",
            consumer=self.name,
            error=repr(error),
            attempt=attempts,
            topic=record.topic,
            offset=record.offset,
        )
        raise EventFailed(record, attempts) from error

    async def _apply(self, tx: AsyncSession, deliveries: list[Delivery]) -> None:
        """Record the new event ids in one statement, then apply each event's effect."""
        seen = await self._already_applied(tx, [d.envelope.id for d in deliveries])
        fresh: dict[str, Delivery] = {}
        for delivery in deliveries:
            if delivery.envelope.id in seen or delivery.envelope.id in fresh:
                self.metrics.duplicates.labels(self.name).inc()
            else:
                fresh[delivery.envelope.id] = delivery
        if not fresh:
            return
        now = self.clock.now()
        await tx.execute(
            self.inbox.insert(),
            [
                {
                    "consumer": self.name,
                    "event_id": d.envelope.id,
                    "event_type": d.envelope.type,
                    "processed_at": now,
                }
                for d in fresh.values()
            ],
        )
        for delivery in fresh.values():
            await self._handle(tx, delivery)
        applied = Counter(delivery.envelope.type for delivery in fresh.values())
        for event_type, count in applied.items():
            self.metrics.consumed.labels(self.name, event_type).inc(count)

    async def _handle(self, tx: AsyncSession, delivery: Delivery) -> None:
        """Apply one event in the trace and with the ids its message carries, so the events
        its handler writes carry them on."""
        envelope = delivery.envelope
        context = {CORRELATION_ID: envelope.correlation_id, "event_id": envelope.id}
        if envelope.request_id:
            context[REQUEST_ID] = envelope.request_id
        with (
            bound_contextvars(**context),
            self.tracing.processing(self.name, delivery.record, envelope),
        ):
            await self.handlers[envelope.type](tx, delivery.event, envelope)
            log.info("event applied", consumer=self.name, event_type=envelope.type)

    async def _already_applied(self, tx: AsyncSession, event_ids: list[str]) -> set[str]:
        c = self.inbox.c
        rows = await tx.execute(
            select(c.event_id).where(
                c.consumer == self.name, one_of(c.event_id, event_ids, self.db.is_postgres)
            )
        )
        return set(rows.scalars())

    async def _is_applied(self, event_id: str) -> bool:
        async with self.db.sessions() as tx:
            return bool(await self._already_applied(tx, [event_id]))

    async def dead_letter(self, record: ConsumerRecord, error: Exception, attempts: int) -> None:
        reason = str(error) or repr(error)
        headers = list(record.headers or ()) + [
            ("dlt_reason", reason[:2000].encode()),
            ("dlt_error_type", type(error).__name__.encode()),
            ("dlt_consumer", self.name.encode()),
            ("dlt_attempts", str(attempts).encode()),
            ("dlt_original_topic", record.topic.encode()),
            ("dlt_original_partition", str(record.partition).encode()),
            ("dlt_original_offset", str(record.offset).encode()),
        ]
        topic = dead_letter_topic(record.topic)

        async def publish() -> None:
            producer = await self.dlt_producer()
            await producer.send_and_wait(topic, value=record.value, key=record.key, headers=headers)

        await retry(
            publish,
            DEAD_LETTER_BACKOFF,
            "dead-letter publish failed, retrying",
            retry_on=lambda exc: isinstance(exc, KafkaError),
            sleep=self.sleep,
        )
        self.metrics.dead_letters.labels(record.topic).inc()
        log.error(
            "message dead-lettered",
            consumer=self.name,
            topic=record.topic,
            offset=record.offset,
            reason=reason[:500],
        )
