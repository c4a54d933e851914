"""The hotspot's planning (backoffice): the week agenda per room and instructor, planning a
session or a series of an offer, moving and cancelling a session."""

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any, NamedTuple

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from web import formatting
from web.agenda import (
    AgendaFilter,
    Entry,
    clash,
    move_body,
    move_form,
    move_values,
    place_refusal,
    planning_defaults,
    series_body,
    series_form,
    session_body,
    session_entry,
    session_form,
    skipped,
    told,
    week,
)
from web.gateway import ApiProblem
from web.pages import render, role, see_other, web
from web.sessions import Session
from web.views import Form, parse_day, refusal

router = APIRouter(prefix="/backoffice")
backoffice = role("backoffice")
AGENDA = "/backoffice/agenda"
MAX_SESSIONS = 500  # the API's page limit; a week of the hotspot is far below it
MAX_DAYS = 93  # the API's longest agenda


async def lessons(
    request: Request, token: str, first: date, last: date, room: str = "", instructor: str = ""
) -> list[Entry]:
    """The agenda's sessions, of offers and of events (a room or instructor leaves events
    out: they have neither)."""
    found = await web(request).gateway.get(
        token,
        "/sessions",
        {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "room": room,
            "instructor": instructor,
            "limit": MAX_SESSIONS,
        },
    )
    return [session_entry(s) for s in found]


@router.get("/agenda")
async def agenda(request: Request, session: Session = backoffice) -> Response:
    """The week of the chosen room or instructor; without a choice everything, events too."""
    chosen = AgendaFilter.of(dict(request.query_params), formatting.today())
    first, last, token = chosen.week, chosen.last_day, session.token
    if chosen.narrowed:  # everything still gives the rooms and instructors to choose from
        everything, shown = await asyncio.gather(
            lessons(request, token, first, last),
            lessons(request, token, first, last, chosen.room, chosen.instructor),
        )
    else:
        everything = shown = await lessons(request, token, first, last)
    return render(
        request,
        "backoffice/agenda.html",
        title="Agenda",
        week=week(chosen, shown, everything),
        today=formatting.today(),
    )


# -- planning a session or a series ---------------------------------------------------------


async def in_the_way(
    request: Request, token: str, problem: ApiProblem, first: date, days: int
) -> Entry | None:
    """The session a clash names, looked up in the agenda of the days planned."""
    found = clash(problem)
    if found is None or not found[2]:
        return None
    span = lessons(request, token, first, first + timedelta(days=min(days, MAX_DAYS) - 1))
    return next((e for e in await span if e.id == found[2]), None)


async def planning_page(
    request: Request,
    session: Session,
    template: str,
    form: Form,
    problem: ApiProblem | None = None,
    other: Entry | None = None,
) -> Response:
    """A planning form with the offer to choose; a refusal at its field or at the top."""
    refused = None if problem is None or form.errors else refusal(problem)
    offers = await web(request).catalogue.offers(session.token)
    if template == "backoffice/plan_session.html":  # a single session of one-session offers
        offers = [o for o in offers if o["sessions_per_booking"] == 1]
    return render(
        request,
        template,
        title=TITLES[template],
        form=form,
        offers=sorted(((o["id"], o["title"]) for o in offers), key=lambda o: o[1]),
        key=str(uuid.uuid4()),
        refused=refused,
        refused_detail=problem.detail if problem and refused else None,
    )


TITLES = {
    "backoffice/plan_session.html": "Sessie plannen",
    "backoffice/plan_series.html": "Serie plannen",
}


async def offer_chosen(request: Request, token: str, form: Form) -> dict[str, Any] | None:
    found = await web(request).catalogue.offer(token, form.values["aanbod"])
    if found is None:
        form.errors["aanbod"] = "Kies wat je plant."
    return found


async def new_form(request: Request, token: str) -> Form:
    query = {k: str(v) for k, v in request.query_params.items()}
    found = await web(request).catalogue.offer(token, query.get("aanbod", ""))
    return Form(planning_defaults(found, query))


@router.get("/sessie-plannen")
async def plan_session_form(request: Request, session: Session = backoffice) -> Response:
    return await planning_page(
        request, session, "backoffice/plan_session.html", await new_form(request, session.token)
    )


async def sent_form(request: Request) -> tuple[dict[str, str], str | None]:
    sent = {k: str(v) for k, v in (await request.form()).items()}
    return sent, sent.get("sleutel") or None


class Planned(NamedTuple):
    offer: dict[str, Any]
    body: dict[str, Any]
    answer: Any


PLANS = {
    "sessions": ("backoffice/plan_session.html", session_form, session_body),
    "series": ("backoffice/plan_series.html", series_form, series_body),
}


async def send_plan(request: Request, session: Session, what: str) -> Planned | Response:
    """A planning form sent to the API (`what`: sessions or series); or the form again with
    what is missing, or refused at its field (a clash named with the session in the way)."""
    template, form_of, body_of = PLANS[what]
    sent, key = await sent_form(request)
    form = form_of(sent)
    found = await offer_chosen(request, session.token, form) if form.valid else None
    if found is None:
        return await planning_page(request, session, template, form)
    body = body_of(form, found)
    try:
        answer = await web(request).gateway.post(
            session.token, f"/offerings/{found['id']}/{what}", body, key
        )
    except ApiProblem as problem:
        days = body.get("every_days", 1) * body.get("count", 1)
        other = await in_the_way(
            request, session.token, problem, date.fromisoformat(form.values["datum"]), days
        )
        place_refusal(form, problem, other)
        return await planning_page(request, session, template, form, problem)
    return Planned(found, body, answer)


