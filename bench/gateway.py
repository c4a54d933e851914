"""POST /api/v1/bookings through the gateway by 50 concurrent clients, on PostgreSQL.

The load comes from wrk (Debian's package, installed when missing): a C load generator
leaves the two cores to the platform, where a Python client would take half of one.
"""

import json
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.harness import SERVICES, Platform

SEATS_PER_SESSION = 1000

# Each request books one student on the next session, round robin: schools book
# different sessions, as they do. `done` prints wrk's figures as JSON.
LUA = """
local sessions = {%(sessions)s}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "%(authorization)s"
request = function()
  i = i + 1
  local body = '{"session_id":"' .. sessions[(i %% #sessions) + 1] ..
    '","group":{"name":"bench","level":"vmbo-kb","year":3,"students":1}}'
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format(
    '\\nJSON {"requests":%%d,"seconds":%%f,"status_errors":%%d,"socket_errors":%%d,' ..
    '"p50_us":%%d,"p99_us":%%d}\\n',
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def plan_sessions(platform: Platform, count: int) -> list[str]:
    headers = platform.token("backoffice")
    gateway = platform.gateway
    offering = httpx.get(f"{gateway}/offerings", headers=headers).json()[0]["id"]
    first = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    # Weekdays the hotspot is open (holidays are refused: skip them), a room each.
    ids: list[str] = []
    for offset in range(30, 30 + 10 * count):
        begin = first + timedelta(days=offset)
        if len(ids) == count:
            break
        if begin.weekday() >= 5:
            continue
        response = httpx.post(
            f"{gateway}/offerings/{offering}/sessions", headers=headers,
            json={"starts_at": begin.isoformat(),
                  "ends_at": (begin + timedelta(hours=2)).isoformat(),
                  "room": f"Bench {offset}", "instructor": f"Bench {offset}",
                  "capacity": SEATS_PER_SESSION})
        if response.status_code == 422 and response.json().get("rule") == "calendar":
            continue
        if response.is_error:
            raise RuntimeError(f"planning a bench session: {response.text}")
        ids.append(response.json()["id"])
    return ids


def bookings(platform: Platform, clients: int = 50, seconds: float = 30.0) -> dict:
    sessions = plan_sessions(platform, clients)
    script = LUA % {"sessions": ",".join(f'"{s}"' for s in sessions),
                    "authorization": platform.token("corlaer")["Authorization"]}
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "bookings.lua"
        lua.write_text(script)
        run = subprocess.run(
            [ensure_wrk(), "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s",
             "-s", str(lua), f"{platform.gateway}/bookings"],
            capture_output=True, text=True, check=True)
    figures = json.loads(run.stdout.rsplit("JSON ", 1)[1])
    ok = figures["requests"] - figures["status_errors"]
    return {
        "gateway_bookings_per_s": round(ok / figures["seconds"], 1),
        "gateway_p50_ms": round(figures["p50_us"] / 1000, 1),
        "gateway_p99_ms": round(figures["p99_us"] / 1000, 1),
        "gateway_errors": figures["status_errors"] + figures["socket_errors"],
    }


# Only wrk's figures: the request is fixed by the command line (URL and headers).
FIGURES_LUA = LUA[LUA.index("done = function"):]


def wrk_get(url: str, headers: dict[str, str], clients: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "figures.lua"
        lua.write_text(FIGURES_LUA.replace("%%", "%"))
        command = [ensure_wrk(), "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s",
                   "-s", str(lua)]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        run = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return json.loads(run.stdout.rsplit("JSON ", 1)[1])


def overhead(platform: Platform, clients: int = 50, seconds: float = 30.0) -> dict:
    """GET /offerings straight at the bookings service (as the gateway calls it, with the
    caller in X-TFT-* headers) and through the gateway (bearer token, edge, forwarding)."""
    direct = wrk_get(f"http://127.0.0.1:{SERVICES['bookings']}/offerings?limit=50",
                     {"X-TFT-Actor": "corlaer", "X-TFT-Role": "school",
                      "X-TFT-Organisation": "corlaer"}, clients, seconds)
    gateway = wrk_get(f"{platform.gateway}/offerings?limit=50", platform.token("corlaer"),
                      clients, seconds)

    def per_second(figures: dict) -> float:
        return (figures["requests"] - figures["status_errors"]) / figures["seconds"]

    return {
        "direct_offerings_per_s": round(per_second(direct), 1),
        "gateway_offerings_per_s": round(per_second(gateway), 1),
        "gateway_throughput_ratio": round(per_second(gateway) / per_second(direct), 3),
        "direct_p50_ms": round(direct["p50_us"] / 1000, 1),
        "gateway_offerings_p50_ms": round(gateway["p50_us"] / 1000, 1),
        "gateway_p50_latency_ratio": round(gateway["p50_us"] / max(direct["p50_us"], 1), 2),
        "overhead_errors": sum(f["status_errors"] + f["socket_errors"]
                               for f in (direct, gateway)),
    }
