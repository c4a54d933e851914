"""Forwarding to the internal services: one pooled client per service, one way to call them.

A service may run as several replicas: each request goes to the next in turn. A replica
that refuses the connection never read the request, so the next one gets it (any method);
one whose /readyz fails (probed every `upstream_probe_seconds`) is tried only after the
ready ones. Each replica has its own breaker; the service is refused at once (503) only
when every replica's breaker is open.
"""

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
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

# The connection was never made (refused, no route): the replica did not see the request.
REFUSED = (aiohttp.ClientConnectorError,)
# Refused or reset. Timeouts (aiohttp's ServerTimeoutError is a ClientConnectionError and a
# TimeoutError) are caught before these: the call may have reached the service.
UNREACHABLE = (aiohttp.ClientConnectionError,)
# A pooled connection the service closed while idle fails like this when reused, before the
# service read the request: then a retry on a fresh connection is safe for any method.
STALE = (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError)
# The school the backoffice acts for in this request (set by the route's check), told to the
# service in the request's token.
on_behalf_of: ContextVar[str | None] = ContextVar("on_behalf_of", default=None)


@dataclass
class Replica:
    """One process of a service: where it listens, its breaker, its last /readyz."""

    url: str
    breaker: Breaker
    ready: bool = True


@dataclass
class Answer:
    replica: Replica
    status: int
    headers: Mapping[str, str]
    content: bytes


class AllOpen(Exception):
    """Every replica's breaker is open: the first probe may go in `wait` seconds."""

    def __init__(self, wait: float) -> None:
        self.wait = wait


@dataclass
class Service:
    replicas: list[Replica]
    turns: Iterator[int] = field(default_factory=itertools.count)

    def in_turn(self) -> list[Replica]:
        """All replicas, from the next in turn; those not ready last (better than none)."""
        start = next(self.turns) % len(self.replicas)
        turn = self.replicas[start:] + self.replicas[:start]
        return sorted(turn, key=lambda replica: not replica.ready)


