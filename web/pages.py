"""What every route needs: the signed-in person, their navigation, and rendering a page."""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from starlette.background import BackgroundTask
from starlette.responses import HTMLResponse, RedirectResponse, StreamingResponse

from web import charts, formatting
from web.catalogue import Catalogue
from web.gateway import Gateway
from web.manage import SCHOOL_KINDS
from web.sessions import Session, SessionStore
from web.settings import WebSettings

HERE = Path(__file__).parent
MAX_ORGANISATIONS = 500  # the API's page limit; the region has a few hundred at most


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str


NAVIGATION: dict[str, list[NavItem]] = {
    "school": [
        NavItem("Mijn planning", "/planning"),
        NavItem("Aanbod", "/aanbod"),
        NavItem("Apparatuur lenen", "/apparatuur"),
        NavItem("Evenementen", "/evenementen"),
        NavItem("Declaratie", "/declaratie"),
        NavItem("Berichten", "/berichten"),
    ],
    # A teacher books lessons for a class of the school and sees the school's planning.
    "teacher": [
        NavItem("Mijn planning", "/planning"),
        NavItem("Aanbod", "/aanbod"),
        NavItem("Berichten", "/berichten"),
    ],
    "backoffice": [
        NavItem("Vandaag", "/backoffice/vandaag"),
        NavItem("Boekingen", "/backoffice/boekingen"),
        NavItem("Agenda", "/backoffice/agenda"),
        NavItem("Uitleenbalie", "/backoffice/uitleenbalie"),
        NavItem("Evenementen", "/backoffice/evenementen"),
        NavItem("Voorstellen", "/backoffice/voorstellen"),
        NavItem("Kalender", "/backoffice/kalender"),
        NavItem("Organisaties", "/backoffice/organisaties"),
        NavItem("Mensen", "/backoffice/mensen"),
        NavItem("Aanbod", "/aanbod"),
        NavItem("Aankondigingen", "/aankondigingen"),
        NavItem("Berichten", "/berichten"),
    ],
    "finance": [
        NavItem("Declaraties", "/financien/declaraties"),
        NavItem("Budget en rapportages", "/financien/rapportages"),
        NavItem("Berichten", "/berichten"),
    ],
    "programme": [
        NavItem("Programmamonitoring", "/programma"),
        NavItem("Aanbod", "/aanbod"),
        NavItem("Aankondigingen", "/aankondigingen"),
        NavItem("Berichten", "/berichten"),
    ],
    "admin": [
        NavItem("Start", "/start"),
        NavItem("Programmamonitoring", "/programma"),
        NavItem("Aanbod", "/aanbod"),
        NavItem("Berichten", "/berichten"),
    ],
    "company": [
        NavItem("Ons aanbod", "/bedrijf/aanbod"),
        NavItem("Aanvragen", "/bedrijf/aanvragen"),
        NavItem("Wie komt er", "/bedrijf/wie-komt"),
        NavItem("Cofinanciering", "/bedrijf/cofinanciering"),
        NavItem("Berichten", "/berichten"),
    ],
}
OTHERS = [
    NavItem("Start", "/start"),
    NavItem("Aanbod", "/aanbod"),
    NavItem("Berichten", "/berichten"),
]


def start_page(role: str) -> str:
    """Where a person lands after signing in: the first item of their navigation."""
    return NAVIGATION.get(role, OTHERS)[0].href


@dataclass
class Web:
    """The front end's parts, on `app.state.web`."""

    settings: WebSettings
    gateway: Gateway
    sessions: SessionStore
    templates: Jinja2Templates
    catalogue: Catalogue


