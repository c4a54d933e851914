"""The whole platform as child processes on PostgreSQL and Kafka, for end-to-end tests."""

import asyncio
import json
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from ops.kafka import KafkaCluster, KafkaNode
from ops.platform import replica_name, replica_port
from ops.postgres import PostgresCluster
from ops.procs import ServiceProcess, run_migrations
from services.gateway.keys import SigningKey
from shared.messaging.acl import SERVICES as KAFKA_PRINCIPALS
from shared.seed.catalogue import OFFERINGS_BY_ID
from shared.tests.callers import bearer, token

# TFT_TEST_PLATFORM_PORT moves the block of ports, so two test runs can share a machine. The
# default lies below Linux's ephemeral range (32768-60999), where outgoing connections (to
# Kafka, PostgreSQL) could hold a port a service is about to listen on.
GATEWAY_PORT = int(os.environ.get("TFT_TEST_PLATFORM_PORT", "28000"))
SERVICES = {
    name: GATEWAY_PORT + 101 + i
    for i, name in enumerate(["bookings", "loans", "events", "finance", "notify", "directory"])
}
# The web front end, which reaches the platform through the gateway only.
WEB_PORT = GATEWAY_PORT + 110
DEMO_PASSWORD = "test-demo-password"


@dataclass
class Platform:
    """The default: one process per service on the ports above. Another layout (a cluster's,
    with replicas) moves the ports, names its databases apart and may leave the web out."""

    kafka: KafkaNode | KafkaCluster
    postgres: PostgresCluster
    home: Path
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    _tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    gateway_port: int = GATEWAY_PORT
    service_ports: dict[str, int] = field(default_factory=lambda: dict(SERVICES))
    web_port: int | None = WEB_PORT
    replicas: dict[str, int] = field(default_factory=dict)  # service -> processes (1)
    database_prefix: str = "tft_"
    # The gateway's signing key, in a file it reads: tests sign what the gateway would.
    signing_key: SigningKey = field(default_factory=SigningKey.generate)
    # Where the services export their spans (an OTLP/HTTP collector), if anywhere.
    traces_endpoint: str | None = None
    # "sqlite": each store a file under home, as `make up` keeps them (PostgreSQL unused).
    store: str = "postgresql"

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}/api/v1"

    @property
    def web(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def database_url(self, service: str) -> str:
        if self.store == "sqlite":
            return f"sqlite+aiosqlite:///{self.home / 'db' / f'{service}.db'}"
        return self.postgres.url(f"{self.database_prefix}{service}")

    def _fresh_stores(self, names: list[str]) -> None:
        if self.store == "sqlite":
            shutil.rmtree(self.home / "db", ignore_errors=True)
            (self.home / "db").mkdir()
            return
        for name in names:  # one at a time: CREATE DATABASE copies template1
            self.postgres.drop_database(f"{self.database_prefix}{name}")
            self.postgres.create_database(f"{self.database_prefix}{name}")

    def env(self, service: str, port: int, **extra: str) -> dict[str, str]:
        if service == "web":
            return {
                "TFT_HTTP_PORT": str(port),
                "TFT_WEB_SECURE_COOKIES": "false",
                "TFT_GATEWAY_URL": f"http://127.0.0.1:{self.gateway_port}",
                "TFT_DATABASE_URL": self.database_url(service),
                **extra,
            }
        env = {
            "TFT_SERVICE": service,
            "TFT_HTTP_PORT": str(port),
            "TFT_KAFKA_BOOTSTRAP": self.kafka.bootstrap,
            **self.kafka_credentials(service),
            "TFT_DEMO": "true",
            "TFT_DEMO_PASSWORD": DEMO_PASSWORD,
            "TFT_OUTBOX_POLL_SECONDS": "0.2",
            "TFT_CONSUMER_RETRY_BACKOFF_SECONDS": "0.05",
            # Port 9 (discard): never a local `make up` mailbox; tests that mail start their own.
            "TFT_NOTIFY_SMTP_PORT": "9",
            "TFT_DATABASE_URL": self.database_url(service),
        }
        if service != "gateway":
            env["TFT_GATEWAY_JWKS_URL"] = (
                f"http://127.0.0.1:{self.gateway_port}/.well-known/jwks.json"
            )
        else:
            env["TFT_JWT_KEY_FILE"] = str(self.home / "gateway-key.pem")
            env.update(
                {
                    f"TFT_{name.upper()}_URL": f"http://127.0.0.1:{p}"
                    for name, p in self.service_ports.items()
                }
            )
            # Tests and benches call from one address with a few tokens, far faster than a
            # person: the gateway's rate limits would measure themselves.
            # A deactivation reaches the gateway within a second (the default is 10).
            env["TFT_PERSON_CHECK_SECONDS"] = "1"
            # A killed gateway's running claims lapse soon, as fault tests retry for a minute.
            env["TFT_IDEMPOTENCY_LEASE_SECONDS"] = "10"
            env.update(
                {
                    "TFT_RATE_PER_SUBJECT": "1000000",
                    "TFT_BURST_PER_SUBJECT": "1000000",
                    "TFT_RATE_PER_ADDRESS": "1000000",
                    "TFT_BURST_PER_ADDRESS": "1000000",
                    "TFT_LOGIN_RATE_PER_ADDRESS": "1000000",
                    "TFT_LOGIN_BURST_PER_ADDRESS": "1000000",
                    "TFT_AUDIT_PATH": str(self.home / "gateway-audit.jsonl"),
                }
            )
        if self.traces_endpoint:
            env.update(
                {
                    "OTEL_EXPORTER_OTLP_ENDPOINT": self.traces_endpoint,
                    # Only the requests a test traces (a sampled `traceparent`) are recorded.
                    "OTEL_TRACES_SAMPLER": "parentbased_always_off",
                    "OTEL_BSP_SCHEDULE_DELAY": "100",  # milliseconds: the spans come soon
                }
            )
        return {**env, **extra}

    def kafka_credentials(self, service: str) -> dict[str, str]:
        """The service's own Kafka principal (the gateway uses no Kafka)."""
        return self.kafka.client_env(service) if service in KAFKA_PRINCIPALS else {}

    def start(self) -> None:
        ports = {**self.service_ports, "gateway": self.gateway_port}
        stores = ports | ({"web": self.web_port} if self.web_port is not None else {})
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "gateway-key.pem").write_bytes(self.signing_key.pem())
        try:
            self._fresh_stores(list(stores))
            with ThreadPoolExecutor(len(stores)) as pool:  # each its own database
                list(
                    pool.map(
                        lambda item: run_migrations(
                            item[0], self.env(*item), module="web" if item[0] == "web" else None
                        ),
                        stores.items(),
                    )
                )
            for name, port in stores.items():
                self._start_replica(name, port, 1)
            self._wait_ready()
            # The other replicas once the first are ready: one of each seeds the demo data.
            for name, port in ports.items():
                for replica in range(2, self.replicas.get(name, 1) + 1):
                    self._start_replica(name, port, replica)
            self._wait_ready()
        except Exception:
            self.stop()  # else the started ones keep their ports and the next run fails
            raise

    def add_replica(self, name: str, replica: int, **extra_env: str) -> None:
        """Start one more replica of a running service and wait until it is ready."""
        ports = {**self.service_ports, "gateway": self.gateway_port}
        self._start_replica(name, ports[name], replica, **extra_env)
        self.processes[replica_name(name, replica)].wait_ready(timeout=90)

    def _start_replica(self, name: str, port: int, replica: int, **extra_env: str) -> None:
        process, port = replica_name(name, replica), replica_port(port, replica)
        self.processes[process] = ServiceProcess(
            process,
            port,
            self.env(name, port, **extra_env),
            self.home / "log" / f"{process}.log",
            self.home / "run",
            module="web" if name == "web" else f"services.{name}",
        )
        self.processes[process].start()

    def _wait_ready(self) -> None:
        for process in self.processes.values():
            process.wait_ready(timeout=90)

    def restart(self, name: str, **extra_env: str) -> None:
        """Start `name` again (after a stop or kill), optionally with other settings."""
        process = self.processes[name]
        process.env = self.env(process.module.removeprefix("services."), process.port, **extra_env)
        process.start()
        process.wait_ready(timeout=60)

    def stop(self) -> None:
        with ThreadPoolExecutor(len(self.processes) or 1) as pool:  # shut down side by side
            list(pool.map(ServiceProcess.stop, self.processes.values()))

    def token(self, username: str) -> dict[str, str]:
        """Bearer header of a demo account; tokens live for an hour, so one per user."""
        if username not in self._tokens:
            # The first login of a platform just started (a password hash, the directory's
            # first queries) may take longer than httpx's 5 s on a machine under the suite.
            response = httpx.post(
                f"{self.gateway}/auth/token",
                json={"username": username, "password": DEMO_PASSWORD},
                timeout=30,
            )
            response.raise_for_status()
            self._tokens[username] = {"Authorization": f"Bearer {response.json()['access_token']}"}
        return self._tokens[username]

    def service_token(
        self, service: str, role: str | None = None, organisation: str = "", **changes: Any
    ) -> dict[str, str]:
        """Bearer header of a token as the gateway signs it for one request to `service`
        (as `role` of `organisation`; no role: the gateway itself), with `changes` to forge
        one (`shared.tests.callers.token`)."""
        caller = {"sub": organisation, "role": role, "org": organisation} if role else {}
        options: dict[str, Any] = {
            "key": self.signing_key.private,
            "kid": self.signing_key.verification.kid,
            "lifetime": 300,
        }
        return bearer(token(service, **options | caller | changes))


