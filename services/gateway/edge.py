"""What every call at the gateway passes before it reaches a route, as plain ASGI middleware:

security headers on every answer; then, for /api/: who calls (verified once, handed to the
route's guard), rate limits per token subject and per client address, a body size limit and
`Idempotency-Key` on POST. Refusals are problem details (RFC 9457).
"""

import hashlib
import re
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.gateway.audit import Audit, AuditLog
from services.gateway.auth import Principal, Verifier
from services.gateway.idempotency import (
    IdempotencyStore,
    Outcome,
    StoredAnswer,
    forwarded_key,
)
from services.gateway.ratelimit import Limit, RateLimits, retry_after
from services.gateway.settings import GatewaySettings
from shared.http import Problem, problem_response
from shared.store.db import Database

API_PREFIX = "/api/"
WITH_BODY = {"POST", "PUT", "PATCH"}
IDEMPOTENCY_HEADER = "idempotency-key"
REPLAYED_HEADER = (b"idempotent-replayed", b"true")
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as Stripe's keys
# Answers that ran nothing (no token, over a limit, service down or breaker open): a retry
# with the same key must run, so these are not kept. Everything else is, a 504 too: the
# service may have acted before the gateway stopped waiting.
_NOT_KEPT = {401, 413, 429, 503}


class SecurityHeaders:
    """Headers for browsers on every answer; `no-store` on API answers unless a route
    chose its own caching (the JWKS)."""

    def __init__(self, app: ASGIApp, hsts: bool) -> None:
        self.app = app
        self.fixed = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
        ]
        if hsts:
            self.fixed.append(
                (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k != b"server"]
                present = {k.lower() for k, _ in headers}
                headers += [h for h in self.fixed if h[0] not in present]
                if b"content-security-policy" not in present:
                    headers.append(
                        (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
                    )
                if b"cache-control" not in present and scope["path"].startswith(API_PREFIX):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Guard:
    """Authentication, rate limits, body size and idempotency for the calls to /api/."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        verifier: Verifier,
        limits: RateLimits,
        per_subject: Limit,
        per_address: Limit,
        idempotency: IdempotencyStore,
        max_body_bytes: int,
    ) -> None:
        self.app, self.verifier, self.limits = app, verifier, limits
        self.per_subject, self.per_address = per_subject, per_address
        self.idempotency, self.max_body_bytes = idempotency, max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        who = await self._principal(headers)
        scope.setdefault("state", {})["principal"] = who
        try:
            await self._limit(scope, who)
            body = b""
            if scope["method"] in WITH_BODY:
                body = await self._body(headers, receive)
                receive = _replaying(body, receive)
            key = headers.get(IDEMPOTENCY_HEADER)
            if key is not None and scope["method"] == "POST" and who is not None:
                # Keys are scoped per caller: another caller's key is another key.
                passed_on = forwarded_key.set(_checked(key))
                try:
                    await self._once(
                        scope, receive, send, (who.subject, key), _fingerprint(scope, body)
                    )
                finally:
                    forwarded_key.reset(passed_on)
                return
        except Problem as problem:
            await _answer(problem, scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _principal(self, headers: Headers) -> Principal | None:
        """The verified caller, or None: the route's guard then refuses with the reason."""
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        try:
            return await self.verifier.verify(token)
        except Problem:
            return None

    async def _limit(self, scope: Scope, who: Principal | None) -> None:
        address = (scope.get("client") or ("unknown",))[0]
        subject = [] if who is None else [(self.per_subject, who.subject)]
        wait = await self.limits.take((self.per_address, address), *subject)
        if wait:
            raise Problem(
                429,
                "Too many requests",
                "te veel verzoeken; probeer het na de pauze opnieuw",
                retry_after=int(retry_after(wait)),
            )

    async def _body(self, headers: Headers, receive: Receive) -> bytes:
        """The whole body (APIs here take small JSON), refused past `max_body_bytes`."""
        too_large = Problem(
            413, "Content too large", f"een verzoek is hoogstens {self.max_body_bytes} bytes groot"
        )
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            raise too_large
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body_bytes:
                raise too_large
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def _once(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[str, str], fingerprint: str
    ) -> None:
        """`key`: the caller and its Idempotency-Key."""
        begun = await self.idempotency.begin(*key, fingerprint)
        if begun.outcome is Outcome.RUNNING:
            raise Problem(
                409,
                "Conflict",
                "een verzoek met deze Idempotency-Key loopt nog; "
                "probeer het opnieuw als het klaar is",
            )
        if begun.outcome is Outcome.MISMATCH:
            raise Problem(
                422,
                "Idempotency-Key reused",
                "deze Idempotency-Key hoort bij een ander verzoek; gebruik een nieuwe",
            )
        if begun.outcome is Outcome.REPLAY:
            assert begun.answer is not None
            await _send_stored(begun.answer, send)
            return
        recorder = _Recorder(send)
        try:
            await self.app(scope, receive, recorder.send)
        except BaseException:
            await self.idempotency.abandon(*key)
            raise
        answer = recorder.answer()
        if answer is None or answer.status in _NOT_KEPT:
            await self.idempotency.abandon(*key)
        else:
            await self.idempotency.finish(*key, answer)


class _Recorder:
    """Passes an answer on and keeps a copy of it."""

    def __init__(self, send: Send) -> None:
        self._send, self._status = send, 0
        self._headers: list[tuple[bytes, bytes]] = []
        self._chunks: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._status, self._headers = message["status"], list(message.get("headers", ()))
        elif message["type"] == "http.response.body":
            self._chunks.append(message.get("body", b""))
        await self._send(message)

    def answer(self) -> StoredAnswer | None:
        if not self._status:
            return None
        # The request id belongs to the first request; a replay gets its own.
        headers = [(k, v) for k, v in self._headers if k.lower() != b"x-request-id"]
        return StoredAnswer(self._status, headers, b"".join(self._chunks))


async def _send_stored(answer: StoredAnswer, send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": answer.status,
            "headers": [*answer.headers, REPLAYED_HEADER],
        }
    )
    await send({"type": "http.response.body", "body": answer.body})


def _replaying(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    """A `receive` that hands out `body` once, then waits on the real one (disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _checked(key: str) -> str:
    if not _KEY.match(key):
        raise Problem(
            400,
            "Invalid request",
            "de Idempotency-Key-header is ongeldig",
            errors=[{"field": "Idempotency-Key", "message": "1 tot 255 zichtbare ASCII-tekens"}],
        )
    return key


def _fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), scope["query_string"], body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


async def _answer(problem: Problem, scope: Scope, receive: Receive, send: Send) -> None:
    response = problem_response(problem.status, problem.title, problem.detail, **problem.extra)
    await response(scope, receive, send)


def install(
    app: Starlette, settings: GatewaySettings, verifier: Verifier, audit: AuditLog, db: Database
) -> None:
    """Innermost of the app's middleware, so request ids are bound when they run."""
    app.user_middleware.append(Middleware(SecurityHeaders, hsts=settings.hsts))
    app.user_middleware.append(Middleware(Audit, log=audit))
    if settings.cors_origins:
        app.user_middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                allow_headers=[
                    "Authorization",
                    "Content-Type",
                    "Idempotency-Key",
                    "X-Request-ID",
                    "X-Correlation-ID",
                ],
                expose_headers=["X-Request-ID", "Retry-After", "Idempotent-Replayed"],
                max_age=600,
            )
        )
    app.user_middleware.append(
        Middleware(
            Guard,
            verifier=verifier,
            limits=RateLimits(db, lease_seconds=settings.rate_lease_seconds),
            per_subject=Limit("subject", settings.rate_per_subject, settings.burst_per_subject),
            per_address=Limit("address", settings.rate_per_address, settings.burst_per_address),
            idempotency=IdempotencyStore(
                db,
                settings.idempotency_ttl_seconds,
                lease_seconds=settings.idempotency_lease_seconds,
            ),
            max_body_bytes=settings.max_body_bytes,
        )
    )