def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=HERE / "templates")
    t.env.filters.update(
        long_date=formatting.long_date,
        time_range=formatting.time_range,
        date_time=formatting.date_time,
        amount=formatting.amount,
        hours=formatting.hours,
        quarter=formatting.quarter,
        role_name=lambda r: formatting.label(formatting.ROLES, r),
        kind=lambda k: formatting.label(formatting.OFFER_KINDS, k),
        booking_status=lambda s: formatting.label(formatting.BOOKING_STATUSES, s),
        desk_status=lambda s: formatting.label(formatting.DESK_STATUSES, s),
        day=date.fromisoformat,
        registration_status=lambda s: formatting.label(formatting.REGISTRATION_STATUSES, s),
        declaration_status=lambda s: formatting.label(formatting.DECLARATION_STATUSES, s),
        approval=lambda s: formatting.label(formatting.APPROVALS, s),
        cofinancing_form=lambda s: formatting.label(formatting.COFINANCING_FORMS, s),
        parse_dt=datetime.fromisoformat,
        pair=lambda v: (v, v),
        kind_pair=lambda k: (k, formatting.label(formatting.OFFER_KINDS, k)),
        theme=lambda t: formatting.label(formatting.THEMES, t),
        theme_pair=lambda t: (t, formatting.label(formatting.THEMES, t)),
        chart_svg=charts.svg,
    )
    t.env.globals["LEVELS"] = formatting.LEVELS
    t.env.globals["PROFILES"] = formatting.PROFILES
    t.env.globals["THEMES"] = formatting.THEMES
    return t


def web(request: Request) -> Web:
    return request.app.state.web


class LoginRequired(Exception):
    """Not (or no longer) signed in: to the login page, then back to `return_to`."""

    def __init__(self, return_to: str, expired: bool = False) -> None:
        self.return_to, self.expired = return_to, expired


def return_path(request: Request) -> str:
    """Where to come back after signing in: this page, or for a form the page it was on."""
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path:
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


def login_redirect(return_to: str, expired: bool) -> RedirectResponse:
    query = {"terug": return_to} | ({"verlopen": "1"} if expired else {})
    return RedirectResponse(f"/inloggen?{urlencode(query)}", status_code=303)


async def person(request: Request) -> Session:
    """Dependency: the signed-in person's session. Async, so FastAPI calls it on the event
    loop: a plain function would cost every page a hop to the thread pool and back."""
    session: Session = request.state.session
    if not session.signed_in:
        raise LoginRequired(return_path(request), expired=request.state.session_expired)
    return session


def role(*roles: str) -> Any:
    """Dependency: the signed-in person, who must have one of `roles` (else 403)."""

    async def allowed(request: Request, session: Session = Depends(person)) -> Session:
        if session.role not in roles:
            raise Forbidden()
        return session

    return Depends(allowed)


class Forbidden(Exception):
    """A page for another role."""


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    session: Session = request.state.session
    nav = NAVIGATION.get(session.role, OTHERS) if session.signed_in else []
    return web(request).templates.TemplateResponse(
        request,
        template,
        {
            "session": session,
            "nav": nav,
            "path": request.url.path,
            "flashes": session.pop_flashes(),
            **context,
        },
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )


async def organisations_named(
    request: Request, token: str, kinds: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """(id, name) of the organisations (of `kinds`, if given), by name: for a choice."""
    found = await web(request).gateway.get(token, "/organisations", {"limit": MAX_ORGANISATIONS})
    return sorted(
        ((o["id"], o["name"]) for o in found if not kinds or o["kind"] in kinds),
        key=lambda pair: pair[1].lower(),
    )


async def schools(request: Request, token: str) -> list[tuple[str, str]]:
    return await organisations_named(request, token, SCHOOL_KINDS)


async def nothing() -> list[Any]:
    """An empty answer, in place of a call a page makes only for some people."""
    return []


def see_other(url: str) -> RedirectResponse:
    """After a form: the browser fetches the next page with GET (no resubmit on reload)."""
    return RedirectResponse(url, status_code=303)


def passed_on(answer: httpx.Response, filename: str) -> StreamingResponse:
    """A file the gateway streams (a report), passed on to the browser as a download."""
    return StreamingResponse(
        answer.aiter_bytes(),
        background=BackgroundTask(answer.aclose),
        media_type=answer.headers.get("content-type"),
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
