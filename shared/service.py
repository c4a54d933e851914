"""Wiring every service shares: one place builds the store, broker, relay and HTTP app.

A service describes itself with a `ServiceSpec` (tables, routes, consumers, demo data) and
gets `python -m services.<name> migrate|serve` from `main`. Nothing connects at import time.
"""

import argparse
import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic

import uvicorn
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from sqlalchemy import MetaData
from typing_extensions import TypeVar

from shared.auth import Authentication, GatewayTokens
from shared.backoff import Backoff
from shared.clock import Clock
from shared.contracts.topics import event_source
from shared.http import SERVER_KEEP_ALIVE_SECONDS, install_http
from shared.messaging.inbox import EventConsumer, Handlers
from shared.messaging.lag import LagMonitor
from shared.messaging.outbox import Outbox, OutboxRelay, idempotent_producer
from shared.messaging.retention import Retention
from shared.messaging.tables import MessagingTables
from shared.observability.logging import configure_logging, log
from shared.observability.metrics import Metrics
from shared.observability.tracing import Tracing
from shared.periodic import retry
from shared.settings import ServiceSettings
from shared.store.db import Database, create_engine
from shared.store.migrations import upgrade
from shared.store.requests import IdempotentRequests
from shared.store.versions import Preconditions

# The settings a service runs with: its own subclass, so its code reads its own fields. A
# runtime hands its settings out (covariant), a consumer's handlers take a runtime in
# (contravariant), a spec does both (invariant).
S = TypeVar("S", bound=ServiceSettings, default=ServiceSettings)
S_co = TypeVar("S_co", bound=ServiceSettings, covariant=True, default=ServiceSettings)
S_contra = TypeVar("S_contra", bound=ServiceSettings, contravariant=True, default=ServiceSettings)
# Consumers wait for Kafka at startup: soon at first, every ten seconds at the most.
KAFKA_BACKOFF = Backoff(0.5, cap=10.0)


@dataclass(frozen=True, kw_only=True)
class ConsumerSpec(Generic[S_contra]):
    """A consumer group: `handlers(runtime)` maps each contract it applies to its handler."""

    name: str
    topics: Sequence[str]
    handlers: Callable[["Runtime[S_contra]"], Handlers]


@dataclass(frozen=True, kw_only=True)
class ServiceSpec(Generic[S]):
    """A service with a store of its own: tables, outbox and inbox, consumers, demo data."""

    name: str
    title: str
    metadata: MetaData
    messaging: MessagingTables
    routes: Callable[["Runtime[S]"], APIRouter]
    settings: type[S]
    consumers: Sequence[ConsumerSpec[S]] = ()
    seed: Callable[["Runtime[S]"], Awaitable[None]] | None = None
    extra_tasks: Sequence[Callable[["Runtime[S]"], Awaitable[None]]] = ()


@dataclass(frozen=True, kw_only=True)
class LeanSpec(Generic[S]):
    """A service without events (the gateway): HTTP routes, and a store of its own for the
    state its replicas share."""

    name: str
    title: str
    metadata: MetaData
    routes: Callable[["LeanRuntime[S]"], APIRouter]
    settings: type[S]
    extra_tasks: Sequence[Callable[["LeanRuntime[S]"], Awaitable[None]]] = ()


