"""Berichten: the in-app inbox of whoever is signed in, and their own preferences: how each
kind of message reaches them, what they do not want, a daily digest and quiet hours."""

import uuid

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from web.formatting import CHANNELS, MESSAGE_CATEGORIES, OPTIONAL_CATEGORIES
from web.gateway import ApiProblem
from web.notifications import (
    PREFERENCE_FIELDS,
    place_problem,
    preferences_body,
    preferences_form,
    sent_preferences,
)
from web.pages import person, render, see_other, web
from web.routes.school import PAGE_SIZE, page_number
from web.sessions import Session
from web.views import Form, refusal

router = APIRouter()


@router.get("/berichten")
async def inbox(request: Request, session: Session = Depends(person)) -> Response:
    """The newest messages first, a page at a time (`pagina` in the URL)."""
    page = page_number(request)
    found = await web(request).gateway.get(
        session.token, "/notifications", {"limit": PAGE_SIZE + 1, "offset": (page - 1) * PAGE_SIZE}
    )
    shown = found[:PAGE_SIZE]
    return render(
        request,
        "messages.html",
        title="Berichten",
        messages=shown,
        unread=sum(1 for m in shown if not m.get("read_at")),
        page=page,
        more=len(found) > PAGE_SIZE,
    )


@router.post("/berichten/{message_id}/gelezen")
async def mark_read(
    request: Request, message_id: uuid.UUID, session: Session = Depends(person)
) -> Response:
    try:
        await web(request).gateway.post(session.token, f"/notifications/{message_id}/read")
    except ApiProblem as problem:
        session.flashes.append(refusal(problem))
    page = str((await request.form()).get("pagina", "1"))
    return see_other(
        f"/berichten?pagina={page}" if page.isdigit() and page != "1" else "/berichten"
    )


def preferences_page(
    request: Request, form: Form, opted_out: set[str], problem: ApiProblem | None = None
) -> Response:
    refused = None
    if problem is not None and not place_problem(form, problem, PREFERENCE_FIELDS):
        refused = refusal(problem)
    return render(
        request,
        "preferences.html",
        title="Voorkeuren voor berichten",
        form=form,
        opted_out=opted_out,
        categories=MESSAGE_CATEGORIES,
        channels=list(CHANNELS.items()),
        optional=[(c, MESSAGE_CATEGORIES[c]) for c in OPTIONAL_CATEGORIES],
        refused=refused,
        refused_detail=problem.detail if refused and problem else None,
    )


@router.get("/berichten/voorkeuren")
async def preferences(request: Request, session: Session = Depends(person)) -> Response:
    saved, version = await web(request).gateway.get_versioned(
        session.token, "/notifications/preferences"
    )
    form, opted_out = preferences_form(saved)
    form.version = version
    return preferences_page(request, form, opted_out)


@router.post("/berichten/voorkeuren")
async def save_preferences(request: Request, session: Session = Depends(person)) -> Response:
    sent = await request.form()
    form, opted_out = sent_preferences(
        {k: str(v) for k, v in sent.items()}, [str(v) for v in sent.getlist("afmelden")]
    )
    form.sent_from(sent)
    if not form.valid:
        return preferences_page(request, form, opted_out)
    try:
        await web(request).gateway.put(
            session.token,
            "/notifications/preferences",
            preferences_body(form, opted_out),
            if_match=form.version,
        )
    except ApiProblem as problem:
        return preferences_page(request, form, opted_out, problem)
    session.flashes.append(
        "Je voorkeuren zijn bewaard. Ze gelden voor de berichten die je vanaf nu krijgt."
    )
    return see_other("/berichten")
