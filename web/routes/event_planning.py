"""Evenementen for the backoffice: planning and changing an event and its sessions. Who
comes (with the waiting list and the places offered) and inchecken are in routes/events.py."""

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from web import formatting
from web.event_forms import (
    EVENT_API_FIELDS,
    HOST_KINDS,
    changes,
    event_body,
    event_form,
    event_values,
    new_session_values,
    session_body,
    session_form,
    session_values,
)
from web.gateway import ApiProblem
from web.pages import render, role, see_other, web
from web.sessions import Session
from web.views import Form, apply_problem, refusal

router = APIRouter(prefix="/backoffice")
backoffice = role("backoffice")
EVENTS = "/backoffice/evenementen"


def sent_values(sent: FormData) -> dict[str, str]:
    """The form as sent, its several levels (doelgroep) comma-joined."""
    return {k: str(v) for k, v in sent.items()} | {
        "doelgroep": ",".join(str(v) for v in sent.getlist("doelgroep"))
    }


def refused_on(form: Form, problem: ApiProblem) -> str | None:
    """The API's field errors at their fields; else its refusal, a Dutch sentence of the
    events service's own planning rules, at the top."""
    if apply_problem(form, problem, EVENT_API_FIELDS):
        return None
    return problem.detail if problem.status in (409, 422) and problem.detail else refusal(problem)


def event_page(
    request: Request, form: Form, event: dict[str, Any] | None = None, refused: str | None = None
) -> Response:
    return render(
        request,
        "backoffice/event_form.html",
        title="Evenement wijzigen" if event else "Evenement plannen",
        form=form,
        event=event,
        refused=refused,
    )


@router.get("/evenement-plannen")
async def new_event_form(request: Request, session: Session = backoffice) -> Response:
    return event_page(
        request, Form({"begin": "09:00", "einde": "15:00", "locatie": "Hotspot T is for Tech"})
    )


@router.post("/evenement-plannen")
async def new_event(request: Request, session: Session = backoffice) -> Response:
    form = event_form(sent_values(await request.form()))
    if not form.valid:
        return event_page(request, form)
    try:
        made = await web(request).gateway.post(session.token, "/events", event_body(form))
    except ApiProblem as problem:
        return event_page(request, form, refused=refused_on(form, problem))
    session.flashes.append(
        f"{made['title']} is gepland. Voeg nu de sessies toe waarvoor "
        "scholen hun klassen aanmelden."
    )
    return see_other(f"{EVENTS}/{made['id']}")


async def the_event(request: Request, token: str, event_id: str) -> dict[str, Any]:
    return await web(request).gateway.get(token, f"/events/{event_id}")


@router.get("/evenementen/{event_id}/wijzigen")
async def change_event_form(
    request: Request, event_id: str, session: Session = backoffice
) -> Response:
    found, version = await web(request).gateway.get_versioned(session.token, f"/events/{event_id}")
    return event_page(request, Form(event_values(found), version=version), found)


@router.post("/evenementen/{event_id}/wijzigen")
async def change_event(request: Request, event_id: str, session: Session = backoffice) -> Response:
    found, sent = await the_event(request, session.token, event_id), await request.form()
    form = event_form(sent_values(sent)).sent_from(sent)
    if not form.valid:
        return event_page(request, form, found)
    changed = changes(event_body(form), event_body(event_form(event_values(found))))
    if changed:
        try:
            await web(request).gateway.patch(
                session.token, f"/events/{event_id}", changed, if_match=form.version
            )
        except ApiProblem as problem:
            return event_page(request, form, found, refused_on(form, problem))
    session.flashes.append("Het evenement is gewijzigd." if changed else "Er was niets veranderd.")
    return see_other(f"{EVENTS}/{event_id}")


def session_page(
    request: Request,
    event: dict[str, Any],
    form: Form,
    chosen: dict[str, Any] | None = None,
    refused: str | None = None,
) -> Response:
    levels = [a for a in event["audience"] if a in formatting.LEVELS]
    return render(
        request,
        "backoffice/event_session_form.html",
        title="Sessie wijzigen" if chosen else "Sessie toevoegen",
        event=event,
        form=form,
        chosen=chosen,
        levels=levels,
        host_kinds=list(HOST_KINDS.items()),
        refused=refused,
    )


@router.get("/evenementen/{event_id}/sessie-toevoegen")
async def new_session_form(
    request: Request, event_id: str, session: Session = backoffice
) -> Response:
    found = await the_event(request, session.token, event_id)
    return session_page(request, found, Form(new_session_values(found, formatting.today())))


@router.post("/evenementen/{event_id}/sessie-toevoegen")
async def new_session(request: Request, event_id: str, session: Session = backoffice) -> Response:
    found = await the_event(request, session.token, event_id)
    form = session_form(sent_values(await request.form()))
    if not form.valid:
        return session_page(request, found, form)
    try:
        made = await web(request).gateway.post(
            session.token, f"/events/{event_id}/sessions", session_body(form, found)
        )
    except ApiProblem as problem:
        return session_page(request, found, form, refused=refused_on(form, problem))
    session.flashes.append(
        f"Sessie {made['title']} is toegevoegd; scholen kunnen zich "
        "aanmelden vanaf de dag dat de aanmelding opent."
    )
    return see_other(f"{EVENTS}/{event_id}")


async def event_session(
    request: Request, token: str, event_id: str, session_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    gateway = web(request).gateway
    found = await the_event(request, token, event_id)
    sessions = await gateway.get(token, f"/events/{event_id}/sessions")
    chosen = next((s for s in sessions if s["id"] == session_id), None)
    if chosen is None:
        raise HTTPException(404)
    return found, chosen


@router.get("/evenementen/{event_id}/sessies/{session_id}/wijzigen")
async def change_session_form(
    request: Request, event_id: str, session_id: str, session: Session = backoffice
) -> Response:
    found, chosen = await event_session(request, session.token, event_id, session_id)
    _, version = await web(request).gateway.get_versioned(
        session.token, f"/event-sessions/{session_id}"
    )
    return session_page(request, found, Form(session_values(chosen), version=version), chosen)


@router.post("/evenementen/{event_id}/sessies/{session_id}/wijzigen")
async def change_session(
    request: Request, event_id: str, session_id: str, session: Session = backoffice
) -> Response:
    """A change; more places go to the waiting groups at once (the API offers them)."""
    found, chosen = await event_session(request, session.token, event_id, session_id)
    sent = await request.form()
    form = session_form(sent_values(sent)).sent_from(sent)
    if not form.valid:
        return session_page(request, found, form, chosen)
    changed = changes(
        session_body(form, found), session_body(session_form(session_values(chosen)), found)
    )
    if changed:
        try:
            await web(request).gateway.patch(
                session.token, f"/event-sessions/{session_id}", changed, if_match=form.version
            )
        except ApiProblem as problem:
            return session_page(request, found, form, chosen, refused_on(form, problem))
    more = changed.get("capacity", 0) > chosen["capacity"]
    session.flashes.append(
        "De sessie is gewijzigd."
        + (
            " Staan er klassen op de wachtlijst, dan krijgen zij "
            "de nieuwe plaatsen meteen aangeboden."
            if more
            else ""
        )
        if changed
        else "Er was niets veranderd."
    )
    return see_other(f"{EVENTS}/{event_id}")
