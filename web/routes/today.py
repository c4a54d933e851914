"""The backoffice's start page, Vandaag en deze week: today's sessions per room and per
instructor, the rest of the week in brief, the bookings to complete, the loans overdue and
the companies' proposals waiting for a decision."""

import asyncio
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from starlette.responses import Response

from web import formatting
from web.agenda import monday_of, today_and_week
from web.pages import render, role, web
from web.routes.planning import lessons
from web.sessions import Session
from web.views import booking_rows, ended

router = APIRouter(prefix="/backoffice")
backoffice = role("backoffice")
# What each block shows at most; more is behind the link to its own page.
SHOWN = 10


@router.get("/vandaag")
async def today(request: Request, session: Session = backoffice) -> Response:
    """What the hotspot does today and this week, and what waits for the backoffice."""
    day, token, gateway = formatting.today(), session.token, web(request).gateway
    sessions, confirmed, overdue, proposals = await asyncio.gather(
        lessons(request, token, day, monday_of(day) + timedelta(days=6)),
        # The earliest session first: the bookings whose session ended come first.
        gateway.get(token, "/bookings", {"status": "confirmed", "limit": SHOWN + 1}),
        gateway.get(token, "/overdue-loans", {"limit": SHOWN + 1}),
        gateway.get(token, "/offering-proposals", {"approval": "proposed", "limit": SHOWN + 1}),
    )
    to_complete = ended(booking_rows(confirmed), datetime.now(UTC))
    return render(
        request,
        "backoffice/today.html",
        title="Vandaag en deze week",
        planned=today_and_week(day, sessions),
        next_week=monday_of(day) + timedelta(days=7),
        to_complete=to_complete[:SHOWN],
        more_to_complete=len(to_complete) > SHOWN,
        overdue=overdue[:SHOWN],
        more_overdue=len(overdue) > SHOWN,
        proposals=proposals[:SHOWN],
        more_proposals=len(proposals) > SHOWN,
    )
