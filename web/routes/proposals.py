"""The backoffice weighs the companies' proposals: approved, an offer reaches the schools'
catalogue; declined, the company reads the reason."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from web.gateway import ApiProblem
from web.pages import render, role, see_other, web
from web.sessions import Session
from web.views import Form, place_refusal, refusal

router = APIRouter(prefix="/backoffice/voorstellen")
backoffice = role("backoffice")
REASON = {"reden": "Reden"}


async def _page(
    request: Request,
    session: Session,
    forms: dict[str, Form] | None = None,
    refused: str | None = None,
) -> Response:
    waiting = await web(request).gateway.get(
        session.token, "/offering-proposals", {"approval": "proposed", "limit": 100}
    )
    return render(
        request,
        "backoffice/proposals.html",
        title="Voorstellen van bedrijven",
        proposals=waiting,
        forms=forms or {},
        refused=refused,
    )


def _refusal(problem: ApiProblem) -> str:
    """A colleague decided first (409), or the proposal is gone (404): say so."""
    if problem.status in (404, 409):
        return "Over dit voorstel is al besloten. De lijst hieronder is bijgewerkt."
    return refusal(problem)


@router.get("")
async def proposals(request: Request, session: Session = backoffice) -> Response:
    """The proposals waiting for a decision, oldest first as the API gives them."""
    return await _page(request, session)


@router.post("/{offering_id}/goedkeuren")
async def approve(request: Request, offering_id: str, session: Session = backoffice) -> Response:
    try:
        await web(request).gateway.post(session.token, f"/offering-proposals/{offering_id}/approve")
    except ApiProblem as problem:
        return await _page(request, session, refused=_refusal(problem))
    session.flashes.append("Het voorstel is goedgekeurd: scholen vinden het nu in het aanbod.")
    return see_other("/backoffice/voorstellen")


@router.post("/{offering_id}/afwijzen")
async def decline(request: Request, offering_id: str, session: Session = backoffice) -> Response:
    """Declining needs a reason the company reads; the API's field error lands at it."""
    reason = str((await request.form()).get("reden", "")).strip()
    form = Form({"reden": reason}, labels=REASON)
    try:
        await web(request).gateway.post(
            session.token, f"/offering-proposals/{offering_id}/decline", {"reason": reason}
        )
    except ApiProblem as problem:
        placed = place_refusal(form, problem)
        return await _page(
            request, session, {offering_id: form}, None if placed else _refusal(problem)
        )
    session.flashes.append("Het voorstel is afgewezen; het bedrijf leest je reden.")
    return see_other("/backoffice/voorstellen")
