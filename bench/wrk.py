"""wrk, the load generator of the HTTP benchmarks (Debian's package, installed when missing).

A C load generator leaves the two cores to the platform, where a Python client would take
half of one. Each run appends `DONE` to the request script, so wrk prints its figures as
one JSON line that `run` reads back.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

DONE = """
done = function(summary, latency, requests)
  io.write(string.format(
    '\\nJSON {"requests":%d,"seconds":%f,"status_errors":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def ensure() -> str:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def run(
    url: str, clients: int, seconds: float, script: str = "", headers: dict[str, str] | None = None
) -> dict:
    """wrk's figures for `clients` connections over `seconds`; `script` shapes the requests."""
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "bench.lua"
        lua.write_text(script + DONE)
        command = [
            ensure(),
            "-t2",
            f"-c{clients}",
            f"-d{int(seconds)}s",
            "--timeout",
            "10s",
            "-s",
            str(lua),
        ]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.rsplit("JSON ", 1)[1])


def per_second(figures: dict) -> float:
    """Answers that were not errors, per second."""
    return (figures["requests"] - figures["status_errors"]) / figures["seconds"]


def summary(prefix: str, figures: dict) -> dict:
    return {
        f"{prefix}_per_s": round(per_second(figures), 1),
        f"{prefix}_p50_ms": round(figures["p50_us"] / 1000, 1),
        f"{prefix}_p99_ms": round(figures["p99_us"] / 1000, 1),
        f"{prefix}_errors": figures["status_errors"] + figures["socket_errors"],
    }
