"""POST /api/v1/bookings through the gateway by 50 concurrent clients, on PostgreSQL, and
the gateway's overhead over calling the service straight. Load from wrk (bench/wrk.py)."""

from datetime import UTC, datetime, timedelta

import httpx

from bench import wrk
from tests.harness import SERVICES, Platform, hotspot_lesson

SEATS_PER_SESSION = 1000

# Each request books one student on the next session, round robin: schools book
# different sessions, as they do.
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
    return wrk.summary("gateway_bookings",
                       wrk.run(f"{platform.gateway}/bookings", clients, seconds, script))


def overhead(platform: Platform, clients: int = 50, seconds: float = 30.0) -> dict:
    """GET /offerings straight at the bookings service (as the gateway calls it, with a token
    it signed for bookings; one for the whole run) and through the gateway (bearer token,
    edge, forwarding, a token signed per request)."""
    as_gateway_would = platform.service_token("bookings", "school", "corlaer",
                                              lifetime=int(seconds) + 300)
    direct = wrk.run(f"http://127.0.0.1:{SERVICES['bookings']}/offerings?limit=50",
                     clients, seconds, headers=as_gateway_would)
    gateway = wrk.run(f"{platform.gateway}/offerings?limit=50", clients, seconds,
                      headers=platform.token("corlaer"))
    return {
        **wrk.summary("direct_offerings", direct),
        **wrk.summary("gateway_offerings", gateway),
        "gateway_throughput_ratio": round(wrk.per_second(gateway) / wrk.per_second(direct), 3),
        "gateway_p50_latency_ratio": round(gateway["p50_us"] / max(direct["p50_us"], 1), 2),
    }