class Upstreams:
    def __init__(
        self,
        urls: Mapping[str, str | Sequence[str]],
        timeout_seconds: float,
        *,
        tokens: TokenService,
        breaker_failures: int = 5,
        breaker_open_seconds: float = 10,
        probe_seconds: float = 2,
    ) -> None:
        self._services = {
            name: Service(
                [
                    Replica(url.rstrip("/"), Breaker(breaker_failures, breaker_open_seconds))
                    for url in ([replicas] if isinstance(replicas, str) else replicas)
                ]
            )
            for name, replicas in urls.items()
        }
        self._tokens = tokens
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._probe_seconds = probe_seconds
        self._clients: dict[str, aiohttp.ClientSession] = {}
        self._fresh: dict[str, aiohttp.ClientSession] = {}  # no pool: for the one retry

    @classmethod
    def for_settings(cls, settings: GatewaySettings, tokens: TokenService) -> "Upstreams":
        return cls(
            settings.upstream_urls(),
            settings.upstream_timeout_seconds,
            tokens=tokens,
            breaker_failures=settings.breaker_failures,
            breaker_open_seconds=settings.breaker_open_seconds,
            probe_seconds=settings.upstream_probe_seconds,
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
            for name in self._services
        }
        self._fresh = {
            name: self._session(aiohttp.TCPConnector(force_close=True)) for name in self._services
        }
        probing = asyncio.ensure_future(self._probe())
        try:
            yield
        finally:
            probing.cancel()
            with suppress(asyncio.CancelledError):
                await probing
            sessions = [*self._clients.values(), *self._fresh.values()]
            await asyncio.gather(*(c.close() for c in sessions))
            self._clients, self._fresh = {}, {}

    def _session(
        self, connector: aiohttp.TCPConnector, *traces: aiohttp.TraceConfig
    ) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            connector=connector, timeout=self._timeout, trust_env=False, trace_configs=list(traces)
        )

    async def _probe(self) -> None:
        """Asks each replica of a service that has several for its /readyz, now and then."""
        replicated = [
            (name, replica)
            for name, service in self._services.items()
            if len(service.replicas) > 1
            for replica in service.replicas
        ]
        while replicated:
            await asyncio.gather(*(self._probe_one(name, r) for name, r in replicated))
            await asyncio.sleep(self._probe_seconds)

    async def _probe_one(self, service: str, replica: Replica) -> None:
        try:
            async with self._clients[service].get(
                replica.url + "/readyz",
                timeout=aiohttp.ClientTimeout(total=self._probe_seconds),
                trace_request_ctx={},
            ) as answer:
                ready = answer.status == 200
        except (TimeoutError, aiohttp.ClientError):
            ready = False
        if ready != replica.ready:
            log.warning(
                "upstream replica readiness changed", upstream=service, url=replica.url, ready=ready
            )
        replica.ready = ready

    async def _call(self, service: str, method: str, path: str, **options: Any) -> Answer:
        """The answer of the next replica in turn whose breaker lets a call through; one
        that refuses the connection passes the request to the next.

        Raises `AllOpen` when every breaker is open, the last refusal when every replica
        refused, and a timeout or reset (the replica may have acted) at once; each counts
        against that replica's breaker."""
        refused: Exception | None = None
        waits = []
        for replica in self._services[service].in_turn():
            wait = replica.breaker.wait()
            if wait:
                waits.append(wait)
                continue
            try:
                async with await self._send(service, replica, method, path, **options) as answer:
                    content = await answer.read()
                return Answer(replica, answer.status, answer.headers, content)
            except REFUSED as exc:
                replica.breaker.failed()
                log.warning("upstream replica refused", upstream=service, url=replica.url)
                refused = exc
            except (TimeoutError, *UNREACHABLE):
                replica.breaker.failed()
                raise
        if refused is not None:
            raise refused
        raise AllOpen(min(waits))

    async def _send(
        self, service: str, replica: Replica, method: str, path: str, **options: Any
    ) -> aiohttp.ClientResponse:
        """The replica's answer (headers read, body not yet), once more on a fresh connection
        when the pooled one it went out on turned out closed before the service read it."""
        url = replica.url + path
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
        query = {k: str(v) for k, v in (params or {}).items() if v is not None}
        try:
            headers = {**self._identity(service, who), **passed_on()}
            answer = await self._call(
                service, method, path, params=query, json=body, headers=headers
            )
        except AllOpen as exc:
            return _unavailable(service, retry_after(exc.wait))
        except TimeoutError as exc:  # it may have acted: a 504, which a retry must not hide
            log.warning("upstream timed out", upstream=service, error=repr(exc))
            return problem_response(
                504,
                "Gateway timeout",
                f"de dienst {service} antwoordde niet op tijd",
                service=service,
            )
        except UNREACHABLE as exc:
            log.warning("upstream unavailable", upstream=service, error=repr(exc))
            return _unavailable(service, "5")
        answer.replica.breaker.succeeded()
        return _relay(service, answer.status, answer.headers, answer.content)

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
        try:
            answer = await self._call(
                service, method, path, json=body, headers=self._identity(service, who)
            )
        except AllOpen as exc:
            raise _down(service) from exc
        except (TimeoutError, *UNREACHABLE) as exc:
            log.warning("upstream did not answer the gateway", upstream=service, error=repr(exc))
            raise _down(service) from exc
        try:
            if answer.status >= 500:
                raise ValueError(f"HTTP {answer.status}")
            content = json.loads(answer.content or b"null")
        except ValueError as exc:  # it answered, but not as asked: that replica failed
            answer.replica.breaker.failed()
            log.warning("upstream failed the gateway", upstream=service, error=repr(exc))
            raise _down(service) from exc
        answer.replica.breaker.succeeded()
        return answer.status, content

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