def lesson(planned: Planned, answered: dict[str, Any]) -> Entry:
    """A session the API planned, as the agenda shows it."""
    offer = planned.offer
    return session_entry(
        answered
        | {
            "offering_title": offer["title"],
            "offering_kind": offer["kind"],
            "location": offer["location"],
            "instructor": planned.body["instructor"],
        }
    )


@router.post("/sessie-plannen")
async def plan_session(request: Request, session: Session = backoffice) -> Response:
    planned = await send_plan(request, session, "sessions")
    if isinstance(planned, Response):
        return planned
    entry = lesson(planned, planned.answer)
    session.flashes.append(
        f"Gepland: {entry.title}, {formatting.long_date(entry.starts_at)} "
        f"{formatting.time_range(entry.starts_at, entry.ends_at)}, lokaal {entry.room}."
    )
    return see_other(f"{AGENDA}?week={entry.day.isoformat()}")


@router.get("/serie-plannen")
async def plan_series_form(request: Request, session: Session = backoffice) -> Response:
    return await planning_page(
        request, session, "backoffice/plan_series.html", await new_form(request, session.token)
    )


@router.post("/serie-plannen")
async def plan_series(request: Request, session: Session = backoffice) -> Response:
    """The series planned, with the dates skipped and why."""
    planned = await send_plan(request, session, "series")
    if isinstance(planned, Response):
        return planned
    return render(
        request,
        "backoffice/series_planned.html",
        title="Serie gepland",
        offer=planned.offer,
        skipped=skipped(planned.answer),
        sessions=[lesson(planned, s) for s in planned.answer["sessions"]],
    )


# -- moving and cancelling ------------------------------------------------------------------


async def planned_session(request: Request, token: str, session_id: uuid.UUID, day: str) -> Entry:
    """A session by its id, found in the agenda of its day (the API has no session by id)."""
    on = parse_day(day)
    found = await lessons(request, token, on, on) if on else []
    entry = next((e for e in found if e.id == str(session_id)), None)
    if entry is None:
        raise HTTPException(404)
    return entry


async def change_page(
    request: Request, template: str, entry: Entry, form: Form, problem: ApiProblem | None = None
) -> Response:
    refused = None if problem is None or form.errors else refusal(problem)
    return render(
        request,
        template,
        title=CHANGE_TITLES[template],
        entry=entry,
        form=form,
        told=told(entry.schools),
        refused=refused,
        refused_detail=problem.detail if problem and refused else None,
    )


CHANGE_TITLES = {
    "backoffice/move.html": "Sessie verplaatsen",
    "backoffice/cancel_session.html": "Sessie annuleren",
}


@router.get("/sessies/{session_id}/verplaatsen")
async def move_page(
    request: Request, session_id: uuid.UUID, session: Session = backoffice
) -> Response:
    entry = await planned_session(
        request, session.token, session_id, request.query_params.get("dag", "")
    )
    return await change_page(request, "backoffice/move.html", entry, Form(move_values(entry)))


@router.post("/sessies/{session_id}/verplaatsen")
async def move(request: Request, session_id: uuid.UUID, session: Session = backoffice) -> Response:
    sent, _ = await sent_form(request)
    entry = await planned_session(request, session.token, session_id, sent.get("dag", ""))
    form, template = move_form(sent), "backoffice/move.html"
    if not form.valid:
        return await change_page(request, template, entry, form)
    try:
        await web(request).gateway.post(
            session.token, f"/sessions/{session_id}/move", move_body(form)
        )
    except ApiProblem as problem:
        other = await in_the_way(
            request, session.token, problem, date.fromisoformat(form.values["datum"]), 1
        )
        place_refusal(form, problem, other)
        return await change_page(request, template, entry, form, problem)
    day = date.fromisoformat(form.values["datum"])
    session.flashes.append(
        f"{entry.title} is verplaatst naar {formatting.long_date(day)}, "
        f"{form.values['begin']}-{form.values['einde']}. {told(entry.schools)}"
    )
    return see_other(f"{AGENDA}?week={day.isoformat()}")


@router.get("/sessies/{session_id}/annuleren")
async def cancel_page(
    request: Request, session_id: uuid.UUID, session: Session = backoffice
) -> Response:
    entry = await planned_session(
        request, session.token, session_id, request.query_params.get("dag", "")
    )
    return await change_page(request, "backoffice/cancel_session.html", entry, Form({"reden": ""}))


@router.post("/sessies/{session_id}/annuleren")
async def cancel(
    request: Request, session_id: uuid.UUID, session: Session = backoffice
) -> Response:
    sent, _ = await sent_form(request)
    entry = await planned_session(request, session.token, session_id, sent.get("dag", ""))
    form, template = (
        Form({"reden": sent.get("reden", "").strip()}, labels={"reden": "Reden"}),
        "backoffice/cancel_session.html",
    )
    if not form.values["reden"]:
        form.errors["reden"] = "Vul de reden in: de scholen lezen hem in hun bericht."
        return await change_page(request, template, entry, form)
    try:
        cancelled = await web(request).gateway.post(
            session.token, f"/sessions/{session_id}/cancel", {"reason": form.values["reden"]}
        )
    except ApiProblem as problem:
        place_refusal(form, problem, None)
        return await change_page(request, template, entry, form, problem)
    lessons_gone = f" met alle {len(cancelled)} lessen van de serie" if len(cancelled) > 1 else ""
    session.flashes.append(
        f"{entry.title} op {formatting.long_date(entry.starts_at)} is "
        f"geannuleerd{lessons_gone}. {told(entry.schools)}"
    )
    return see_other(f"{AGENDA}?week={entry.day.isoformat()}")
