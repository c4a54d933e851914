"""Wiring every service shares: one place builds the store, broker, relay and HTTP app.

A service describes itself with a `ServiceSpec` (tables, routes, consumers, demo data) and
gets `python -m services.<name> migrate|serve` from `main`. Nothing connects at import time.
"""

import argparse
import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import uvicorn
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from sqlalchemy import MetaData

from shared.contracts.base import IntegrationEvent
from shared.http import SERVER_KEEP_ALIVE_SECONDS, install_http
from shared.messaging.inbox import EventConsumer, Handler
from shared.messaging.lag import LagMonitor
from shared.messaging.outbox import Outbox, OutboxRelay, idempotent_producer
from shared.messaging.retention import Retention
from shared.messaging.tables import MessagingTables
from shared.observability.logging import configure_logging, log
from shared.observability.metrics import Metrics
from shared.settings import ServiceSettings
from shared.store.db import Database, create_engine
from shared.store.migrations import upgrade
from shared.store.requests import IdempotentRequests


@dataclass(frozen=True)
class ConsumerSpec:
    """A consumer group: `handlers(runtime)` maps each contract it applies to its handler."""

    name: str
    topics: Sequence[str]
    handlers: Callable[["Runtime"], dict[type[IntegrationEvent], Handler]]


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    metadata: MetaData | None
    messaging: MessagingTables | None
    routes: Callable[["Runtime"], APIRouter]
    consumers: Sequence[ConsumerSpec] = ()
    seed: Callable[["Runtime"], Awaitable[None]] | None = None
    settings: type[ServiceSettings] = ServiceSettings
    extra_tasks: Sequence[Callable[["Runtime"], Awaitable[None]]] = field(default_factory=tuple)


class Runtime:
    """The running parts of one service process."""

    def __init__(self, spec: ServiceSpec, settings: ServiceSettings) -> None:
        self.spec = spec
        self.settings = settings
        self.metrics = Metrics()
        # A service without tables (the gateway) has no store.
        self.db: Database | None = None
        if spec.metadata is not None:
            self.db = Database(create_engine(settings.resolved_database_url()))
        self.broker = KafkaBroker(
            # A cluster's addresses, comma-separated: FastStream takes one string as one host.
            settings.kafka_bootstrap.split(","),
            client_id=f"tft-{spec.name}",
            log_level=logging.DEBUG,  # one line per message is noise; our consumer logs JSON
            middlewares=[KafkaPrometheusMiddleware(registry=self.metrics.registry,
                                                   app_name=spec.name)],
        )
        self.outbox: Outbox | None = None
        self.relay: OutboxRelay | None = None
        self.retention: Retention | None = None
        if spec.messaging is not None:
            assert self.db is not None, "the outbox and inbox live in the service's store"
            self.outbox = Outbox(spec.messaging.outbox, source=f"/tft/{spec.name}")
            self.relay = OutboxRelay(
                self.db, spec.messaging.outbox, self._producer, self.metrics,
                batch_size=settings.outbox_batch_size, poll_seconds=settings.outbox_poll_seconds,
            )
            self.db.on_commit(self.relay.wake)
            self.retention = Retention(
                self.db, spec.messaging, self.metrics,
                outbox_keep=timedelta(hours=settings.outbox_retention_hours),
                inbox_keep=timedelta(hours=settings.inbox_retention_hours),
                interval_seconds=settings.retention_interval_seconds,
                batch_size=settings.retention_batch_size,
            )
        self.consumers = [self._consumer(c) for c in spec.consumers]
        self._dlt: AIOKafkaProducer | None = None
        self._tasks: list[asyncio.Task] = []
        self.broker_started = asyncio.Event()

    def _producer(self) -> AIOKafkaProducer:
        return idempotent_producer(self.settings.kafka_bootstrap, f"tft-{self.spec.name}-relay")

    def _consumer(self, spec: ConsumerSpec) -> EventConsumer:
        assert self.spec.messaging is not None and self.db is not None, "consumers need an inbox"
        consumer = EventConsumer(
            name=spec.name,
            topics=spec.topics,
            handlers=spec.handlers(self),
            db=self.db,
            inbox=self.spec.messaging.inbox,
            metrics=self.metrics,
            dlt_producer=self._dead_letter_producer,
            max_attempts=self.settings.consumer_max_attempts,
            backoff_seconds=self.settings.consumer_retry_backoff_seconds,
        )
        consumer.subscribe(self.broker, batch_size=self.settings.consumer_batch_size)
        return consumer

    async def _dead_letter_producer(self) -> AIOKafkaProducer:
        if self._dlt is None:
            producer = self._producer()
            await producer.start()
            self._dlt = producer
        return self._dlt

    async def start(self) -> None:
        if self.settings.demo and self.spec.seed is not None:
            await self.spec.seed(self)
        self._spawn(self._start_broker())
        if self.relay is not None and self.settings.outbox_relay:
            self._spawn(self.relay.run())
        if self.retention is not None:
            self._spawn(self.retention.run())
        if self.consumers:
            groups = {c.name: c.topics for c in self.consumers}
            self._spawn(LagMonitor(self.settings.kafka_bootstrap, groups, self.metrics).run())
        for task in self.spec.extra_tasks:
            self._spawn(task(self))

    def _spawn(self, coro: Awaitable[None]) -> None:
        self._tasks.append(asyncio.ensure_future(coro))

    async def _start_broker(self) -> None:
        """Consumers start when Kafka is there; HTTP and the outbox work without it."""
        if not self.consumers:
            self.broker_started.set()
            return
        attempt = 0
        while True:
            try:
                await self.broker.start()
                self.broker_started.set()
                log.info("consumers started", groups=[c.name for c in self.consumers])
                return
            except Exception as exc:
                attempt += 1
                log.warning("kafka unavailable, retrying", error=repr(exc), attempt=attempt)
                with suppress(Exception):
                    await self.broker.stop()
                await asyncio.sleep(min(10.0, 0.5 * attempt))

    async def ready(self) -> None:
        if self.db is not None:
            await self.db.ping()
        if not self.broker_started.is_set():
            raise RuntimeError("consumers not connected to Kafka yet")

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with suppress(BaseException):
                await task
        with suppress(Exception):
            await self.broker.stop()
        if self.relay is not None:
            await self.relay.close()
        if self._dlt is not None:
            with suppress(Exception):
                await self._dlt.stop()
        if self.db is not None:
            await self.db.dispose()