def eventually(probe: Callable[[], Any], timeout: float = 30.0, interval: float = 0.2) -> Any:
    """Poll until `probe()` returns something truthy; the last value on timeout is reported."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s; last value: {value!r}")


def keyed_events(platform: Platform, topic: str, key: str) -> list[tuple[str, dict]]:
    """(type, value) of each event on `topic` keyed `key`, reading the topic to its end."""

    async def run() -> list[tuple[str, dict]]:
        consumer = AIOKafkaConsumer(
            topic,
            **platform.kafka.admin.options(),
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            found, ends = [], None
            while ends is None or any(
                [await consumer.position(tp) < end for tp, end in ends.items()]
            ):
                batches = await consumer.getmany(timeout_ms=500)
                found += [
                    (dict(r.headers)["ce_type"].decode(), json.loads(r.value))
                    for rs in batches.values()
                    for r in rs
                    if r.key.decode() == key
                ]
                if ends is None and consumer.assignment():
                    ends = await consumer.end_offsets(list(consumer.assignment()))
            return found
        finally:
            await consumer.stop()

    return asyncio.run(run())


def hotspot_lesson(platform: Platform) -> str:
    """An offer the hotspot gives itself, without equipment: booked, a group is confirmed at
    once (a company's visit waits for the company, equipment for loans' answer). One of the
    seed's, for every level: other tests add offers of their own with a narrower audience."""
    offers = httpx.get(
        f"{platform.gateway}/offerings",
        params={"kind": "inspiration_lesson"},
        headers=platform.token("backoffice"),
    ).json()
    return next(
        o["id"]
        for o in offers
        if o["id"] in OFFERINGS_BY_ID and not o["equipment"] and not o.get("host_company")
    )
