"""Mijn planning: a school's bookings, equipment reservations and event registrations in one
list by date, composed from the three services as the school itself asks them.

A service that does not answer (down, failing, breaker open) leaves its part out and is named
in `missing`; the rest of the planning still answers 200, so a school sees what is known
rather than nothing."""

import asyncio
import json
from collections.abc import Awaitable
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from uuid import UUID

from fastapi import Response
from pydantic import BaseModel

from services.gateway.auth import Principal
from services.gateway.routes.common import Forward
from shared.domain import AMSTERDAM
from shared.http import Problem

MAX_DAYS = 93
# The most records asked of each service: a school's three months stay well below it
# (events lists a school's registrations without a period: the planning keeps those in it).
PER_SERVICE = 500


# The services the planning asks.
PlanningService = Literal["bookings", "loans", "events"]


class PlanningItem(BaseModel):
    type: Literal["booking", "reservation", "registration"]
    id: UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str | None
    status: str


class Planning(BaseModel):
    items: list[PlanningItem]
    # Services that did not answer: their part of the planning is absent, not empty.
    missing: list[PlanningService]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), AMSTERDAM)


def _booking(b: dict[str, Any]) -> PlanningItem | None:
    if not b.get("starts_at"):
        return None
    place = ", ".join(p for p in (b.get("location"), b.get("room")) if p) or None
    return PlanningItem(
        type="booking",
        id=b["id"],
        title=b.get("offering_title") or "Boeking",
        starts_at=b["starts_at"],
        ends_at=b["ends_at"],
        place=place,
        status=b["status"],
    )


def _reservation(r: dict[str, Any]) -> PlanningItem | None:
    return PlanningItem(
        type="reservation",
        id=r["id"],
        title=r.get("item_name") or r["item_id"],
        starts_at=_midnight(date.fromisoformat(r["starts_on"])),
        ends_at=_midnight(date.fromisoformat(r["ends_on"]) + timedelta(days=1)),
        place=None,
        status=r.get("desk_status") or r["status"],
    )


def _registration(r: dict[str, Any]) -> PlanningItem | None:
    if not r.get("starts_at"):  # a session without times of its own or its event's
        return None
    return PlanningItem(
        type="registration",
        id=r["id"],
        title=r.get("session_title") or r.get("event_title") or "Aanmelding",
        starts_at=r["starts_at"],
        ends_at=r["ends_at"],
        place=r.get("location"),
        status=r["status"],
    )


async def planning(forward: Forward, who: Principal, first: date, last: date) -> Planning:
    if last < first or (last - first).days + 1 > MAX_DAYS:
        raise Problem(
            422,
            "Unprocessable Content",
            f"vraag de planning op voor 1 tot {MAX_DAYS} dagen per keer (to op of na from)",
        )
    span = {"from": first.isoformat(), "to": last.isoformat()}
    school = who.organisation
    asked: dict[PlanningService, Awaitable[Response]] = {
        "bookings": forward(
            "bookings",
            "GET",
            "/bookings",
            who,
            params={"school_id": school, "limit": PER_SERVICE} | span,
        ),
        "loans": forward(
            "loans",
            "GET",
            "/reservations",
            who,
            params={"school_id": school, "limit": PER_SERVICE} | span,
        ),
        "events": forward("events", "GET", "/registrations", who, params={"limit": PER_SERVICE}),
    }
    answers = dict(zip(asked, await asyncio.gather(*asked.values()), strict=True))
    read = {"bookings": _booking, "loans": _reservation, "events": _registration}
    since, before = _midnight(first), _midnight(last + timedelta(days=1))
    items: list[PlanningItem] = []
    missing: list[PlanningService] = []
    for service, answer in answers.items():
        records = records_of(answer)
        if records is None:
            missing.append(service)
            continue
        items += [
            item
            for item in map(read[service], records)
            if item and item.starts_at < before and item.ends_at > since
        ]
    items.sort(key=lambda i: (i.starts_at, i.type, str(i.id)))
    return Planning(items=items, missing=missing)


def records_of(answer: Response) -> list[dict[str, Any]] | None:
    """The service's list, or None when it did not give one."""
    if answer.status_code != 200:
        return None
    records = json.loads(bytes(answer.body))
    return records if isinstance(records, list) else None
