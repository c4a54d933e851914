"""The local run: Kafka plus the seven services, state under <repo>/var/."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ops.balancer import FrontDoor
from ops.kafka import KafkaCluster, apply_acls, create_topics, ensure_kafka_libs, probe
from ops.procs import REPO, ServiceProcess, run_migrations
from ops.prometheus import DEFAULT_PORT as DEFAULT_PROMETHEUS_PORT
from ops.prometheus import LocalPrometheus
from ops.smtp import DEFAULT_PORT as DEFAULT_SMTP_PORT
from ops.smtp import MailSink
from shared.messaging.acl import ADMIN, platform_acls
from shared.messaging.acl import SERVICES as KAFKA_PRINCIPALS
from shared.messaging.connection import KafkaConnection

# Start order: the gateway after the services it fronts, the web front end after the gateway.
SERVICES: dict[str, int] = {
    "bookings": 8101,
    "loans": 8102,
    "events": 8103,
    "finance": 8104,
    "notify": 8105,
    "directory": 8106,
    "gateway": 8000,
    "web": 8080,
}
# Not a service package: run as `python -m web migrate|serve` (its store keeps sessions).
WEB = "web"
# What serves /metrics: every service, not the web front end.
SCRAPED = [name for name in SERVICES if name != WEB]
BACKENDS = ["bookings", "loans", "events", "finance", "notify", "directory"]
# One process each unless TFT_<NAME>_REPLICAS asks for more: people reach them on one port
# each, where more replicas get a balancer (ops/balancer.py; their state is in their stores).
SINGLE_BY_DEFAULT = {"gateway", WEB}
# Replica r (from 1) of a service listens this many ports times r-1 above the first.
REPLICA_PORT_STEP = 10


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def replica_port(port: int, replica: int) -> int:
    return port + REPLICA_PORT_STEP * (replica - 1)


def replica_name(name: str, replica: int) -> str:
    """`bookings`, `bookings-2`, ...: the first replica keeps the service's own name."""
    return name if replica == 1 else f"{name}-{replica}"