def create_app(spec: ServiceSpec, settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or spec.settings(service=spec.name)
    configure_logging(spec.name, settings.log_level)
    runtime = Runtime(spec, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        await runtime.start()
        log.info("service started", port=settings.http_port)
        yield
        await runtime.stop()

    app = FastAPI(title=spec.title, lifespan=lifespan)
    app.state.runtime = runtime
    if runtime.db is not None:
        app.add_middleware(IdempotentRequests, database=runtime.db)
    install_http(app, runtime.metrics, runtime.ready)  # outermost: ids and metrics for all
    app.include_router(spec.routes(runtime))
    return app


def main(spec: ServiceSpec, argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m services.{spec.name}")
    parser.add_argument("command", choices=["migrate", "serve"],
                        help="migrate: upgrade the store to the newest schema; serve: run")
    args = parser.parse_args(argv)
    settings = spec.settings(service=spec.name)
    if args.command == "migrate":
        configure_logging(spec.name, settings.log_level)
        if spec.metadata is not None:
            upgrade(spec.name, settings.resolved_database_url())
            log.info("store migrated")
        return
    serve(create_app(spec, settings), settings)


def server_config(app: Any, settings: ServiceSettings) -> uvicorn.Config:
    """How every service (and the gateway) serves HTTP: forwarded headers only from the
    configured proxies, keep-alive outlasting the callers' pools, a graceful stop."""
    return uvicorn.Config(
        app, host=settings.http_host, port=settings.http_port, log_config=None,
        access_log=False, server_header=False, timeout_graceful_shutdown=10,
        timeout_keep_alive=SERVER_KEEP_ALIVE_SECONDS,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None)


def serve(app: Any, settings: ServiceSettings) -> None:
    uvicorn.Server(server_config(app, settings)).run()
