"""`PROMETHEUS=1 make up`: a real Prometheus (Debian's package, which .ci/run installs)
scrapes what the local run starts, one target per replica, and `down` stops it."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx
from prometheus_client import start_http_server

from ops.platform import Platform
from shared.observability.metrics import Metrics


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_scrape_config_has_every_replica_of_every_service_and_passes_promtool(
    tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("TFT_REPLICAS", "2")
    monkeypatch.setenv("TFT_GATEWAY_REPLICAS", "1")
    monkeypatch.setenv("TFT_LOANS_PORT", "9102")
    platform = Platform(repo=tmp_path)
    targets = platform.scrape_targets()
    assert targets["bookings"] == ["127.0.0.1:8101", "127.0.0.1:8111"]
    assert targets["loans"] == ["127.0.0.1:9102", "127.0.0.1:9112"]
    assert targets["gateway"] == ["127.0.0.1:8000"]
    assert "web" not in targets  # it serves no /metrics
    prometheus = platform.prometheus()
    prometheus.configure(targets)
    check = subprocess.run(
        ["promtool", "check", "config", str(prometheus.config_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr  # the alert rules load too


def _query(url: str, promql: str) -> list:
    answer = httpx.get(f"{url}/api/v1/query", params={"query": promql}, timeout=5).json()
    return answer["data"]["result"]


def _await(what, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := what():
            return found
        time.sleep(0.5)
    raise TimeoutError(what)


def test_up_starts_a_prometheus_that_scrapes_the_run_and_down_stops_it(tmp_path: Path, monkeypatch):
    metrics = Metrics()
    metrics.outbox_backlog.set(7)
    bookings_port = free_port()
    server, thread = start_http_server(bookings_port, "127.0.0.1", registry=metrics.registry)
    monkeypatch.setenv("TFT_BOOKINGS_PORT", str(bookings_port))
    monkeypatch.setenv("TFT_PROMETHEUS_PORT", str(free_port()))
    monkeypatch.setenv("TFT_PROMETHEUS_SCRAPE_INTERVAL", "1s")
    platform = Platform(repo=tmp_path)
    prometheus = platform.prometheus()
    try:
        platform._prometheus_up()
        backlog = _await(lambda: _query(prometheus.url, "tft_outbox_backlog"))
        assert backlog[0]["metric"] == {
            "__name__": "tft_outbox_backlog",
            "job": "bookings",
            "instance": f"127.0.0.1:{bookings_port}",
        }
        assert backlog[0]["value"][1] == "7"
        rules = httpx.get(f"{prometheus.url}/api/v1/rules", timeout=5).json()["data"]
        assert "OutboxBacklog" in {r["name"] for g in rules["groups"] for r in g["rules"]}
        platform.down()
        assert not prometheus.is_running()
    finally:
        prometheus.stop()
        server.shutdown()
        thread.join()
