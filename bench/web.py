"""The web front end's main pages under 20 concurrent users: server-side time per page
(p50/p95, from the request to the last byte of HTML, the page's calls to the gateway
included), beside the gateway's own latency for the same API calls. Load from wrk.

A page's figure minus its gateway figure is what the front end itself adds (sessions,
building the view, Jinja2 rendering, and waiting when it asks the gateway one call after
another); `web_<page>_cpu_ms_web` is the web process's CPU per page, which a loaded machine
changes far less than the latencies. The target is a p95 under 300 ms for users who read
what they opened (`_think_`); the saturated figures show how the pages hold up without.
"""

import re
from datetime import date, timedelta

import httpx

from bench import wrk
from bench.profile import cpu_ms_per_request, profiled
from tests.harness import DEMO_PASSWORD, Platform

USERS = 20
TARGET_P95_MS = 300
# A person reads a page before opening the next: 1 to 3 s here, less than people take, so
# the 20 users ask about 10 pages a second. The saturated figures have no pause at all.
THINK = "delay = function() return math.random(1000, 3000) end\n"


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def pages(day: date) -> dict[str, tuple[str, str, list[str]]]:
    """name -> (account, page, the API calls the page makes as a person first opens it):
    each role's start page and the pages it uses most. Calls the front end keeps a while
    (the region's organisations, read once per five minutes) are left out."""
    q, year = quarter(day), day.year
    monday = day - timedelta(days=day.weekday())
    return {
        "planning": ("corlaer", "/planning", ["/bookings?limit=21", "/registrations?limit=200"]),
        "aanbod": ("corlaer", "/aanbod", ["/offerings?limit=500"]),
        "apparatuur": (
            "corlaer",
            "/apparatuur",
            ["/equipment?limit=500", "/loans/policy", "/reservations?limit=100"],
        ),
        "evenementen": (
            "corlaer",
            "/evenementen",
            ["/registrations?limit=200", "/events?limit=100"],
        ),
        # Its quarter's declaration, when there is one, is read too (the seed has none).
        "declaratie": ("corlaer", "/declaratie", [f"/finance/declarations?quarter={q}"]),
        "agenda": (
            "backoffice",
            "/backoffice/agenda",
            [f"/sessions?from={monday}&to={monday + timedelta(days=6)}&limit=500"],
        ),
        "vandaag": (
            "backoffice",
            "/backoffice/vandaag",
            [
                f"/sessions?from={day}&to={monday + timedelta(days=6)}&limit=500",
                "/bookings?status=confirmed&limit=11",
                "/overdue-loans?limit=11",
                "/offering-proposals?approval=proposed&limit=11",
            ],
        ),
        "boekingen": (
            "backoffice",
            "/backoffice/boekingen",
            ["/bookings?status=confirmed&limit=21"],
        ),
        "uitleenbalie": (
            "backoffice",
            "/backoffice/uitleenbalie",
            [f"/reservations?from={day}&to={day}&limit=101", "/overdue-loans?limit=100"],
        ),
        "declaraties": (
            "finance",
            "/financien/declaraties",
            [f"/finance/declarations?quarter={q}&limit=500"],
        ),
        "rapportages": (
            "finance",
            "/financien/rapportages",
            [f"/finance/reports/budget?year={year}", f"/finance/reports/cofinancing?year={year}"],
        ),
        "programma": (
            "programma",
            "/programma",
            [f"/programme/kpis?year={year}"],
        ),
        "bedrijf": (
            "voorbeeld-bouw",
            "/bedrijf/aanbod",
            ["/offerings?limit=500", "/offering-proposals?limit=100"],
        ),
    }


# Each request asks for the next of the page's API calls, round robin.
ROTATE = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def signed_in(web: str, username: str) -> str:
    """The session cookie of `username` signed in to the web front end."""
    # Signing in costs argon2 at the directory: on a loaded machine more than httpx's 5 s.
    with httpx.Client(base_url=web, timeout=30) as client:
        page = client.get("/inloggen").text
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        if found is None:
            raise RuntimeError("the login page has no CSRF field")
        csrf = found.group(1)
        answer = client.post(
            "/inloggen",
            data={"gebruikersnaam": username, "wachtwoord": DEMO_PASSWORD, "csrf": csrf},
        )
        if answer.status_code != 303 or answer.headers["location"].startswith("/inloggen"):
            raise RuntimeError(f"signing in as {username}: {answer.status_code}")
        return f"tft-sessie={client.cookies['tft-sessie']}"


def figures(prefix: str, measured: dict) -> dict:
    """Latencies of the answers that came within the run, and how many there were: on a
    loaded machine a short run finishes few pages, and a p95 of a few is a guess."""
    return {
        f"{prefix}_requests": measured["requests"],
        f"{prefix}_p50_ms": round(measured["p50_us"] / 1000, 1),
        f"{prefix}_p95_ms": round(measured["p95_us"] / 1000, 1),
        f"{prefix}_errors": measured["status_errors"] + measured["socket_errors"],
    }


def render_times(platform: Platform, seconds: float = 10.0, users: int = USERS) -> dict:
    """Per main page: the page under `users` users who each read a page before the next
    (`web_<page>_think_*`, what the target is about); then saturated, the users asking one
    page after another without a pause; then its API calls straight at the gateway with as
    many, without a pause."""
    result: dict = {"web_users": users, "web_target_p95_ms": TARGET_P95_MS}
    cookies: dict[str, str] = {}
    for name, (account, path, calls) in pages(date.today()).items():
        if account not in cookies:
            cookies[account] = signed_in(platform.web, account)
        shown = httpx.get(f"{platform.web}{path}", headers={"Cookie": cookies[account]})
        if shown.status_code != 200:
            raise RuntimeError(f"{path} answered {shown.status_code}: {shown.text[:300]}")
        reading = wrk.run(
            f"{platform.web}{path}",
            users,
            max(seconds, 10),  # at about 10 pages a second, enough pages for a p95
            THINK,
            headers={"Cookie": cookies[account]},
        )
        with profiled(f"web_{name}") as used:
            page = wrk.run(
                f"{platform.web}{path}", users, seconds, headers={"Cookie": cookies[account]}
            )
        api = platform.gateway.removesuffix("/api/v1")
        script = ROTATE % ",".join(f'"/api/v1{call}"' for call in calls)
        gateway = wrk.run(api, users, seconds, script, headers=platform.token(account))
        result |= (
            figures(f"web_{name}_think", reading)
            | figures(f"web_{name}", page)
            | cpu_ms_per_request(f"web_{name}", used, page["requests"], ("web",))
            | figures(f"web_{name}_gateway", gateway)
        )
    return result
