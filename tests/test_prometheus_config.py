"""The scrape config and alert rules under deploy/prometheus pass promtool (Debian's
`prometheus` package, which .ci/run installs)."""

import shutil
import subprocess
from pathlib import Path

import pytest

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
    ):
        assert f"alert: {alert}" in rules
