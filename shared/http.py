"""HTTP pieces every service uses: problem details (RFC 9457), request ids, metrics, health.

Services sit behind the gateway, which authenticates the caller and tells each service who
it is in a token signed for that request (`shared.auth`); `Caller` is what the token says.
"""

import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from structlog.contextvars import bound_contextvars

from shared.domain import Refused
from shared.errors import is_transient
from shared.observability.logging import CORRELATION_ID, REQUEST_ID, log
from shared.observability.metrics import Metrics
from shared.observability.tracing import NO_TRACING, Tracing, answered

PROBLEM_JSON = "application/problem+json"
REQUEST_ID_HEADER = "X-Request-ID"
CORRELATION_ID_HEADER = "X-Correlation-ID"
# How long a server keeps an idle keep-alive connection open, and how long a caller's pool
# keeps one: the caller lets go first, so it never writes to a connection the server closed.
SERVER_KEEP_ALIVE_SECONDS = 15
CALLER_KEEP_ALIVE_SECONDS = 10


def json_body(content: Any) -> bytes:
    """JSON as the services' responses encode it (Starlette's JSONResponse): the bench's
    hello-world baseline encodes with this too."""
    return json.dumps(
        content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode()


class Problem(Exception):
    """An error of the HTTP edge itself (no caller, too many requests, a body too large, a
    service behind the gateway down): a problem-details response. The domain and service
    layers refuse with `shared.domain.Refused`, which the edge maps the same way."""

    def __init__(self, status: int, title: str, detail: str = "", **extra: Any) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra


def problem_response(status: int, title: str, detail: str = "", **extra: Any) -> JSONResponse:
    """The problem-details answer; a `retry_after` (seconds) is also sent as Retry-After."""
    body = {"type": "about:blank", "title": title, "status": status, **extra}
    if detail:
        body["detail"] = detail
    response = JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)
    if "retry_after" in extra:
        response.headers["Retry-After"] = str(extra["retry_after"])
    return response


# Where `shared.auth.Authentication` leaves the verified caller in the request's state.
CALLER = "caller"


@dataclass(frozen=True)
class Caller:
    actor: str
    role: str
    organisation: str

    @classmethod
    def from_request(cls, request: Request) -> "Caller":
        caller = getattr(request.state, CALLER, None)
        if caller is None:  # the gateway asking for itself: no person, no role
            raise Problem(401, "Unauthenticated", "het verzoek zegt niet wie het doet")
        return caller

    def require(self, *roles: str) -> None:
        """A use case is for `roles` only: refused (403) for anyone else."""
        if self.role not in roles:
            raise Refused(f"de rol {self.role} mag dit niet", 403)


_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _id_from(headers: dict[bytes, bytes], name: bytes) -> str | None:
    """A client-chosen id, if it is safe to log and forward; otherwise None."""
    value = headers.get(name, b"").decode("latin-1")
    return value if _SAFE_ID.match(value) else None


class ObservabilityMiddleware:
    """Binds request and correlation ids to the logs of a request, echoes `X-Request-ID`,
    counts the request and traces it (a SERVER span continuing the caller's `traceparent`).
    Plain ASGI: no extra task or thread per request."""

    def __init__(self, app: ASGIApp, metrics: Metrics, tracing: Tracing = NO_TRACING) -> None:
        self.app, self.metrics, self.tracing = app, metrics, tracing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = _id_from(headers, b"x-request-id") or str(uuid4())
        correlation_id = _id_from(headers, b"x-correlation-id") or request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", ()),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        started = time.perf_counter()
        with self.tracing.serving(scope) as span:
            try:
                with bound_contextvars(**{REQUEST_ID: request_id, CORRELATION_ID: correlation_id}):
                    await self.app(scope, receive, send_with_id)
            finally:
                route = getattr(scope.get("route"), "path", "unmatched")
                self.metrics.http_requests.labels(scope["method"], route, str(status)).inc()
                self.metrics.http_latency.labels(scope["method"], route).observe(
                    time.perf_counter() - started
                )
                answered(span, scope["method"], route, status)


async def current_caller(request: Request) -> Caller:
    """FastAPI dependency; async so it runs on the event loop, not in a worker thread."""
    return Caller.from_request(request)


def install_http(
    app: FastAPI,
    metrics: Metrics,
    ready: Callable[[], Awaitable[None]],
    tracing: Tracing = NO_TRACING,
) -> None:
    """Problem handlers, the ids/metrics/tracing middleware, /healthz, /readyz, /metrics."""
    _install_problem_handlers(app)
    app.add_middleware(ObservabilityMiddleware, metrics=metrics, tracing=tracing)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        try:
            await ready()
        except Exception as exc:
            log.warning("not ready", error=repr(exc))
            return problem_response(503, "Not ready", str(exc))
        return JSONResponse({"status": "ready"})

    @app.get("/metrics", include_in_schema=False)
    async def metrics_endpoint() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)


_REFUSAL_TITLES = {403: "Forbidden", 404: "Not found", 422: "Not possible"}


def _install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def on_problem(_request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.title, exc.detail, **exc.extra)

    @app.exception_handler(Refused)
    async def on_refused(_request: Request, exc: Refused) -> JSONResponse:
        return problem_response(
            exc.status, _REFUSAL_TITLES.get(exc.status, exc.title), exc.reason, **exc.extra
        )

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        if await _body_not_json(request, exc):
            return problem_response(
                415,
                "Unsupported media type",
                "stuur de gegevens als JSON (Content-Type: application/json)",
            )
        # `code` is pydantic's error type (e.g. "greater_than"): stable, so a front end can
        # show its own text; `message` is pydantic's reason.
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"] if p != "body"),
                "message": e["msg"],
                "code": e["type"],
            }
            for e in exc.errors()
        ]
        return problem_response(
            422, "Invalid request", "het verzoek heeft ongeldige velden", errors=errors
        )

    @app.exception_handler(Exception)
    async def on_crash(_request: Request, exc: Exception) -> JSONResponse:
        if is_transient(exc):  # the store is down or restarting: nothing was written
            log.warning("store unavailable", error=repr(exc))
            response = problem_response(
                503,
                "Service unavailable",
                "de opslag van de dienst is even niet bereikbaar; probeer het zo opnieuw",
            )
            response.headers["Retry-After"] = "2"
            return response
        log.exception("unhandled error", error=repr(exc))
        return problem_response(500, "Internal error", "de dienst kon dit niet afhandelen")


async def _body_not_json(request: Request, exc: RequestValidationError) -> bool:
    """True if a body the route reads as JSON came with another (or no) content type: FastAPI
    then validates the raw bytes, and the client should hear 415, not a field error."""
    if not any(e["loc"][:1] == ("body",) for e in exc.errors()) or not await request.body():
        return False
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    subtype = media.partition("/")[2]
    return not (subtype == "json" or subtype.endswith("+json"))
