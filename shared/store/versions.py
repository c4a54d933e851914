"""Versions of the rows a client edits (PUT, PATCH): the `ETag` of a GET, `If-Match` on a write.

A row that can be edited has a `version`, 1 when it is made and one higher at every edit. Its
ETag is the version in quotes. A write begins its unit of work with `claim`, which raises the
version in one UPDATE whose WHERE also holds the client's If-Match: of two writers that read the
same version exactly one changes the row, the other gets 412, on SQLite (one writer at a time)
and on PostgreSQL (the second UPDATE waits for the first's row lock, then finds the version
moved). Without If-Match a write claims unconditionally, as before ETags existed. A row
that holds defaults until first set has ETag "0" until then; creators of it take turns.

`Preconditions` (ASGI middleware) reads If-Match for the request and writes the ETag that
`claim` or `tag` noted on a successful answer.
"""

import re
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Integer, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http import Problem
from shared.store.locks import take_turns

Row = TypeVar("Row", bound="Versioned")
_ENTITY_TAG = re.compile(r'(W/)?"([^"]*)"')
NO_ROW = 0  # the version of a row not made yet: a singleton whose defaults hold


class Versioned:
    """Mixin of an editable row: its version, the ETag's source."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class PreconditionFailed(Problem):
    def __init__(self) -> None:
        super().__init__(
            412,
            "Precondition failed",
            "Iemand anders heeft dit intussen gewijzigd. Laad de gegevens opnieuw "
            "en breng uw wijziging daarna opnieuw aan.",
        )


@dataclass
class _Exchange:
    """One request: the versions its If-Match accepts (None: no If-Match; empty: only `*`),
    and the version its answer tags."""

    accepted: frozenset[int] | None
    any_version: bool = False
    version: int | None = None
    if_match: str | None = None  # as the client sent it, for a gateway to pass on


_exchange: ContextVar[_Exchange | None] = ContextVar("versioned_exchange", default=None)


def etag(version: int) -> str:
    return f'"{version}"'


def tag(version: int | None) -> None:
    """The answer to this request carries the ETag of `version` (a GET of a versioned row;
    NO_ROW for defaults not yet stored)."""
    exchange = _exchange.get()
    if exchange is not None:
        exchange.version = version


async def claim(tx: AsyncSession, model: type[Versioned], **key: Any) -> None:
    """First step of a unit of work that edits the row of `model` with primary key `key`:
    raise its version, on the request's If-Match. A row that does not exist yet has version
    0 (a GET of defaults tags it so); the unit of work may create it, with version 1."""
    exchange = _exchange.get()
    accepted = exchange.accepted if exchange is not None else None
    table: Any = model
    where = [getattr(table, name) == value for name, value in key.items()]
    raised = (
        update(table)
        .where(*where)
        .values(version=table.version + 1)
        .returning(table.version)
        .execution_options(synchronize_session=False)
    )
    if accepted is not None and not (exchange and exchange.any_version):
        raised = raised.where(table.version.in_(accepted))
    version = (await tx.execute(raised)).scalar_one_or_none()
    if version is None and accepted is not None:
        await _still_absent(tx, table, where, accepted, key)
    tag(version or 1)


async def _still_absent(
    tx: AsyncSession, table: Any, where: list, accepted: frozenset[int], key: dict[str, Any]
) -> None:
    """412 unless If-Match named version 0 and the row is still not there; creators take
    turns, so of two that both saw it absent the second finds the first one's row."""
    if NO_ROW not in accepted:
        raise PreconditionFailed()
    await take_turns(tx, f"{table.__tablename__}:{sorted(key.items())}")
    if await tx.scalar(select(exists().where(*where))):
        raise PreconditionFailed()


def passed_on() -> dict[str, str]:
    """The request's If-Match as a header to pass on to a service (none: nothing)."""
    exchange = _exchange.get()
    return {"If-Match": exchange.if_match} if exchange and exchange.if_match else {}


def parse_if_match(value: str) -> _Exchange:
    """`*`, or a list of entity tags; weak ones never match (RFC 9110 strong comparison)."""
    if value.strip() == "*":
        return _Exchange(frozenset(), any_version=True, if_match=value)
    versions = {
        int(opaque) for weak, opaque in _ENTITY_TAG.findall(value) if not weak and opaque.isdigit()
    }
    return _Exchange(frozenset(versions), if_match=value)


class Preconditions:
    """Binds the request's If-Match for `claim`; adds the ETag a 2xx answer was tagged with."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if_match = dict(scope["headers"]).get(b"if-match")
        exchange = parse_if_match(if_match.decode("latin-1")) if if_match else _Exchange(None)

        async def send_tagged(message: Message) -> None:
            if (
                message["type"] == "http.response.start"
                and exchange.version is not None
                and 200 <= message["status"] < 300
            ):
                message["headers"] = [
                    *message.get("headers", ()),
                    (b"etag", etag(exchange.version).encode()),
                ]
            await send(message)

        token = _exchange.set(exchange)
        try:
            await self.app(scope, receive, send_tagged)
        finally:
            _exchange.reset(token)


def tag_defaults(row: Versioned | None) -> None:
    """Tag a row that holds defaults until first set (booking rules, loan policy,
    preferences): its version, or NO_ROW while the defaults hold."""
    tag(row.version if row is not None else NO_ROW)


def tagged(row: Row) -> Row:
    """`row`, with the answer tagged by its version (a GET of an editable row)."""
    tag(row.version)
    return row
