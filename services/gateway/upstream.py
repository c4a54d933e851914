"""Forwarding to the internal services: one pooled client per service, one way to call them."""

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import Response

from services.gateway.auth import Principal
from services.gateway.settings import GatewaySettings
from shared.http import CORRELATION_ID_HEADER, REQUEST_ID_HEADER, problem_response
from shared.observability.logging import current_correlation_id, current_request_id, log

# Upstream headers a client may see; everything else (hosts, servers) stays inside.
PASSED_HEADERS = ("content-type", "etag", "retry-after")


class Upstreams:
    def __init__(self, urls: Mapping[str, str], timeout_seconds: float,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._urls = dict(urls)
        self._timeout = httpx.Timeout(timeout_seconds)
        self._transport = transport  # tests put a fake upstream here
        self._clients: dict[str, httpx.AsyncClient] = {}

    @classmethod
    def for_settings(cls, settings: GatewaySettings,
                     transport: httpx.AsyncBaseTransport | None = None) -> "Upstreams":
        return cls(settings.upstream_urls(), settings.upstream_timeout_seconds, transport)

    @asynccontextmanager
    async def lifespan(self, _app: Any) -> AsyncIterator[None]:
        """Router lifespan: FastAPI merges it into the app's, so clients live with the app."""
        self._clients = {
            name: httpx.AsyncClient(base_url=url, timeout=self._timeout,
                                    transport=self._transport, trust_env=False)
            for name, url in self._urls.items()
        }
        try:
            yield
        finally:
            await asyncio.gather(*(c.aclose() for c in self._clients.values()))
            self._clients = {}

    async def forward(self, service: str, method: str, path: str, who: Principal, *,
                      params: Mapping[str, Any] | None = None, body: Any = None) -> Response:
        """Call `service` as `who` and hand its status and JSON (or problem) back."""
        query = {k: str(v) for k, v in (params or {}).items() if v is not None}
        try:
            answer = await self._clients[service].request(
                method, path, params=query, json=body, headers=_identity(who))
        except httpx.TransportError as exc:  # refused, reset, timed out
            log.warning("upstream unavailable", upstream=service, error=repr(exc))
            response = problem_response(503, "Service unavailable",
                                        f"the {service} service is not reachable, try again later",
                                        service=service)
            response.headers["Retry-After"] = "5"
            return response
        return _relay(service, answer)


def _identity(who: Principal) -> dict[str, str]:
    """Who calls, and the ids `install_http` bound for this request (from its headers)."""
    request_id = current_request_id()
    headers = {
        "X-TFT-Actor": who.subject,
        "X-TFT-Role": who.role,
        "X-TFT-Organisation": who.organisation,
        REQUEST_ID_HEADER: request_id,
        CORRELATION_ID_HEADER: current_correlation_id() or request_id,
    }
    return {name: value for name, value in headers.items() if value}


def _relay(service: str, answer: httpx.Response) -> Response:
    if answer.content and "json" not in answer.headers.get("content-type", ""):
        log.warning("upstream answered without JSON", upstream=service, status=answer.status_code)
        return problem_response(502, "Bad gateway", f"the {service} service answered unreadably",
                                service=service)
    headers = {name: answer.headers[name] for name in PASSED_HEADERS if name in answer.headers}
    return Response(answer.content, status_code=answer.status_code, headers=headers)
