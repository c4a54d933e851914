"""Forwarding to the internal services: one pooled client per service, one way to call them."""

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

import aiohttp
from fastapi import Response

from services.gateway.auth import Principal, TokenService
from services.gateway.breaker import Breaker
from services.gateway.idempotency import forwarded_key
from services.gateway.ratelimit import retry_after
from services.gateway.settings import GatewaySettings
from shared.http import (
    CALLER_KEEP_ALIVE_SECONDS,
    CORRELATION_ID_HEADER,
    REQUEST_ID_HEADER,
    Problem,
    problem_response,
)
from shared.observability.logging import current_correlation_id, current_request_id, log
from shared.observability.tracing import inject
from shared.store.versions import passed_on

# Upstream headers a client may see; everything else (hosts, servers) stays inside.
PASSED_HEADERS = ("content-type", "content-disposition", "etag", "retry-after")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Bodies the gateway relays: JSON (and problem+json), and finance's report downloads.
RELAYED_TYPES = ("json", "text/csv", XLSX)

# Refused or reset. Timeouts (aiohttp's ServerTimeoutError is a ClientConnectionError and a
# TimeoutError) are caught before these: the call may have reached the service.
UNREACHABLE = (aiohttp.ClientConnectionError,)
# A pooled connection the service closed while idle fails like this when reused, before the
# service read the request: then a retry on a fresh connection is safe for any method.
STALE = (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError)
# The school the backoffice acts for in this request (set by the route's check), told to the
# service in the request's token.
on_behalf_of: ContextVar[str | None] = ContextVar("on_behalf_of", default=None)


