"""Requests a service carried out, by the caller's Idempotency-Key: a retry never acts twice.

The key is recorded in the very unit of work that makes the request's effect, so the two
commit together or not at all: a service killed after its commit but before its answer still
knows the request was carried out, and a retry (the gateway's, or the client's through it)
gets the first answer, or a 409 when that answer was lost with the process. A request that
wrote nothing (a refusal, a read) leaves no key and runs again when retried.

`IdempotentRequests` (ASGI middleware) looks the key up and keeps the answer; the unit of
work (`Database.transaction`) records the key through `record_pending`.
"""

import hashlib
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.clock import SYSTEM_CLOCK, Clock
from shared.http import CALLER, Problem, problem_response
from shared.store.types import UtcDateTime

if TYPE_CHECKING:
    from shared.store.db import Database

REQUESTS = Table(
    "carried_out_requests",
    MetaData(),
    Column("caller", String(200), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=True),  # NULL: carried out, answer not (yet) kept
    Column("body", Text, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
)


def add_requests_table(metadata: MetaData) -> Table:
    """The table in a service's own metadata, for its migrations."""
    return REQUESTS.to_metadata(metadata)


class AlreadyCarriedOut(Problem):
    def __init__(self) -> None:
        super().__init__(
            409,
            "Conflict",
            "dit verzoek is al uitgevoerd of wordt nog "
            "uitgevoerd; vraag de stand op in plaats van het opnieuw te sturen",
        )


@dataclass
class PendingRequest:
    caller: str
    key: str
    fingerprint: str
    received_at: datetime  # kept as the key's time: retention forgets it after a while
    recorded: bool = False


_pending: ContextVar[PendingRequest | None] = ContextVar("pending_request", default=None)


async def record_pending(tx: AsyncSession) -> None:
    """In a unit of work about to commit: the request it serves is carried out with it.

    A concurrent request with the same key that committed first makes the insert fail, and
    this unit of work rolls back: the effect happens once."""
    pending = _pending.get()
    if pending is None or pending.recorded:
        return
    try:
        await tx.execute(
            REQUESTS.insert().values(
                caller=pending.caller,
                key=pending.key,
                fingerprint=pending.fingerprint,
                created_at=pending.received_at,
            )
        )
    except IntegrityError as exc:
        raise AlreadyCarriedOut() from exc
    pending.recorded = True


class IdempotentRequests:
    """For a POST with an `Idempotency-Key` from a known caller: the first answer again for
    a retry, 422 for the key reused on another request, 409 while it is unknown."""

    def __init__(self, app: ASGIApp, database: "Database", clock: Clock = SYSTEM_CLOCK) -> None:
        self.app, self.database, self.clock = app, database, clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", ())) if scope["type"] == "http" else {}
        key = headers.get(b"idempotency-key")
        caller = scope.get("state", {}).get(CALLER)  # verified by `shared.auth`
        if scope.get("method") != "POST" or not key or caller is None:
            await self.app(scope, receive, send)
            return
        body = await _whole_body(receive)
        pending = PendingRequest(
            caller.actor, key.decode(), _fingerprint(scope, body), self.clock.now()
        )
        if await self._answered_before(pending, scope, send):
            return
        answer = _Answer(send)
        token = _pending.set(pending)
        try:
            await self.app(scope, _replaying(body), answer.send)
        finally:
            _pending.reset(token)
        if pending.recorded and answer.status < 500:
            await self._keep(pending, answer)

    async def _answered_before(self, pending: PendingRequest, scope: Scope, send: Send) -> bool:
        async with self.database.sessions() as tx:
            row = (
                await tx.execute(
                    select(REQUESTS).where(
                        REQUESTS.c.caller == pending.caller, REQUESTS.c.key == pending.key
                    )
                )
            ).first()
        if row is None:
            return False
        response: Response
        if row.fingerprint != pending.fingerprint:
            response = problem_response(
                422,
                "Unprocessable",
                "deze Idempotency-Key hoort bij een ander verzoek; kies een nieuwe sleutel",
            )
        elif row.status is None:
            refused = AlreadyCarriedOut()
            response = problem_response(refused.status, refused.title, refused.detail)
        else:
            response = Response(
                row.body,
                row.status,
                media_type="application/json",
                headers={"Idempotent-Replayed": "true"},
            )
        await response(scope, _nothing, send)
        return True

    async def _keep(self, pending: PendingRequest, answer: "_Answer") -> None:
        async with self.database.writing() as tx:
            await tx.execute(
                update(REQUESTS)
                .where(REQUESTS.c.caller == pending.caller, REQUESTS.c.key == pending.key)
                .values(status=answer.status, body=answer.body.decode())
            )


class _Answer:
    """Passes the answer on and keeps a copy (services answer small JSON)."""

    def __init__(self, send: Send) -> None:
        self._send, self.status, self.body = send, 500, b""

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")
        await self._send(message)


def _fingerprint(scope: Scope, body: bytes) -> str:
    target = f"{scope['method']} {scope['path']}?{scope.get('query_string', b'').decode()}"
    return hashlib.sha256(target.encode() + b"\n" + body).hexdigest()


async def _whole_body(receive: Receive) -> bytes:
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return body


def _replaying(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _nothing() -> Message:
    return {"type": "http.disconnect"}