@dataclass
class Platform:
    repo: Path = REPO

    @property
    def var(self) -> Path:
        return self.repo / "var"

    @property
    def external_kafka(self) -> str | None:
        """TFT_KAFKA_BOOTSTRAP points the run at a Kafka we neither start nor stop."""
        return os.environ.get("TFT_KAFKA_BOOTSTRAP")

    def kafka(self, brokers: int | None = None) -> KafkaCluster:
        """TFT_KAFKA_BROKERS nodes, else as many as run now, else 1: a single node in
        var/kafka, a cluster in var/kafka-cluster."""
        size = (
            brokers
            or _env_int("TFT_KAFKA_BROKERS", 0)
            or next((c.size for c in self._kafka_layouts() if c.is_running()), 1)
        )
        home = self.var / ("kafka" if size == 1 else "kafka-cluster")
        return KafkaCluster(
            home,
            size,
            _env_int("TFT_KAFKA_PORT", 9092),
            _env_int("TFT_KAFKA_CONTROLLER_PORT", 9093),
            libs=self.repo / ".cache" / "kafka" / "libs",
        )

    def _kafka_layouts(self) -> list[KafkaCluster]:
        """The single node and the cluster whose nodes are on disk: `down` stops either."""
        nodes = len(list((self.var / "kafka-cluster").glob("node-*")))
        return [self.kafka(1), *([self.kafka(nodes)] if nodes > 1 else [])]

    def replicas(self, name: str) -> int:
        """TFT_<NAME>_REPLICAS, else TFT_REPLICAS (not for the gateway and web), else 1."""
        default = 1 if name in SINGLE_BY_DEFAULT else _env_int("TFT_REPLICAS", 1)
        return _env_int(f"TFT_{name.upper()}_REPLICAS", default)

    @property
    def bootstrap(self) -> str:
        return self.external_kafka or self.kafka().bootstrap

    def kafka_connection(
        self, bootstrap: str | None = None, principal: str = ADMIN
    ) -> KafkaConnection:
        """Our broker's principal, or for another broker (`bootstrap`, or
        TFT_KAFKA_BOOTSTRAP) the one in TFT_KAFKA_USERNAME/TFT_KAFKA_PASSWORD."""
        if bootstrap or self.external_kafka:
            return KafkaConnection(
                bootstrap or self.bootstrap,
                os.environ.get("TFT_KAFKA_USERNAME", ""),
                os.environ.get("TFT_KAFKA_PASSWORD", ""),
            )
        return self.kafka().connection(principal)

    def kafka_env(self, name: str) -> dict[str, str]:
        """A service's own Kafka principal; with an external broker, what the caller set."""
        if self.external_kafka or name not in KAFKA_PRINCIPALS:
            return {}
        return self.kafka().client_env(name)

    def port(self, name: str) -> int:
        return _env_int(f"TFT_{name.upper()}_PORT", SERVICES[name])

    def fronted(self, name: str) -> bool:
        """Several replicas of the gateway or web (or a balancer an earlier `up` started)
        listen behind a balancer on the service's own port."""
        return name in SINGLE_BY_DEFAULT and (
            self.replicas(name) > 1 or self.front_door(name).is_running()
        )

    def replica_port(self, name: str, replica: int) -> int:
        """Behind a balancer the replicas move one step up: the port is the balancer's."""
        return replica_port(self.port(name), replica + 1 if self.fronted(name) else replica)

    def replica_urls(self, name: str) -> str:
        """Where the gateway finds every replica of a service, comma-separated."""
        return ",".join(
            f"http://127.0.0.1:{self.replica_port(name, r)}"
            for r in range(1, self.replicas(name) + 1)
        )

    @property
    def signing_key_file(self) -> Path:
        """The gateway's signing key: every replica signs with it, so each one's tokens
        verify at the others and at the services (`up` makes it once)."""
        return self.var / "gateway-key.pem"

    def service_env(self, name: str, replica: int = 1) -> dict[str, str]:
        port = self.replica_port(name, replica)
        env = {
            "TFT_SERVICE": name,
            "TFT_HTTP_PORT": str(port),
            "TFT_KAFKA_BOOTSTRAP": self.bootstrap,
            "TFT_DATABASE_URL": f"sqlite+aiosqlite:///{self.var / f'{name}.db'}",
            "TFT_DEMO": os.environ.get("TFT_DEMO", "true"),
        }
        if name == "gateway":
            env |= {f"TFT_{b.upper()}_URL": self.replica_urls(b) for b in BACKENDS}
            env["TFT_JWT_KEY_FILE"] = str(self.signing_key_file)
        else:  # the keys that verify the token the gateway signs for each request
            env["TFT_GATEWAY_JWKS_URL"] = f"{self.gateway_url}/.well-known/jwks.json"
        if name == WEB:  # talks to the gateway only; plain HTTP on this machine
            env = {
                "TFT_HTTP_PORT": str(port),
                "TFT_GATEWAY_URL": self.gateway_url,
                "TFT_WEB_SECURE_COOKIES": "false",
                "TFT_DATABASE_URL": env["TFT_DATABASE_URL"],
            }
        return env

    def service(self, name: str, replica: int = 1) -> ServiceProcess:
        process = replica_name(name, replica)
        return ServiceProcess(
            process,
            self.replica_port(name, replica),
            self.service_env(name, replica),
            self.var / "log" / f"{process}.log",
            self.var / "run",
            cwd=self.repo,
            module=WEB if name == WEB else f"services.{name}",
        )

    def front_door(self, name: str) -> FrontDoor:
        """The balancer on `name`'s port over its replicas (which `up` asks for)."""
        backends = [replica_port(self.port(name), r + 1) for r in range(1, self.replicas(name) + 1)]
        return FrontDoor(name, self.port(name), backends, self.var)

    def known_replicas(self, name: str) -> list[ServiceProcess]:
        """The first replica and every other with a pid file, however many `up` started."""
        pid_files = (self.var / "run").glob(f"{name}-*.pid")
        suffixes = (f.stem.removeprefix(f"{name}-") for f in pid_files)
        return [
            self.service(name, r) for r in sorted({1, *(int(s) for s in suffixes if s.isdigit())})
        ]

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.port('gateway')}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.port(WEB)}"

    def prometheus(self) -> LocalPrometheus:
        return LocalPrometheus(self.var, _env_int("TFT_PROMETHEUS_PORT", DEFAULT_PROMETHEUS_PORT))

    def scrape_targets(self) -> dict[str, list[str]]:
        """Each service's replicas as `up` starts them now."""
        return {
            name: [
                f"127.0.0.1:{self.replica_port(name, r)}" for r in range(1, self.replicas(name) + 1)
            ]
            for name in SCRAPED
        }

    # -- commands --------------------------------------------------------------------------
    def mail_sink(self) -> MailSink:
        """The catch-all SMTP server notify mails to (var/mail/*.eml)."""
        return MailSink(self.var, _env_int("TFT_NOTIFY_SMTP_PORT", DEFAULT_SMTP_PORT))

    def _mail_up(self) -> None:
        sink = self.mail_sink()
        if sink.is_running():
            print(f"smtp: already running (pid {sink.pid})")
            return
        sink.start()
        _progress("waiting for the catch-all smtp", lambda: sink.wait_ready(30))

    def up(self, only: Sequence[str] | None = None) -> None:
        """Kafka, the mail sink and every service (or those `only` names, in start order)."""
        self.var.mkdir(exist_ok=True)
        self._kafka_up()
        self._mail_up()
        self._signing_key()
        for name in SERVICES:
            if only is None or name in only:
                self.start_service(name)
        if os.environ.get("TFT_PROMETHEUS", "") not in ("", "0", "false"):
            self._prometheus_up()
        self.urls(accounts=True)

    def _prometheus_up(self) -> None:
        prometheus = self.prometheus()
        interval = os.environ.get("TFT_PROMETHEUS_SCRAPE_INTERVAL", "15s")
        prometheus.configure(self.scrape_targets(), interval)  # a running one reloads it
        if not prometheus.start():
            print(f"prometheus: already running (pid {prometheus.pid}), scrape config reloaded")
            return
        _progress("waiting for prometheus", lambda: prometheus.wait_ready(60))

    def start_service(self, name: str) -> None:
        """The first replica of `name` (it migrates the store and seeds the demo data), then
        the others side by side, then its balancer if it has one."""
        _wait_ready(self._service_start(name, 1))
        others = [self._service_start(name, r) for r in range(2, self.replicas(name) + 1)]
        for svc in others:
            _wait_ready(svc)
        if self.fronted(name):
            door = self.front_door(name)
            if not door.start():
                print(f"{door.name}: already running (pid {door.pid})")
                return
            _progress(f"waiting for {door.name}", lambda: door.wait_ready(30))

    def _signing_key(self) -> None:
        if self.signing_key_file.exists():
            return
        from services.gateway.keys import SigningKey

        self.signing_key_file.touch(mode=0o600)  # the key is never readable by others
        self.signing_key_file.write_bytes(SigningKey.generate().pem())
        print(f"gateway: signing key made in {self.signing_key_file}")

    def _kafka_up(self) -> None:
        from shared.contracts.topics import ALL_TOPICS

        if not self.external_kafka:
            cluster = self.kafka()
            ensure_kafka_libs(cluster.libs)
            if cluster.format():
                print(f"kafka: formatted storage in {cluster.home}")
            if not cluster.start():
                print(f"kafka: already running ({cluster.size} node(s))")
            _progress(
                f"waiting for kafka ({cluster.size} node(s))", lambda: cluster.wait_ready(120)
            )
        created = asyncio.run(create_topics(self.kafka_connection(), ALL_TOPICS))
        print(f"kafka: {len(ALL_TOPICS)} topics present ({len(created)} created now)")
        if not self.external_kafka:  # another broker's ACLs are its operator's (`ops topics`)
            asyncio.run(apply_acls(self.kafka_connection(), platform_acls()))
            print(f"kafka: ACLs of {len(KAFKA_PRINCIPALS)} service principals granted")

    def _service_start(self, name: str, replica: int) -> ServiceProcess | None:
        """The replica started (None: it was running)."""
        svc = self.service(name, replica)
        if svc.is_running():
            print(f"{svc.name}: already running (pid {svc.pid})")
            return None
        if replica == 1:
            _progress(
                f"migrating {name}",
                lambda: run_migrations(name, svc.env, cwd=self.repo, module=svc.module),
                done="done",
            )
        svc.env |= self.kafka_env(name)  # only now: `down` and `status` need no passwords
        svc.start()
        return svc

    def down(self) -> None:
        for name in reversed(SERVICES):
            for svc in [self.front_door(name), *reversed(self.known_replicas(name))]:
                if svc.is_running():
                    _progress(f"stopping {svc.name}", svc.stop, done="stopped")
        for process in (self.prometheus(), self.mail_sink()):
            if process.is_running():
                _progress(f"stopping {process.name}", process.stop, done="stopped")
        for cluster in [] if self.external_kafka else self._kafka_layouts():
            if cluster.is_running():
                _progress(f"stopping kafka ({cluster.size} node(s))", cluster.stop, done="stopped")
        print("all down")

    def status(self) -> int:
        """Print one line per component; returns 0 when all are up and ready."""
        ok = self._kafka_status()
        sink = self.mail_sink()
        mail_ready, mail_detail = sink.ready(timeout=1) if sink.is_running() else (False, "-")
        print(
            f"{'smtp':<11} {'up' if sink.is_running() else 'down':<5} pid {sink.pid or '-':<8} "
            f":{sink.port:<5} {mail_detail}"
        )
        ok = ok and mail_ready
        for name in SERVICES:
            doors = [self.front_door(name)] if self.fronted(name) else []
            for svc in [*doors, *self.known_replicas(name)]:
                ready, detail = svc.ready(timeout=1) if svc.is_running() else (False, "-")
                state = "up" if svc.is_running() else "down"
                print(
                    f"{svc.name:<11} {state:<5} pid {svc.pid or '-':<8} :{svc.port:<5} "
                    f"readyz {detail}"
                )
                ok = ok and ready
        prometheus = self.prometheus()
        if prometheus.is_running():  # only when asked for: not part of `ok`
            print(
                f"{'prometheus':<11} up    pid {prometheus.pid:<8} :{prometheus.port:<5} "
                f"ready {prometheus.ready(timeout=1)[1]}"
            )
        return 0 if ok else 1

    def _kafka_status(self) -> bool:
        ready = asyncio.run(probe(self.kafka_connection()))
        if self.external_kafka:
            print(f"{'kafka':<11} external {self.bootstrap} {'ready' if ready else 'unreachable'}")
            return ready
        for node in self.kafka().nodes:
            state = "up" if node.is_running() else "down"
            print(
                f"{f'kafka {node.node_id}':<11} {state:<5} pid {node.pid or '-':<8} "
                f":{node.port:<5} metadata {'ok' if ready else '-'}"
            )
        return ready

    def urls(self, accounts: bool = False) -> None:
        print(f"\nWeb:      {self.web_url}  (log in with a demo account)")
        print(f"Gateway:  {self.gateway_url}/api/v1")
        print(f"API docs: {self.gateway_url}/docs")
        for name in BACKENDS:
            print(f"  {name:<9} http://127.0.0.1:{self.port(name)}  (/metrics, /readyz)")
        print(f"Kafka:    {self.bootstrap}")
        print(f"Mail:     smtp://127.0.0.1:{self.mail_sink().port} -> {self.var / 'mail'}")
        if (prometheus := self.prometheus()).is_running():
            print(f"Metrics:  {prometheus.url}  (Prometheus, alerts at /alerts)")
        if accounts:
            from services.directory.demo import DEMO_PEOPLE

            password = os.environ.get("TFT_DEMO_PASSWORD", "demo")
            names = ", ".join(p.username for p in DEMO_PEOPLE)
            print(f"Demo accounts (password '{password}'): {names}")

    def log_files(self, name: str | None) -> list[Path]:
        if name == "kafka":
            return [node.log_path for node in self.kafka().nodes]
        if name is not None and name not in SERVICES:
            raise SystemExit(f"unknown service {name!r}; one of: kafka, {', '.join(SERVICES)}")
        names = [name] if name else list(SERVICES)
        doors = [self.front_door(n) for n in names if self.fronted(n)]
        return [svc.log_path for n in names for svc in self.known_replicas(n)] + [
            door.log_path for door in doors
        ]

    def logs(self, name: str | None, follow: bool, lines: int = 50) -> None:
        files = [str(f) for f in self.log_files(name) if f.exists() or follow]
        if not files:
            raise SystemExit("no logs yet: run `python -m ops up` first")
        # tail does multi-file headers and -F (follow across rotation) better than we would
        args = ["tail", "-n", str(lines), *(["-F"] if follow else []), *files]
        os.execvp("tail", args)


def _wait_ready(svc: ServiceProcess | None) -> None:
    if svc is not None:
        _progress(f"waiting for {svc.name}", lambda: svc.wait_ready(90))


def _progress(what: str, action, done: str = "ready") -> None:
    print(f"{what} ... ", end="", flush=True)
    try:
        action()
    except BaseException:
        print("FAILED", flush=True)
        raise
    print(done, flush=True)
