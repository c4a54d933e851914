"""A school's coordinator and teachers: Aanbod, an offer's sessions, Sessie boeken (form,
check, confirmation) and Mijn planning with cancelling."""

import asyncio
import uuid
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import Response

from web.formatting import today
from web.gateway import ApiProblem
from web.pages import nothing, person, render, role, schools, see_other, web
from web.sessions import Session
from web.views import (
    BookingRow,
    Form,
    OfferFilter,
    SessionRow,
    apply_problem,
    booking_form,
    booking_rows,
    coming_registrations,
    group_body,
    is_late,
    month,
    month_shown,
    offer_list,
    open_loans,
    page_of,
    refusal,
    school_part,
    series_of,
)

router = APIRouter()
# A school's people (its coordinator, its teachers) book for it and see its planning; the
# backoffice books on behalf of the school it chooses.
school = role("school", "teacher")
booker = role("school", "teacher", "backoffice")
PAGE_SIZE = 20
LOANS = 100  # a school's loans running or to come: a handful, far below this


def page_number(request: Request) -> int:
    return page_of(request.query_params.get("pagina", ""))


@router.get("/aanbod")
async def offers(request: Request, session: Session = Depends(person)) -> Response:
    """The hotspot's offer: read whole once (a few hundred offers at most), filtered here so
    that the filters offer only the choices the offer has. Filters and page stay in the URL."""
    chosen = OfferFilter.of(dict(request.query_params))
    listed = offer_list(await web(request).catalogue.offers(session.token), chosen)
    page = page_number(request)
    shown = listed.offers[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    more = len(listed.offers) > page * PAGE_SIZE
    return render(
        request,
        "school/offers.html",
        title="Aanbod",
        listed=listed,
        shown=shown,
        page=page,
        more=more,
        query=chosen.query(),
    )


@router.get("/aanbod/{offer_id}")
async def offer(request: Request, offer_id: str, session: Session = Depends(person)) -> Response:
    found, sessions = await web(request).catalogue.offer_and_sessions(session.token, offer_id)
    now = datetime.now(UTC)
    coming = [s for s in sessions if s.starts_at > now]
    return render(
        request,
        "school/offer.html",
        title=found["title"],
        offer=found,
        sessions=coming,
        series=series_of(coming) if found["sessions_per_booking"] > 1 else [],
    )


@router.get("/aanbod/{offer_id}/kalender")
async def calendar(request: Request, offer_id: str, session: Session = Depends(person)) -> Response:
    """The offer's coming sessions in a month (`maand`, "2027-06") with their free seats;
    a school books from there."""
    found, sessions = await web(request).catalogue.offer_and_sessions(session.token, offer_id)
    now = datetime.now(UTC)
    coming = [s for s in sessions if s.starts_at > now]
    first = month_shown(request.query_params.get("maand", ""), coming, today())
    return render(
        request,
        "school/calendar.html",
        title=f"Kalender {found['title']}",
        offer=found,
        month=month(first, coming),
    )


async def target(
    request: Request, token: str, offer_id: str, session_id: str, series_id: str
) -> tuple[dict, list[SessionRow]]:
    """The offer and the session (or the sessions of the series) a booking is for."""
    found, rows = await web(request).catalogue.offer_and_sessions(token, offer_id)
    chosen = [s for s in rows if s.id == session_id or (series_id and s.series_id == series_id)]
    if not chosen:
        raise HTTPException(404)
    return found, chosen


async def booking_page(
    request: Request, template: str, form: Form, found: dict, chosen: list[SessionRow], **extra
) -> Response:
    session: Session = request.state.session
    choices = await schools(request, session.token) if session.role == "backoffice" else []
    return render(
        request,
        template,
        title="Sessie boeken",
        form=form,
        offer=found,
        chosen=chosen,
        ids=booking_ids(request),
        schools=choices,
        school_name=dict(choices).get(form.values.get("school", ""), ""),
        **extra,
    )


def booking_ids(request: Request) -> dict[str, str]:
    source = request.query_params if request.method == "GET" else request.state.form
    return {k: str(source.get(k, "")) for k in ("aanbod", "sessie", "serie")}


@router.get("/boeken")
async def booking_start(request: Request, session: Session = booker) -> Response:
    ids = booking_ids(request)
    found, chosen = await target(request, session.token, ids["aanbod"], ids["sessie"], ids["serie"])
    return await booking_page(
        request, "school/book.html", Form(dict(request.query_params)), found, chosen
    )


class Posted(NamedTuple):
    ids: dict[str, str]
    offer: dict
    chosen: list[SessionRow]
    form: Form


async def posted_booking(request: Request, session: Session) -> Posted:
    """The booking form as sent: what it is for and the class (and for the backoffice the
    school), checked for what the API needs to be asked at all."""
    request.state.form = await request.form()
    ids = booking_ids(request)
    found, chosen = await target(request, session.token, ids["aanbod"], ids["sessie"], ids["serie"])
    return Posted(
        ids,
        found,
        chosen,
        booking_form(
            {k: str(v) for k, v in request.state.form.items()},
            on_behalf=session.role == "backoffice",
        ),
    )


@router.post("/boeken")
async def check_booking(request: Request, session: Session = booker) -> Response:
    """Step 2: "controleer je boeking", or the form again with what is missing."""
    ids, found, chosen, form = await posted_booking(request, session)
    if not form.valid:
        return await booking_page(request, "school/book.html", form, found, chosen)
    change = urlencode(ids | form.values)
    return await booking_page(
        request,
        "school/check.html",
        form,
        found,
        chosen,
        key=str(uuid.uuid4()),
        change=f"/boeken?{change}",
    )


@router.post("/boeken/bevestigen")
async def book(request: Request, session: Session = booker) -> Response:
    """Step 3: the booking; a refusal lands on the form with everything still filled in."""
    ids, found, chosen, form = await posted_booking(request, session)
    if not form.valid:
        return await booking_page(request, "school/book.html", form, found, chosen)
    body = (
        {"group": group_body(form)}
        | ({"series_id": ids["serie"]} if ids["serie"] else {"session_id": ids["sessie"]})
        | (school_part(form))
    )
    try:
        booked = await web(request).gateway.post(
            session.token, "/bookings", body, str(request.state.form.get("sleutel", "")) or None
        )
    except ApiProblem as problem:
        refused = None if apply_problem(form, problem) else refusal(problem)
        return await booking_page(
            request,
            "school/book.html",
            form,
            found,
            chosen,
            refused=refused,
            refused_detail=problem.detail,
        )
    return see_other(f"/boekingen/{booked['id']}/bevestiging")


async def booking_row(request: Request, token: str, booking_id: str) -> BookingRow:
    return BookingRow(await web(request).gateway.get(token, f"/bookings/{booking_id}"))


@router.get("/boekingen/{booking_id}/bevestiging")
async def confirmation(
    request: Request, booking_id: uuid.UUID, session: Session = booker
) -> Response:
    row, rules = await asyncio.gather(
        booking_row(request, session.token, str(booking_id)),
        web(request).gateway.get(session.token, "/calendar/rules"),
    )
    return render(
        request, "school/confirmation.html", title="Boeking ontvangen", row=row, rules=rules
    )


@router.get("/planning")
async def planning(request: Request, session: Session = school) -> Response:
    """Mijn planning: all of the school's bookings, the soonest first; `status` filters."""
    status = request.query_params.get("status", "")
    gateway, page = web(request).gateway, page_number(request)
    # Classes register for events and equipment is lent through the coordinator: a
    # teacher's planning is lessons.
    coordinator, token = session.role == "school", session.token
    bookings, registrations, current, overdue = await asyncio.gather(
        gateway.get(
            token,
            "/bookings",
            {"status": status, "limit": PAGE_SIZE + 1, "offset": (page - 1) * PAGE_SIZE},
        ),
        gateway.get(token, "/registrations", {"limit": 200}) if coordinator else nothing(),
        gateway.get(token, "/reservations", {"from": today().isoformat(), "limit": LOANS})
        if coordinator
        else nothing(),
        gateway.get(token, "/reservations", {"status": "overdue", "limit": LOANS})
        if coordinator
        else nothing(),
    )
    rows = booking_rows(bookings[:PAGE_SIZE])
    return render(
        request,
        "school/planning.html",
        title="Mijn planning",
        rows=rows,
        status=status,
        page=page,
        more=len(bookings) > PAGE_SIZE,
        waiting=[r for r in registrations if r["status"] in ("waitlisted", "offered")],
        coordinator=coordinator,
        registered=coming_registrations(registrations, datetime.now(UTC)),
        loans=open_loans(current, overdue),
    )


@router.get("/planning/{booking_id}/annuleren")
async def cancel_page(
    request: Request, booking_id: uuid.UUID, session: Session = school
) -> Response:
    row, rules = await asyncio.gather(
        booking_row(request, session.token, str(booking_id)),
        web(request).gateway.get(session.token, "/calendar/rules"),
    )
    late = row.session is not None and is_late(
        row.session.starts_at, datetime.now(UTC), rules["free_cancellation_days"]
    )
    return render(
        request, "school/cancel.html", title="Boeking annuleren", row=row, late=late, rules=rules
    )


@router.post("/planning/{booking_id}/annuleren")
async def cancel(request: Request, booking_id: uuid.UUID, session: Session = school) -> Response:
    row = await booking_row(request, session.token, str(booking_id))
    try:
        await web(request).gateway.post(session.token, f"/bookings/{booking_id}/cancel")
    except ApiProblem as problem:
        session.flashes.append(f"Annuleren lukte niet. {refusal(problem)}")
    else:
        session.flashes.append(f"Je boeking voor {row.title} is geannuleerd.")
    return see_other("/planning")
