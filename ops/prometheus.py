"""A local Prometheus for `PROMETHEUS=1 make up`: Debian's /usr/bin/prometheus, scraping every
replica the local run starts, with the platform's alert rules; data in var/prometheus."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import yaml

from ops.procs import REPO, ServiceProcess

DEFAULT_PORT = 9090
ALERTS = REPO / "deploy" / "prometheus" / "alerts.yml"


def scrape_config(targets: dict[str, list[str]], interval: str = "15s") -> dict:
    """One job per service (as deploy/prometheus/prometheus.yml names them), one target per
    replica: `job` and `instance` tell the dashboards and alerts which one it is."""
    return {
        "global": {"scrape_interval": interval, "evaluation_interval": interval},
        "rule_files": [str(ALERTS)],
        "scrape_configs": [
            {"job_name": job, "static_configs": [{"targets": addresses}]}
            for job, addresses in targets.items()
        ],
    }


class LocalPrometheus(ServiceProcess):
    """Managed like the services: a pid file, a log, a readiness probe."""

    ready_path = "/-/ready"

    def __init__(self, var: Path, port: int, binary: str | None = None) -> None:
        self.home = var / "prometheus"
        super().__init__("prometheus", port, {}, var / "log" / "prometheus.log", var / "run")
        self.binary = binary or shutil.which("prometheus") or "/usr/bin/prometheus"

    @property
    def config_path(self) -> Path:
        return self.home / "prometheus.yml"

    @property
    def marker(self) -> str:
        return str(self.config_path)  # names this run's Prometheus, not any other

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [
            self.binary,
            f"--config.file={self.config_path}",
            f"--storage.tsdb.path={self.home / 'data'}",
            f"--web.listen-address=127.0.0.1:{self.port}",
            "--storage.tsdb.retention.time=7d",
        ]

    def configure(self, targets: dict[str, list[str]], interval: str = "15s") -> None:
        """Write the scrape config; a running Prometheus reads it again (SIGHUP)."""
        if not Path(self.binary).exists():
            raise SystemExit(f"{self.binary} missing: apt-get install prometheus")
        self.home.mkdir(parents=True, exist_ok=True)
        config = scrape_config(targets, interval)
        self.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
        if (pid := self.pid) is not None:
            os.kill(pid, signal.SIGHUP)
