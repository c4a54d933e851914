"""Berichten: the in-app inbox of whoever is signed in."""

import uuid

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from web.gateway import ApiProblem
from web.pages import person, render, see_other, web
from web.sessions import Session
from web.views import refusal

router = APIRouter()


@router.get("/berichten")
async def inbox(request: Request, session: Session = Depends(person)) -> Response:
    found = await web(request).gateway.get(session.token, "/notifications", {"limit": 50})
    return render(request, "messages.html", title="Berichten", messages=found,
                  unread=sum(1 for m in found if not m.get("read_at")))


@router.post("/berichten/{message_id}/gelezen")
async def mark_read(request: Request, message_id: uuid.UUID,
                    session: Session = Depends(person)) -> Response:
    try:
        await web(request).gateway.post(session.token, f"/notifications/{message_id}/read")
    except ApiProblem as problem:
        session.flashes.append(refusal(problem))
    return see_other("/berichten")