class LeanRuntime(Generic[S_co]):
    """The running parts every service process has: its settings, store, metrics, tracing
    and tasks (`tasks` run from start to stop)."""

    def __init__(
        self,
        settings: S_co,
        tasks: Sequence[Callable[["LeanRuntime[S_co]"], Awaitable[None]]] = (),
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        # The service's time, for its rules and records (`shared/clock.py`); its settings may
        # pin it for a demo. The messaging machinery keeps the machine's: retention and
        # leases must not jump with a pinned clock.
        self.clock: Clock = clock or settings.clock()
        self.metrics = Metrics()
        self.tracing = Tracing.from_env(settings.service)
        self.db = Database(create_engine(settings.resolved_database_url()))
        self._extra_tasks = tasks
        self._tasks: list[asyncio.Future[None]] = []

    async def start(self) -> None:
        for task in self._extra_tasks:
            self._spawn(task(self))

    async def ready(self) -> None:
        await self.db.ping()

    def _spawn(self, coro: Awaitable[None]) -> None:
        self._tasks.append(asyncio.ensure_future(coro))

    async def stop(self) -> None:
        await self._cancel_tasks()
        await self.db.dispose()
        await self.tracing.shutdown()

    async def _cancel_tasks(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(BaseException):
                await task


class Runtime(LeanRuntime[S_co]):
    """The running parts of a service with a store: the store, its outbox and relay, the
    Kafka consumers. None of them is optional, so the service's code uses them as they are."""

    def __init__(self, spec: ServiceSpec[S_co], settings: S_co, clock: Clock | None = None) -> None:
        super().__init__(settings, clock=clock)
        self.spec = spec
        self.kafka = settings.kafka()
        self.broker = KafkaBroker(
            # A cluster's addresses, comma-separated: FastStream takes one string as one host.
            self.kafka.bootstrap.split(","),
            security=self.kafka.security(),
            client_id=f"tft-{spec.name}",
            log_level=logging.DEBUG,  # one line per message is noise; our consumer logs JSON
            middlewares=[
                KafkaPrometheusMiddleware(registry=self.metrics.registry, app_name=spec.name)
            ],
        )
        self.outbox = Outbox(
            spec.messaging.outbox, source=event_source(spec.name), tracing=self.tracing
        )
        self.relay = OutboxRelay(
            self.db,
            spec.messaging.outbox,
            self._producer,
            self.metrics,
            batch_size=settings.outbox_batch_size,
            poll_seconds=settings.outbox_poll_seconds,
            tracing=self.tracing,
        )
        self.db.on_commit(self.relay.wake)
        self.retention = Retention(
            self.db,
            spec.messaging,
            self.metrics,
            outbox_keep=timedelta(hours=settings.outbox_retention_hours),
            inbox_keep=timedelta(hours=settings.inbox_retention_hours),
            interval_seconds=settings.retention_interval_seconds,
            batch_size=settings.retention_batch_size,
        )
        self.consumers = [self._consumer(c) for c in spec.consumers]
        self._dlt: AIOKafkaProducer | None = None
        self.broker_started = asyncio.Event()

    def _producer(self) -> AIOKafkaProducer:
        return idempotent_producer(self.kafka, f"tft-{self.spec.name}-relay")

    def _consumer(self, spec: ConsumerSpec[S_co]) -> EventConsumer:
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
            tracing=self.tracing,
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
        if self.settings.outbox_relay:
            self._spawn(self.relay.run())
        self._spawn(self.retention.run())
        if self.consumers:
            groups = {c.name: c.topics for c in self.consumers}
            self._spawn(LagMonitor(self.kafka, groups, self.metrics).run())
        for task in self.spec.extra_tasks:
            self._spawn(task(self))

    async def _start_broker(self) -> None:
        """Consumers start when Kafka is there; HTTP and the outbox work without it."""
        if not self.consumers:
            self.broker_started.set()
            return
        await retry(self._broker_start, KAFKA_BACKOFF, "kafka unavailable, retrying")
        self.broker_started.set()
        log.info("consumers started", groups=[c.name for c in self.consumers])

    async def _broker_start(self) -> None:
        try:
            await self.broker.start()
        except Exception:
            with suppress(Exception):
                await self.broker.stop()
            raise

    async def ready(self) -> None:
        await super().ready()
        if not self.broker_started.is_set():
            raise RuntimeError("consumers not connected to Kafka yet")

    async def stop(self) -> None:
        await self._cancel_tasks()
        with suppress(Exception):
            await self.broker.stop()
        await self.relay.close()
        if self._dlt is not None:
            with suppress(Exception):
                await self._dlt.stop()
        await super().stop()


def create_app(
    spec: ServiceSpec[S] | LeanSpec[S], settings: S | None = None, clock: Clock | None = None
) -> FastAPI:
    """The service's app; `clock` (a test's) instead of the one its settings give."""
    settings = settings or spec.settings(service=spec.name)
    configure_logging(spec.name, settings.log_level)
    runtime: LeanRuntime[S]
    if isinstance(spec, ServiceSpec):
        runtime = full = Runtime(spec, settings, clock)
        router = spec.routes(full)
    else:
        runtime = LeanRuntime(settings, spec.extra_tasks, clock)
        router = spec.routes(runtime)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        log.info("service started", port=settings.http_port)
        yield
        await runtime.stop()

    app = FastAPI(title=spec.title, lifespan=lifespan)
    app.state.runtime = runtime
    if isinstance(runtime, Runtime):
        app.add_middleware(IdempotentRequests, database=runtime.db)
    # Every request needs a token the gateway signed for this service; the gateway (lean)
    # authenticates people itself.
    if isinstance(spec, ServiceSpec):  # before the store sees the request
        app.add_middleware(Authentication, tokens=GatewayTokens.for_settings(settings))
    app.add_middleware(Preconditions)
    # outermost: ids, metrics and traces for all
    install_http(app, runtime.metrics, runtime.ready, runtime.tracing)
    add_routes(app, router)
    return app


_DEFAULT_LIFESPAN = type(APIRouter().lifespan_context)


def add_routes(app: FastAPI, router: APIRouter) -> None:
    """The router's routes as the app's own when it adds nothing to them (no prefix, no
    lifespan): FastAPI includes a router lazily and then walks all its routes on every
    request to see whether they changed, which a service's routes never do."""
    if router.prefix or type(router.lifespan_context) is not _DEFAULT_LIFESPAN:
        app.include_router(router)
        return
    app.router.routes.extend(router.routes)


def main(spec: ServiceSpec[S] | LeanSpec[S], argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m services.{spec.name}")
    parser.add_argument(
        "command",
        choices=["migrate", "serve"],
        help="migrate: upgrade the store to the newest schema; serve: run",
    )
    args = parser.parse_args(argv)
    settings = spec.settings(service=spec.name)
    if args.command == "migrate":
        configure_logging(spec.name, settings.log_level)
        upgrade(spec.name, settings.resolved_database_url())
        log.info("store migrated")
        return
    serve(create_app(spec, settings), settings)


def server_config(app: Any, settings: ServiceSettings) -> uvicorn.Config:
    """How every service (and the gateway) serves HTTP: forwarded headers only from the
    configured proxies, keep-alive outlasting the callers' pools, a graceful stop."""
    return uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=10,
        timeout_keep_alive=SERVER_KEEP_ALIVE_SECONDS,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
    )


def serve(app: Any, settings: ServiceSettings) -> None:
    uvicorn.Server(server_config(app, settings)).run()
