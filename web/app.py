"""Wiring of the web front end: sessions and security headers around every request, the
pages of each role, static files, and the error pages."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from shared.store.db import Database, create_engine
from web import pages, security
from web.catalogue import Catalogue
from web.gateway import ApiProblem, Gateway, SignedOut
from web.pages import HERE, Forbidden, LoginRequired, Web, render
from web.routes import (
    announcements,
    auth,
    backoffice,
    calendar,
    company,
    declaration,
    directory,
    equipment,
    event_planning,
    events,
    finance,
    loans,
    messages,
    offers,
    planning,
    programme,
    proposals,
    school,
    today,
)
from web.sessions import SessionStore
from web.settings import WebSettings

NO_SESSION = ("/static/", "/healthz", "/readyz", "/manifest.webmanifest")


def create_app(
    settings: WebSettings | None = None,
    gateway: Gateway | None = None,
    sessions: SessionStore | None = None,
) -> FastAPI:
    settings = settings or WebSettings()
    gateway = gateway or Gateway(settings.gateway_url, settings.gateway_timeout_seconds)
    sessions = sessions or SessionStore(
        Database(create_engine(settings.resolved_database_url())),
        settings.web_session_idle_minutes * 60,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await gateway.close()
        await sessions.db.dispose()

    app = FastAPI(
        title="TFT web",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(security.check_csrf)],
    )
    app.state.web = Web(settings, gateway, sessions, pages.templates(), Catalogue(gateway))
    install_sessions(app)
    install_errors(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (
        auth,
        school,
        equipment,
        events,
        event_planning,
        today,
        backoffice,
        planning,
        calendar,
        directory,
        loans,
        finance,
        declaration,
        company,
        proposals,
        offers,
        messages,
        announcements,
        programme,
    ):
        app.include_router(module.router)

    @app.get("/healthz", include_in_schema=False)
    @app.get("/readyz", include_in_schema=False)
    async def alive() -> dict[str, str]:
        return {"status": "ok"}

    manifest_body = (HERE / "static" / "manifest.webmanifest").read_bytes()  # read once

    @app.get("/manifest.webmanifest", include_in_schema=False)
    async def manifest() -> Response:
        return Response(manifest_body, media_type="application/manifest+json")

    return app


def install_sessions(app: FastAPI) -> None:
    """Every page request gets its session (a new anonymous one when the cookie names none
    alive) and every response the security headers."""

    @app.middleware("http")
    async def sessions_and_headers(request: Request, call_next) -> Response:
        if request.url.path.startswith(NO_SESSION):
            response = await call_next(request)
        else:
            response = await with_session(request, call_next)
        response.headers.update(security.HEADERS)
        return response


async def with_session(request: Request, call_next) -> Response:
    web: Web = request.app.state.web
    secure = web.settings.web_secure_cookies
    sent = request.cookies.get(security.cookie_name(secure))
    session = await web.sessions.get(sent) if sent else None
    request.state.session_expired = bool(sent) and session is None
    request.state.session = session or web.sessions.new()
    stored = request.state.session.state()
    response = await call_next(request)
    current = request.state.session  # login and logout replace it
    if current.id != sent or current.state() != stored or web.sessions.due(current):
        await web.sessions.save(current)
    if current.id != sent:
        security.set_session_cookie(response, current.id, secure)
    return response


def install_errors(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def to_login(_: Request, exc: LoginRequired) -> Response:
        return pages.login_redirect(exc.return_to, exc.expired)

    @app.exception_handler(SignedOut)
    async def signed_out(request: Request, _: SignedOut) -> Response:
        """The gateway token expired: a fresh session, and back here after signing in."""
        web: Web = request.app.state.web
        await web.sessions.drop(request.state.session.id)
        request.state.session = web.sessions.new()
        response = pages.login_redirect(pages.return_path(request), expired=True)
        security.set_session_cookie(
            response, request.state.session.id, web.settings.web_secure_cookies
        )
        return response

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _: Forbidden) -> Response:
        return render(
            request,
            "error.html",
            403,
            title="Geen toegang",
            message="Deze pagina hoort bij een andere rol dan de jouwe.",
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        titles = {403: "Geweigerd", 404: "Pagina niet gevonden", 405: "Niet toegestaan"}
        message = (
            exc.detail
            if exc.status_code == 403
            else ("Deze pagina bestaat niet (meer). Kies een onderdeel in het menu.")
        )
        return render(
            request,
            "error.html",
            exc.status_code,
            title=titles.get(exc.status_code, "Er ging iets mis"),
            message=message,
        )

    @app.exception_handler(ApiProblem)
    async def api_problem(request: Request, exc: ApiProblem) -> Response:
        """A refusal no page handles itself (e.g. the platform is unreachable)."""
        if exc.status == 404:  # what the page shows is gone: as for a page that is
            return await http_error(request, HTTPException(404))
        title = "Even niet bereikbaar" if exc.status >= 500 else "Dat lukte niet"
        return render(
            request,
            "error.html",
            exc.status if exc.status >= 400 else 502,
            title=title,
            message=exc.detail or "Het platform weigerde dit verzoek.",
        )
