"""The hotspot's backoffice: confirmed bookings to complete (with who came) or to mark as
no-show."""

import uuid

from fastapi import APIRouter, Request
from starlette.responses import Response

from web.gateway import ApiProblem
from web.pages import render, role, see_other, web
from web.routes.school import PAGE_SIZE
from web.sessions import Session
from web.views import Listing, booking_rows, refusal

router = APIRouter(prefix="/backoffice")
backoffice = role("backoffice")


@router.get("/boekingen")
async def bookings(request: Request, session: Session = backoffice) -> Response:
    """Confirmed bookings, the soonest session first; `school` filters (in the URL)."""
    chosen = Listing.of(request.query_params)
    found = await web(request).gateway.get(
        session.token, "/bookings", {"status": "confirmed"} | chosen.params(PAGE_SIZE)
    )
    return render(
        request,
        "backoffice/bookings.html",
        title="Boekingen afronden",
        rows=booking_rows(found[:PAGE_SIZE]),
        school=chosen.school,
        page=chosen.page,
        more=len(found) > PAGE_SIZE,
        back=back_to(request),
    )


def back_to(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


async def _report(
    request: Request,
    session: Session,
    booking_id: uuid.UUID,
    action: str,
    body: dict | None,
    done: str,
) -> Response:
    form = await request.form()
    try:
        await web(request).gateway.post(session.token, f"/bookings/{booking_id}/{action}", body)
    except ApiProblem as problem:
        session.flashes.append(f"Dat lukte niet. {refusal(problem)} {problem.detail}".strip())
    else:
        session.flashes.append(done)
    back = str(form.get("terug", ""))
    return see_other(back if back.startswith("/backoffice/") else "/backoffice/boekingen")


@router.post("/boekingen/{booking_id}/afronden")
async def complete(
    request: Request, booking_id: uuid.UUID, session: Session = backoffice
) -> Response:
    present = str((await request.form()).get("aanwezig", "")).strip()
    if present and not present.isdigit():
        session.flashes.append(
            "Vul bij 'aanwezig' een heel getal in, of laat het leeg als de hele groep er was."
        )
        return see_other("/backoffice/boekingen")
    body = {"students_reached": int(present)} if present else None
    return await _report(
        request,
        session,
        booking_id,
        "complete",
        body,
        "De boeking is afgerond; de declaratieregel volgt vanzelf.",
    )


@router.post("/boekingen/{booking_id}/niet-verschenen")
async def no_show(
    request: Request, booking_id: uuid.UUID, session: Session = backoffice
) -> Response:
    return await _report(
        request,
        session,
        booking_id,
        "no-show",
        None,
        "De boeking staat op 'niet verschenen'; er wordt niets gedeclareerd.",
    )
