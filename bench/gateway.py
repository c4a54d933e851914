"""POST /api/v1/bookings through the gateway by 50 concurrent clients, on PostgreSQL, and
the gateway's overhead over calling the service straight. Load from wrk (bench/wrk.py)."""

from datetime import UTC, datetime, timedelta

import httpx

from bench import wrk
from bench.profile import cpu_ms_per_request, profiled
from tests.harness import SERVICES, Platform, hotspot_lesson

SEATS_PER_SESSION = 1000
# The processes a request goes through, whose CPU per request is reported, and notify, which
# applies each booking's events (and sends their mail) meanwhile.
PROCESSES = ("gateway", "bookings", "notify", "kafka", "postgres")

# Each request books one student on the next session, round robin: schools book
# different sessions, as they do.
LUA = """
local sessions = {%(sessions)s}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
%(headers)s
request = function()
  i = i + 1
  local body = '{"session_id":"' .. sessions[(i %% #sessions) + 1] ..
    '","group":{"name":"bench","level":"vmbo-kb","year":3,"students":1}}'
  return wrk.format(nil, nil, nil, body)
end
"""


def plan_sessions(platform: Platform, count: int) -> list[str]:
    headers = platform.token("backoffice")
    gateway = platform.gateway
    offering = hotspot_lesson(platform)
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
            f"{gateway}/offerings/{offering}/sessions",
            headers=headers,
            json={
                "starts_at": begin.isoformat(),
                "ends_at": (begin + timedelta(hours=2)).isoformat(),
                "room": f"Bench {offset}",
                "instructor": f"Bench {offset}",
                "capacity": SEATS_PER_SESSION,
            },
        )
        if response.status_code == 422 and response.json().get("rule") == "calendar":
            continue
        if response.is_error:
            raise RuntimeError(f"planning a bench session: {response.text}")
        ids.append(response.json()["id"])
    return ids


def as_school(platform: Platform, seconds: float) -> dict[str, str]:
    """A school as the gateway names it to bookings: a token it signed for bookings (one for
    the whole run, where the gateway signs one per request)."""
    return platform.service_token("bookings", "school", "corlaer", lifetime=int(seconds) + 300)


def bookings(platform: Platform, clients: int = 50, seconds: float = 30.0) -> dict:
    """Bookings through the gateway, and straight at the service as the gateway calls it."""
    sessions = ",".join(f'"{s}"' for s in plan_sessions(platform, clients))
    figures: dict[str, dict] = {}
    cpu: dict[str, float] = {}
    for name, url, headers in [
        ("gateway_bookings", f"{platform.gateway}/bookings", platform.token("corlaer")),
        (
            "direct_bookings",
            f"http://127.0.0.1:{SERVICES['bookings']}/bookings",
            as_school(platform, seconds),
        ),
    ]:
        script = LUA % {
            "sessions": sessions,
            "headers": "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()),
        }
        with profiled(name) as used:
            figures[name] = wrk.run(url, clients, seconds, script)
        cpu |= cpu_ms_per_request(name, used, figures[name]["requests"], PROCESSES)
    return {
        **wrk.summary("gateway_bookings", figures["gateway_bookings"]),
        **wrk.summary("direct_bookings", figures["direct_bookings"]),
        **cpu,
        "gateway_bookings_throughput_ratio": round(
            wrk.per_second(figures["gateway_bookings"])
            / wrk.per_second(figures["direct_bookings"]),
            3,
        ),
    }


def overhead(platform: Platform, clients: int = 50, seconds: float = 30.0) -> dict:
    """GET /offerings straight at the bookings service (as the gateway calls it, with a token
    it signed for bookings) and through the gateway (bearer token, edge, forwarding, a token
    signed per request)."""
    with profiled("direct_offerings") as direct_used:
        direct = wrk.run(
            f"http://127.0.0.1:{SERVICES['bookings']}/offerings?limit=50",
            clients,
            seconds,
            headers=as_school(platform, seconds),
        )
    with profiled("gateway_offerings") as gateway_used:
        gateway = wrk.run(
            f"{platform.gateway}/offerings?limit=50",
            clients,
            seconds,
            headers=platform.token("corlaer"),
        )
    return {
        **wrk.summary("direct_offerings", direct),
        **wrk.summary("gateway_offerings", gateway),
        **cpu_ms_per_request("direct_offerings", direct_used, direct["requests"], PROCESSES),
        **cpu_ms_per_request("gateway_offerings", gateway_used, gateway["requests"], PROCESSES),
        "gateway_throughput_ratio": round(wrk.per_second(gateway) / wrk.per_second(direct), 3),
        "gateway_p50_latency_ratio": round(gateway["p50_us"] / max(direct["p50_us"], 1), 2),
    }