class Upstreams:
    def __init__(
        self,
        urls: Mapping[str, str],
        timeout_seconds: float,
        *,
        tokens: TokenService,
        breaker_failures: int = 5,
        breaker_open_seconds: float = 10,
    ) -> None:
        self._urls = {name: url.rstrip("/") for name, url in urls.items()}
        self._tokens = tokens
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._clients: dict[str, aiohttp.ClientSession] = {}
        self._fresh: dict[str, aiohttp.ClientSession] = {}  # no pool: for the one retry
        self.breakers = {
            name: Breaker(breaker_failures, breaker_open_seconds) for name in self._urls
        }

    @classmethod
    def for_settings(cls, settings: GatewaySettings, tokens: TokenService) -> "Upstreams":
        return cls(
            settings.upstream_urls(),
            settings.upstream_timeout_seconds,
            tokens=tokens,
            breaker_failures=settings.breaker_failures,
            breaker_open_seconds=settings.breaker_open_seconds,
        )

    @asynccontextmanager
    async def lifespan(self, _app: Any) -> AsyncIterator[None]:
        """Router lifespan: FastAPI merges it into the app's, so clients live with the app."""
        trace = aiohttp.TraceConfig()
        trace.on_connection_reuseconn.append(_mark_reused)
        trace.on_connection_create_end.append(_mark_fresh)
        self._clients = {
            name: self._session(
                aiohttp.TCPConnector(limit=100, keepalive_timeout=CALLER_KEEP_ALIVE_SECONDS), trace
            )
            for name in self._urls
        }
        self._fresh = {
            name: self._session(aiohttp.TCPConnector(force_close=True)) for name in self._urls
        }
        try:
            yield
        finally:
            sessions = [*self._clients.values(), *self._fresh.values()]
            await asyncio.gather(*(c.close() for c in sessions))
            self._clients, self._fresh = {}, {}

    def _session(
        self, connector: aiohttp.TCPConnector, *traces: aiohttp.TraceConfig
    ) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            connector=connector, timeout=self._timeout, trust_env=False, trace_configs=list(traces)
        )

    async def _send(
        self, service: str, method: str, path: str, **options: Any
    ) -> aiohttp.ClientResponse:
        """The service's answer (headers read, body not yet), once more on a fresh connection
        when the pooled one it went out on turned out closed before the service read it."""
        url = self._urls[service] + path
        connection = {"reused": False}
        try:
            return await self._clients[service].request(
                method, url, trace_request_ctx=connection, **options
            )
        except STALE as exc:
            if not connection["reused"]:
                raise
            log.info(
                "pooled connection was closed, retrying on a fresh one",
                upstream=service,
                error=repr(exc),
            )
        return await self._fresh[service].request(method, url, **options)

    async def forward(
        self,
        service: str,
        method: str,
        path: str,
        who: Principal | None,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> Response:
        """Call `service` as `who` (None: a public route) and hand its status and JSON (or
        problem) back."""
        breaker = self.breakers[service]
        wait = breaker.wait()
        if wait:
            return _unavailable(service, retry_after(wait))
        query = {k: str(v) for k, v in (params or {}).items() if v is not None}
        try:
            headers = {**self._identity(service, who), **passed_on()}
            async with await self._send(
                service, method, path, params=query, json=body, headers=headers
            ) as answer:
                content = await answer.read()
        except TimeoutError as exc:  # it may have acted: a 504, which a retry must not hide
            breaker.failed()
            log.warning("upstream timed out", upstream=service, error=repr(exc))
            return problem_response(
                504,
                "Gateway timeout",
                f"de dienst {service} antwoordde niet op tijd",
                service=service,
            )
        except UNREACHABLE as exc:
            breaker.failed()
            log.warning("upstream unavailable", upstream=service, error=repr(exc))
            return _unavailable(service, "5")
        breaker.succeeded()
        return _relay(service, answer.status, answer.headers, content)

    async def ask(
        self,
        service: str,
        method: str,
        path: str,
        *,
        body: Any = None,
        who: Principal | None = None,
    ) -> tuple[int, Any]:
        """The gateway's own question to a service (as `who`, else as nobody): its status
        and JSON answer.

        Unreachable, too slow, or failing (5xx): a 503 `Problem`, and the breaker hears it."""
        breaker = self.breakers[service]
        if breaker.wait():
            raise _down(service)
        try:
            async with await self._send(
                service, method, path, json=body, headers=self._identity(service, who)
            ) as answer:
                status = answer.status
                content = await answer.json(content_type=None) if status < 500 else None
        except (TimeoutError, *UNREACHABLE, ValueError) as exc:
            breaker.failed()
            log.warning("upstream did not answer the gateway", upstream=service, error=repr(exc))
            raise _down(service) from exc
        if status >= 500:
            breaker.failed()
            raise _down(service)
        breaker.succeeded()
        return status, content

    def _identity(self, service: str, who: Principal | None) -> dict[str, str]:
        """Who calls (nobody: the gateway itself) in a token for this request to `service`
        alone, the ids `install_http` bound for this request (from its headers) and the
        request's trace context."""
        request_id = current_request_id()
        token = self._tokens.for_request(service, who, on_behalf_of.get() if who else None)
        headers = {
            "Authorization": f"Bearer {token}",
            REQUEST_ID_HEADER: request_id,
            CORRELATION_ID_HEADER: current_correlation_id() or request_id,
            "Idempotency-Key": forwarded_key.get() if who else None,
        }
        identity = {name: value for name, value in headers.items() if value}
        inject(identity)
        return identity


async def _mark_reused(_session: Any, trace: Any, _params: Any) -> None:
    trace.trace_request_ctx["reused"] = True


async def _mark_fresh(_session: Any, trace: Any, _params: Any) -> None:
    trace.trace_request_ctx["reused"] = False  # aiohttp's own retry of a GET connects anew


def _down(service: str) -> Problem:
    return Problem(
        503,
        "Service unavailable",
        f"de dienst {service} is niet bereikbaar; probeer het later opnieuw",
        service=service,
    )


def _unavailable(service: str, retry: str) -> Response:
    response = problem_response(
        503,
        "Service unavailable",
        f"de dienst {service} is niet bereikbaar; probeer het later opnieuw",
        service=service,
    )
    response.headers["Retry-After"] = retry
    return response


def _relay(
    service: str, status: int, upstream_headers: Mapping[str, str], content: bytes
) -> Response:
    """`upstream_headers` is aiohttp's case-insensitive view of the answer's headers.

    A service's own failure (5xx) is told in the gateway's words: its body may name hosts,
    addresses or stack frames, which stay inside."""
    if status >= 500:
        log.warning("upstream failed", upstream=service, status=status)
        unavailable = status == 503
        response = problem_response(
            503 if unavailable else 502,
            "Service unavailable" if unavailable else "Bad gateway",
            f"de dienst {service} {'is niet beschikbaar' if unavailable else 'faalde'}; "
            "probeer het later opnieuw",
            service=service,
        )
        response.headers["Retry-After"] = upstream_headers.get("retry-after", "5")
        return response
    content_type = upstream_headers.get("content-type", "")
    if content and not any(kind in content_type for kind in RELAYED_TYPES):
        log.warning(
            "upstream answered in a type the gateway does not relay",
            upstream=service,
            status=status,
            content_type=content_type,
        )
        return problem_response(
            502, "Bad gateway", f"de dienst {service} gaf een onleesbaar antwoord", service=service
        )
    headers = {name: upstream_headers[name] for name in PASSED_HEADERS if name in upstream_headers}
    return Response(content, status_code=status, headers=headers)
