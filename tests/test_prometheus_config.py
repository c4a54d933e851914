"""The scrape config and alert rules under deploy/prometheus pass promtool (Debian's
`prometheus` package, which .ci/run installs)."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

PROMETHEUS = Path(__file__).resolve().parents[1] / "deploy" / "prometheus"


def promtool(*args: str) -> subprocess.CompletedProcess:
    tool = shutil.which("promtool")
    assert tool, "promtool missing: apt-get install prometheus (.ci/run does)"
    return subprocess.run([tool, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "args",
    [
        ("check", "config", "prometheus.yml"),
        ("check", "config", "prometheus.compose.yml"),
        ("check", "rules", "alerts.yml"),
        ("test", "rules", "alerts_test.yml"),
    ],
)
def test_promtool_accepts(args):
    *command, name = args
    result = promtool(*command, str(PROMETHEUS / name))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_the_brief_asks_for_is_defined():
    rules = (PROMETHEUS / "alerts.yml").read_text()
    for alert in (
        "ServiceDown",
        "ConsumerLagHigh",
        "DeadLetterGrowth",
        "OutboxBacklog",
        "OutboxRowParked",
        "BookingsUnanswered",
        "Http5xxRate",
        "HttpLatencyHigh",
        "OutboxPublishFailing",
        "SagaRejectionsHigh",
        "BookingsStalled",
    ):
        assert f"alert: {alert}" in rules


def test_every_alert_has_a_promtool_test_that_fires_it():
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    alerts = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    tests = yaml.safe_load((PROMETHEUS / "alerts_test.yml").read_text())["tests"]
    fired = {
        case["alertname"] for t in tests for case in t["alert_rule_test"] if case["exp_alerts"]
    }
    assert alerts - fired == set()
