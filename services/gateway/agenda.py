"""The agenda: the sessions of all offers (bookings) and of all events (events) in a period,
composed into one list by start, each entry saying whether it is an offer's or an event's.

An event's session fills the fields an offer's session has, so a reader of the first agenda
(offers only) still reads every entry: `offering_*` name the event (`offering_kind` "event"),
`instructor` its host, `room` is empty, and `bookings` are the classes registered for it.
A service that fails fails the agenda with its answer: half an agenda would look whole."""

import asyncio
import json
from datetime import date, datetime
from typing import Any, Literal

from fastapi import Response
from pydantic import ConfigDict

from services.gateway.auth import Principal
from services.gateway.routes.common import Forward
from shared.contracts.common import AgendaSession

PAGE = 500  # the services' page limit


class AgendaEntry(AgendaSession):
    model_config = ConfigDict(extra="allow")  # what a service adds later passes through

    type: Literal["offering", "event"]
    # What the session is: the offer's title, or the event's session's own title.
    title: str
    event_id: str | None = None


def _lesson(s: dict[str, Any]) -> dict[str, Any]:
    return s | {"type": "offering", "title": s["offering_title"]}


def _event_session(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "event",
        "id": s["id"],
        "title": s["title"],
        "offering_id": s["event_id"],
        "offering_title": s["event_title"],
        "offering_kind": "event",
        "location": s["location"],
        "room": "",
        "instructor": s["host_name"],
        "starts_at": s["starts_at"],
        "ends_at": s["ends_at"],
        "capacity": s["capacity"],
        "seats_left": s["seats_left"],
        "series_id": None,
        "event_id": s["event_id"],
        "bookings": s["registrations"],
    }


async def agenda(
    forward: Forward,
    who: Principal,
    first: date,
    last: date,
    filters: dict[str, str | None],
    limit: int,
    offset: int,
) -> list[dict[str, Any]] | Response:
    """The page [offset, offset + limit) of both services' sessions by start. Events have no
    rooms or instructors: filtering on either leaves them out."""
    span = {"from": first.isoformat(), "to": last.isoformat()}
    wanted = offset + limit
    asked = [_sessions(forward, "bookings", who, span | filters, wanted)]
    if filters.get("room") is None and filters.get("instructor") is None:
        asked.append(
            _sessions(
                forward,
                "events",
                who,
                span | {"location": filters.get("location"), "school_id": filters.get("school_id")},
                wanted,
            )
        )
    found: list[list[dict[str, Any]]] = []
    for answer in await asyncio.gather(*asked):
        if isinstance(answer, Response):  # a service's refusal is the answer
            return answer
        found.append(answer)
    lessons, *at_events = found
    entries = [
        *map(_lesson, lessons),
        *(_event_session(s) for sessions in at_events for s in sessions),
    ]
    entries.sort(key=lambda e: (datetime.fromisoformat(e["starts_at"]), e["title"], str(e["id"])))
    return entries[offset:wanted]


async def _sessions(
    forward: Forward, service: str, who: Principal, params: dict[str, Any], wanted: int
) -> list[dict[str, Any]] | Response:
    """The service's first `wanted` sessions, page by page; its answer when it refuses."""
    found: list[dict[str, Any]] = []
    while len(found) < wanted:
        size = min(PAGE, wanted - len(found))
        answer = await forward(
            service, "GET", "/sessions", who, params=params | {"limit": size, "offset": len(found)}
        )
        if answer.status_code != 200:
            return answer
        page = json.loads(bytes(answer.body))
        found += page
        if len(page) < size:
            break
    return found
