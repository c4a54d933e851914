"""Every query of the Grafana dashboards and of the alert rules asks for metrics the services
really export, with labels they really have: each service's runtime is started in-process
(no Kafka, no network) and its registry is read, so a renamed metric or a typo fails here."""

import asyncio
import importlib
import json
import re
import threading
from pathlib import Path

import pytest
import yaml

from shared.observability.metrics import Metrics
from shared.service import create_app

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
SERVICES = ["bookings", "loans", "events", "finance", "notify", "directory", "gateway"]
# What Prometheus adds to every scrape; `le` is a histogram bucket's bound.
SCRAPE_LABELS = {"job", "instance"}
SYNTHETIC = {"up": SCRAPE_LABELS}
SUFFIXES = {
    "counter": ["_total", "_created"],
    "gauge": [""],
    "histogram": ["_bucket", "_count", "_sum", "_created"],
    "summary": ["", "_count", "_sum", "_created"],
}
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool"}
KEYWORDS |= {"and", "or", "unless", "offset", "inf", "nan"}


def exported(registry) -> dict[str, set[str]]:
    """Each sample name the registry exposes with the label names it carries."""
    labels = {
        name: set(getattr(collector, "_labelnames", ()))
        for collector, names in registry._collector_to_names.items()
        for name in names
    }
    names: dict[str, set[str]] = {}
    for family in registry.collect():
        for suffix in SUFFIXES.get(family.type, [""]):
            own = labels.get(family.name + suffix, labels.get(family.name, set()))
            extra = {"le"} if suffix == "_bucket" else set()
            names[family.name + suffix] = own | extra | SCRAPE_LABELS
    return names


async def _registries(home: Path, env: pytest.MonkeyPatch) -> list:
    """Each service's app with its runtime started (its periodic tasks register their
    metrics when they start) and stopped again at once, all on one event loop."""
    registries, before = [], set(threading.enumerate())
    for name in SERVICES:
        env.setenv("TFT_DATABASE_URL", f"sqlite+aiosqlite:///{home / name}.db")
        module = importlib.import_module(f"services.{name}.app")
        app = module.app() if hasattr(module, "app") else create_app(module.SPEC)  # gateway
        runtime = app.state.runtime
        await runtime.start()
        await asyncio.sleep(0)  # one turn: each task runs up to its first wait
        await runtime.stop()
        registries.append(runtime.metrics.registry)
    # SQLite's threads of these runtimes answer this loop: keep it open until they end (not
    # those other tests left behind: they answer loops of their own).
    for thread in set(threading.enumerate()) - before:
        if "_connection_worker" in thread.name:
            await asyncio.to_thread(thread.join, 30)
    return registries


@pytest.fixture(scope="module")
def metrics(tmp_path_factory) -> dict[str, set[str]]:
    found = {**exported(Metrics().registry), **SYNTHETIC}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TFT_KAFKA_BOOTSTRAP", "127.0.0.1:9")  # discard port: nothing answers
        env.setenv("TFT_DEMO", "false")
        for registry in asyncio.run(_registries(tmp_path_factory.mktemp("metrics"), env)):
            found |= exported(registry)
    return found


def selectors(expr: str) -> list[tuple[str, set[str]]]:
    """The metric names in a PromQL expression, each with the label names it matches on."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)  # any values
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", expr)
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges
    found = []
    for match in re.finditer(r"(?<![\w:.$])([a-zA-Z_:][\w:]*)\s*(\{[^}]*\})?(\s*\()?", expr):
        name, matchers, call = match.groups()
        if call or name in KEYWORDS:
            continue
        found.append((name, set(re.findall(r"(\w+)\s*(?:=~|!~|!=|=)", matchers or ""))))
    return found


def unknown(exprs: list[str], metrics: dict[str, set[str]]) -> list[str]:
    problems = []
    for expr in exprs:
        for name, labels in selectors(expr):
            if name not in metrics:
                problems.append(f"{name} (not exported) in {expr}")
            elif labels - metrics[name]:
                problems.append(f"{name} has no label {sorted(labels - metrics[name])}")
    return problems


def dashboard_queries(dashboard: dict) -> list[str]:
    panels = [p for top in dashboard["panels"] for p in [top, *top.get("panels", [])]]
    return [t["expr"] for p in panels for t in p.get("targets", [])]


def alert_queries() -> list[str]:
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def test_there_is_a_dashboard_with_queries():
    assert DASHBOARDS
    assert all(dashboard_queries(json.loads(d.read_text())) for d in DASHBOARDS)


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_every_dashboard_query_asks_for_exported_metrics(path, metrics):
    assert unknown(dashboard_queries(json.loads(path.read_text())), metrics) == []


def test_every_alert_asks_for_exported_metrics(metrics):
    assert unknown(alert_queries(), metrics) == []


def test_the_services_own_metrics_are_found(metrics):
    """Registered by the periodic tasks and the FastStream middleware, not by Metrics()."""
    for name in ("tft_bookings_unanswered", "tft_loans_overdue_reported_total"):
        assert name in metrics
    assert "faststream_received_messages_total" in metrics
    assert {"topic", "type"} <= metrics["tft_outbox_published_total"]


def test_a_typo_or_a_missing_label_is_found(metrics):
    typo = 'sum(rate(tft_http_request_total{job="gateway"}[5m]))'
    assert unknown([typo], metrics) == [f"tft_http_request_total (not exported) in {typo}"]
    assert unknown(["max by (job) (tft_outbox_backlog{topic=~'x'})"], metrics) == [
        "tft_outbox_backlog has no label ['topic']"
    ]


def test_the_extraction_skips_functions_keywords_and_grouping_labels():
    expr = (
        'histogram_quantile(0.99, sum by (job, le) (rate(a_bucket{job=~"$job"}[5m])))'
        " / on (job) group_left b > bool 1 unless c offset 5m"
    )
    assert selectors(expr) == [("a_bucket", {"job"}), ("b", set()), ("c", set())]
