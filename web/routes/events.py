"""Evenementen. The school: events with their sessions and free places, registering a class,
its registrations (waiting list, a place offered). The backoffice: who comes per session,
registering a class on behalf of a school, and inchecken by code at the door, on a phone."""

import asyncio
import uuid
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from web.gateway import ApiProblem
from web.pages import render, role, schools, see_other, web
from web.sessions import Session
from web.views import (
    Form,
    apply_problem,
    check_in_form,
    check_in_refusal,
    refusal,
    registration_body,
    registration_form,
)

router = APIRouter()
school, backoffice = role("school"), role("backoffice")
registrar = role("school", "backoffice")  # the backoffice on behalf of a school
MAX_EVENTS = 100  # a year of the region's events


async def events_list(request: Request, token: str) -> list[dict[str, Any]]:
    found = await web(request).gateway.get(token, "/events", {"limit": MAX_EVENTS})
    return sorted(found, key=lambda e: e["starts_at"])


@router.get("/evenementen")
async def events(request: Request, session: Session = school) -> Response:
    registrations, found = await asyncio.gather(
        web(request).gateway.get(session.token, "/registrations", {"limit": 200}),
        events_list(request, session.token),
    )
    return render(
        request,
        "school/events.html",
        title="Evenementen",
        events=found,
        registrations=[r for r in registrations if r["status"] != "cancelled"],
    )


async def event_with_sessions(
    request: Request, token: str, event_id: str
) -> tuple[dict, list[dict]]:
    gateway = web(request).gateway
    return await asyncio.gather(
        gateway.get(token, f"/events/{event_id}"),
        gateway.get(token, f"/events/{event_id}/sessions"),
    )


@router.get("/evenementen/{event_id}")
async def event(request: Request, event_id: str, session: Session = school) -> Response:
    found, sessions = await event_with_sessions(request, session.token, event_id)
    return render(
        request, "school/event.html", title=found["title"], event=found, sessions=sessions
    )


async def register_page(
    request: Request,
    session: Session,
    event_id: str,
    session_id: str,
    form: Form,
    problem: ApiProblem | None = None,
) -> Response:
    found, sessions = await event_with_sessions(request, session.token, event_id)
    chosen = next((s for s in sessions if s["id"] == session_id), None)
    if chosen is None:
        raise HTTPException(404)
    refused = None if problem is None or apply_problem(form, problem) else refusal(problem)
    on_behalf = session.role == "backoffice"
    return render(
        request,
        "school/register.html",
        title="Klas aanmelden",
        event=found,
        chosen=chosen,
        form=form,
        refused=refused,
        schools=await schools(request, session.token) if on_behalf else [],
        back=f"/backoffice/evenementen/{event_id}" if on_behalf else f"/evenementen/{event_id}",
        refused_detail=problem.detail if problem and refused else None,
    )


@router.get("/evenementen/{event_id}/aanmelden")
async def register_form(request: Request, event_id: str, session: Session = registrar) -> Response:
    return await register_page(
        request, session, event_id, request.query_params.get("sessie", ""), Form({})
    )


@router.post("/evenementen/{event_id}/aanmelden")
async def register(request: Request, event_id: str, session: Session = registrar) -> Response:
    sent = {k: str(v) for k, v in (await request.form()).items()}
    on_behalf = session.role == "backoffice"
    form, session_id = registration_form(sent, on_behalf), sent.get("sessie", "")
    if not form.valid:
        return await register_page(request, session, event_id, session_id, form)
    try:
        made = await web(request).gateway.post(
            session.token, "/registrations", registration_body(form, session_id)
        )
    except ApiProblem as problem:
        return await register_page(request, session, event_id, session_id, form, problem)
    if on_behalf:
        session.flashes.append(
            f"Klas {form.values['klas']} van {made['school_id']} is "
            f"{registered_as(made)}. De school ziet de aanmelding en de "
            "code in haar planning."
        )
        return see_other(f"/backoffice/evenementen/{event_id}")
    if made["status"] == "waitlisted":
        session.flashes.append(
            f"De sessie is vol: klas {form.values['klas']} staat op plaats "
            f"{made['waitlist_position']} van de wachtlijst. Komt er een "
            "plaats vrij, dan krijg je bericht."
        )
    else:
        session.flashes.append(
            f"Klas {form.values['klas']} is aangemeld. Laat op de dag de code bij de ingang zien."
        )
    return see_other("/evenementen#aanmeldingen")


def registered_as(made: dict[str, Any]) -> str:
    if made["status"] == "waitlisted":
        return f"op plaats {made['waitlist_position']} van de wachtlijst gezet"
    return "aangemeld"


@router.post("/aanmeldingen/{registration_id}/accepteren")
async def accept(
    request: Request, registration_id: uuid.UUID, session: Session = school
) -> Response:
    try:
        await web(request).gateway.post(session.token, f"/registrations/{registration_id}/accept")
    except ApiProblem as problem:
        session.flashes.append(f"Dat lukte niet. {problem.detail}")
    else:
        session.flashes.append("Je hebt de aangeboden plaats aangenomen.")
    return see_other("/evenementen#aanmeldingen")


@router.get("/backoffice/evenementen")
async def backoffice_events(request: Request, session: Session = backoffice) -> Response:
    return render(
        request,
        "backoffice/events.html",
        title="Evenementen",
        events=await events_list(request, session.token),
    )


@router.get("/backoffice/evenementen/{event_id}")
async def who_comes(request: Request, event_id: str, session: Session = backoffice) -> Response:
    found = await web(request).gateway.get(session.token, f"/events/{event_id}/registrations")
    return render(request, "backoffice/who_comes.html", title=found["event_title"], event=found)


async def check_in_page(request: Request, token: str, event_id: str, form: Form) -> Response:
    found = await web(request).gateway.get(token, f"/events/{event_id}")
    return render(request, "backoffice/check_in.html", title="Inchecken", event=found, form=form)


@router.get("/backoffice/evenementen/{event_id}/inchecken")
async def check_in_form_page(
    request: Request, event_id: str, session: Session = backoffice
) -> Response:
    return await check_in_page(request, session.token, event_id, Form({}))


@router.post("/backoffice/evenementen/{event_id}/inchecken")
async def check_in(request: Request, event_id: str, session: Session = backoffice) -> Response:
    form = check_in_form({k: str(v) for k, v in (await request.form()).items()})
    if form.valid:
        try:
            checked = await web(request).gateway.post(
                session.token,
                f"/events/{event_id}/check-in",
                {"code": form.values["code"], "students_present": int(form.values["aanwezig"])},
            )
        except ApiProblem as problem:
            check_in_refusal(form, problem)
            if form.valid:
                raise
        else:
            group = checked["group"]
            session.flashes.append(
                f"Ingecheckt: {checked['school_id']}, klas {group['name']}, "
                f"{checked['students_present']} leerlingen."
            )
            return see_other(f"/backoffice/evenementen/{event_id}/inchecken")
    return await check_in_page(request, session.token, event_id, form)
