"""The loans desk of the hotspot (Uitleenbalie): the day's reservations and the overdue loans,
uitgeven (check-out with a note on the condition) and innemen (return, with damage)."""

import asyncio
import uuid

from fastapi import APIRouter, Request
from starlette.responses import Response

from web import formatting
from web.gateway import ApiProblem
from web.pages import render, role, see_other, web
from web.sessions import Session
from web.views import DeskFilter, Form, apply_problem, refusal, return_body, return_form

router = APIRouter(prefix="/backoffice/uitleenbalie")
backoffice = role("backoffice")
DESK = "/backoffice/uitleenbalie"
DESK_SIZE = 100  # a day's reservations at one hotspot; more is shown as "and more"


@router.get("")
async def desk(request: Request, session: Session = backoffice) -> Response:
    """The reservations that run on the chosen day and every loan not back in time."""
    today = formatting.today()
    chosen = DeskFilter.of(dict(request.query_params), today)
    gateway = web(request).gateway
    found, overdue = await asyncio.gather(
        gateway.get(session.token, "/reservations", chosen.params() | {"limit": DESK_SIZE + 1}),
        gateway.get(session.token, "/overdue-loans", {"limit": DESK_SIZE}),
    )
    return render(
        request,
        "backoffice/desk.html",
        title="Uitleenbalie",
        chosen=chosen,
        today=today,
        reservations=found[:DESK_SIZE],
        more=len(found) > DESK_SIZE,
        overdue=overdue,
        query=chosen.query(today),
    )


async def reservation(request: Request, token: str, reservation_id: uuid.UUID) -> dict:
    return await web(request).gateway.get(token, f"/reservations/{reservation_id}")


def note_form(note: str) -> Form:
    return Form({"notitie": note}, labels={"notitie": "Staat bij uitgifte"})


TITLES = {"backoffice/check_out.html": "Uitgeven", "backoffice/return.html": "Innemen"}


def desk_page(
    request: Request, template: str, found: dict, form: Form, problem: ApiProblem | None = None
) -> Response:
    """The check-out or return form; a refusal lands at its field or above the form."""
    refused = None if problem is None or apply_problem(form, problem) else refusal(problem)
    return render(
        request,
        template,
        title=TITLES[template],
        reservation=found,
        form=form,
        refused=refused,
        refused_detail=problem.detail if problem and refused else None,
    )


@router.get("/{reservation_id}/uitgeven")
async def check_out_form(
    request: Request, reservation_id: uuid.UUID, session: Session = backoffice
) -> Response:
    found = await reservation(request, session.token, reservation_id)
    return desk_page(request, "backoffice/check_out.html", found, note_form(""))


@router.post("/{reservation_id}/uitgeven")
async def check_out(
    request: Request, reservation_id: uuid.UUID, session: Session = backoffice
) -> Response:
    found = await reservation(request, session.token, reservation_id)
    note = str((await request.form()).get("notitie", "")).strip()
    try:
        await web(request).gateway.post(
            session.token, f"/reservations/{reservation_id}/check-out", {"condition_note": note}
        )
    except ApiProblem as problem:
        return desk_page(request, "backoffice/check_out.html", found, note_form(note), problem)
    session.flashes.append(f"{found['item_name']} is uitgegeven aan {found['school_id']}.")
    return see_other(DESK)


@router.get("/{reservation_id}/innemen")
async def return_page(
    request: Request, reservation_id: uuid.UUID, session: Session = backoffice
) -> Response:
    found = await reservation(request, session.token, reservation_id)
    return desk_page(request, "backoffice/return.html", found, return_form({"staat": "goed"}))


@router.post("/{reservation_id}/innemen")
async def take_back(
    request: Request, reservation_id: uuid.UUID, session: Session = backoffice
) -> Response:
    found = await reservation(request, session.token, reservation_id)
    form = return_form({k: str(v) for k, v in (await request.form()).items()})
    if not form.valid:
        return desk_page(request, "backoffice/return.html", found, form)
    try:
        await web(request).gateway.post(
            session.token, f"/reservations/{reservation_id}/return", return_body(form)
        )
    except ApiProblem as problem:
        return desk_page(request, "backoffice/return.html", found, form, problem)
    damaged = " De schade is gemeld; het gaat in reparatie." if form.values["schade"] else ""
    session.flashes.append(f"{found['item_name']} van {found['school_id']} is ingenomen." + damaged)
    return see_other(DESK)
