"""The local run: Kafka plus the seven services, state under <repo>/var/."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

from ops.kafka import KafkaNode, apply_acls, create_topics, ensure_kafka_libs, probe
from ops.procs import REPO, ServiceProcess, run_migrations
from ops.smtp import DEFAULT_PORT as DEFAULT_SMTP_PORT
from ops.smtp import MailSink
from shared.messaging.acl import ADMIN, platform_acls
from shared.messaging.acl import SERVICES as KAFKA_PRINCIPALS
from shared.messaging.connection import KafkaConnection

# Start order: the gateway after the services it fronts, the web front end after the gateway.
SERVICES: dict[str, int] = {
    "bookings": 8101, "loans": 8102, "events": 8103,
    "finance": 8104, "notify": 8105, "directory": 8106, "gateway": 8000, "web": 8080,
}
# Not a service package: run as `python -m web migrate|serve` (its store keeps sessions).
WEB = "web"
BACKENDS = ["bookings", "loans", "events", "finance", "notify", "directory"]


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


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

    def kafka(self) -> KafkaNode:
        return KafkaNode(self.var / "kafka", _env_int("TFT_KAFKA_PORT", 9092),
                         _env_int("TFT_KAFKA_CONTROLLER_PORT", 9093),
                         libs=self.repo / ".cache" / "kafka" / "libs")

    @property
    def bootstrap(self) -> str:
        return self.external_kafka or self.kafka().bootstrap

    def kafka_connection(self, bootstrap: str | None = None,
                         principal: str = ADMIN) -> KafkaConnection:
        """Our broker's principal, or for another broker (`bootstrap`, or
        TFT_KAFKA_BOOTSTRAP) the one in TFT_KAFKA_USERNAME/TFT_KAFKA_PASSWORD."""
        if bootstrap or self.external_kafka:
            return KafkaConnection(bootstrap or self.bootstrap,
                                   os.environ.get("TFT_KAFKA_USERNAME", ""),
                                   os.environ.get("TFT_KAFKA_PASSWORD", ""))
        return self.kafka().connection(principal)

    def kafka_env(self, name: str) -> dict[str, str]:
        """A service's own Kafka principal; with an external broker, what the caller set."""
        if self.external_kafka or name not in KAFKA_PRINCIPALS:
            return {}
        return self.kafka().client_env(name)

    def port(self, name: str) -> int:
        return _env_int(f"TFT_{name.upper()}_PORT", SERVICES[name])

    def service_env(self, name: str) -> dict[str, str]:
        env = {
            "TFT_SERVICE": name,
            "TFT_HTTP_PORT": str(self.port(name)),
            "TFT_KAFKA_BOOTSTRAP": self.bootstrap,
            "TFT_DATABASE_URL": f"sqlite+aiosqlite:///{self.var / f'{name}.db'}",
            "TFT_DEMO": os.environ.get("TFT_DEMO", "true"),
        }
        if name == "gateway":
            env |= {f"TFT_{b.upper()}_URL": f"http://127.0.0.1:{self.port(b)}" for b in BACKENDS}
        else:  # the keys that verify the token the gateway signs for each request
            env["TFT_GATEWAY_JWKS_URL"] = f"{self.gateway_url}/.well-known/jwks.json"
        if name == WEB:  # talks to the gateway only; plain HTTP on this machine
            env = {"TFT_HTTP_PORT": str(self.port(WEB)), "TFT_GATEWAY_URL": self.gateway_url,
                   "TFT_WEB_SECURE_COOKIES": "false",
                   "TFT_DATABASE_URL": env["TFT_DATABASE_URL"]}
        return env

    def service(self, name: str) -> ServiceProcess:
        return ServiceProcess(name, self.port(name), self.service_env(name),
                              self.var / "log" / f"{name}.log", self.var / "run", cwd=self.repo,
                              module=WEB if name == WEB else None)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.port('gateway')}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.port(WEB)}"

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

    def up(self) -> None:
        self.var.mkdir(exist_ok=True)
        self._kafka_up()
        self._mail_up()
        for name in SERVICES:
            self._service_up(name)
        self.urls(accounts=True)

    def _kafka_up(self) -> None:
        from shared.contracts.topics import ALL_TOPICS

        if not self.external_kafka:
            node = self.kafka()
            ensure_kafka_libs(node.libs)
            if node.is_running():
                print(f"kafka: already running (pid {node.pid})")
            else:
                if node.format():
                    print(f"kafka: formatted storage in {node.data_dir}")
                node.start()
            _progress("waiting for kafka", lambda: node.wait_ready(120))
        created = asyncio.run(create_topics(self.kafka_connection(), ALL_TOPICS))
        print(f"kafka: {len(ALL_TOPICS)} topics present ({len(created)} created now)")
        if not self.external_kafka:  # another broker's ACLs are its operator's (`ops topics`)
            asyncio.run(apply_acls(self.kafka_connection(), platform_acls()))
            print(f"kafka: ACLs of {len(KAFKA_PRINCIPALS)} service principals granted")

    def _service_up(self, name: str) -> None:
        svc = self.service(name)
        if svc.is_running():
            print(f"{name}: already running (pid {svc.pid})")
            return
        _progress(f"migrating {name}", lambda: run_migrations(name, svc.env, cwd=self.repo,
                                                              module=svc.module), done="done")
        svc.env |= self.kafka_env(name)  # only now: `down` and `status` need no passwords
        svc.start()
        _progress(f"waiting for {name}", lambda: svc.wait_ready(90))

    def down(self) -> None:
        for name in reversed(SERVICES):
            svc = self.service(name)
            if svc.is_running():
                _progress(f"stopping {name}", svc.stop, done="stopped")
        sink = self.mail_sink()
        if sink.is_running():
            _progress("stopping smtp", sink.stop, done="stopped")
        node = self.kafka()
        if not self.external_kafka and node.is_running():
            _progress("stopping kafka", node.stop, done="stopped")
        print("all down")

    def status(self) -> int:
        """Print one line per component; returns 0 when all are up and ready."""
        ok = self._kafka_status()
        sink = self.mail_sink()
        mail_ready, mail_detail = sink.ready(timeout=1) if sink.is_running() else (False, "-")
        print(f"{'smtp':<9} {'up' if sink.is_running() else 'down':<5} pid {sink.pid or '-':<8} "
              f":{sink.port:<5} {mail_detail}")
        ok = ok and mail_ready
        for name in SERVICES:
            svc = self.service(name)
            ready, detail = svc.ready(timeout=1) if svc.is_running() else (False, "-")
            state = "up" if svc.is_running() else "down"
            print(f"{name:<9} {state:<5} pid {svc.pid or '-':<8} :{svc.port:<5} readyz {detail}")
            ok = ok and ready
        return 0 if ok else 1

    def _kafka_status(self) -> bool:
        ready = asyncio.run(probe(self.kafka_connection()))
        if self.external_kafka:
            print(f"{'kafka':<9} external {self.bootstrap} {'ready' if ready else 'unreachable'}")
            return ready
        node = self.kafka()
        state = "up" if node.is_running() else "down"
        print(f"{'kafka':<9} {state:<5} pid {node.pid or '-':<8} :{node.port:<5} "
              f"metadata {'ok' if ready else '-'}")
        return ready

    def urls(self, accounts: bool = False) -> None:
        print(f"\nWeb:      {self.web_url}  (log in with a demo account)")
        print(f"Gateway:  {self.gateway_url}/api/v1")
        print(f"API docs: {self.gateway_url}/docs")
        for name in BACKENDS:
            print(f"  {name:<9} http://127.0.0.1:{self.port(name)}  (/metrics, /readyz)")
        print(f"Kafka:    {self.bootstrap}")
        print(f"Mail:     smtp://127.0.0.1:{self.mail_sink().port} -> {self.var / 'mail'}")
        if accounts:
            from services.directory.demo import DEMO_PEOPLE

            password = os.environ.get("TFT_DEMO_PASSWORD", "demo")
            names = ", ".join(p.username for p in DEMO_PEOPLE)
            print(f"Demo accounts (password '{password}'): {names}")

    def log_files(self, name: str | None) -> list[Path]:
        if name == "kafka":
            return [self.kafka().log_path]
        if name is not None and name not in SERVICES:
            raise SystemExit(f"unknown service {name!r}; one of: kafka, {', '.join(SERVICES)}")
        names = [name] if name else list(SERVICES)
        return [self.var / "log" / f"{n}.log" for n in names]

    def logs(self, name: str | None, follow: bool, lines: int = 50) -> None:
        files = [str(f) for f in self.log_files(name) if f.exists() or follow]
        if not files:
            raise SystemExit("no logs yet: run `python -m ops up` first")
        # tail does multi-file headers and -F (follow across rotation) better than we would
        args = ["tail", "-n", str(lines), *(["-F"] if follow else []), *files]
        os.execvp("tail", args)


def _progress(what: str, action, done: str = "ready") -> None:
    print(f"{what} ... ", end="", flush=True)
    try:
        action()
    except BaseException:
        print("FAILED", flush=True)
        raise
    print(done, flush=True)
