"""The company contact: its offers and proposals (proposing a new one), the schools'
requests to accept or decline, who is coming, and its own co-financing."""

import asyncio
import uuid
from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import Response

from web import formatting
from web.gateway import ApiProblem
from web.pages import render, role, see_other, web
from web.sessions import Session
from web.views import (
    PROPOSAL_KINDS,
    Form,
    answer_refusal,
    blank_proposal,
    by_start,
    place_refusal,
    proposal_body,
    proposal_form,
    refusal,
)

router = APIRouter(prefix="/bedrijf")
company = role("company")
REASON = {"reden": "Reden"}


@router.get("/aanbod")
async def offers(request: Request, session: Session = company) -> Response:
    """What the company hosts in the catalogue, and its proposals with their status."""
    gateway = web(request).gateway
    catalogue, proposals = await asyncio.gather(
        gateway.get(session.token, "/offerings", {"limit": 500}),
        gateway.get(session.token, "/offering-proposals", {"limit": 100}),
    )
    hosted = [o for o in catalogue if o.get("host_company") == session.organisation]
    return render(
        request, "company/offers.html", title="Ons aanbod", hosted=hosted, proposals=proposals
    )


def _proposal_page(
    request: Request, form: Form, refused: str | None = None, refused_detail: str | None = None
) -> Response:
    return render(
        request,
        "company/propose.html",
        title="Doe een voorstel",
        form=form,
        kinds=PROPOSAL_KINDS,
        refused=refused,
        refused_detail=refused_detail,
    )


@router.get("/voorstel")
async def proposal(request: Request, session: Session = company) -> Response:
    return _proposal_page(request, blank_proposal())


@router.post("/voorstel")
async def propose(request: Request, session: Session = company) -> Response:
    """The API's field errors land at their fields, with everything typed kept."""
    sent = await request.form()
    values = {k: str(sent.get(k, "")) for k in sent}
    values["doelgroep"] = ",".join(str(v) for v in sent.getlist("doelgroep"))
    form = proposal_form(values)
    if not form.valid:
        return _proposal_page(request, form)
    try:
        await web(request).gateway.post(session.token, "/offering-proposals", proposal_body(form))
    except ApiProblem as problem:
        placed = place_refusal(form, problem)
        return _proposal_page(
            request, form, None if placed else refusal(problem), None if placed else problem.detail
        )
    session.flashes.append(
        f"Je voorstel '{form.values['titel']}' is verstuurd. De backoffice "
        "beoordeelt het; scholen zien het na goedkeuring."
    )
    return see_other("/bedrijf/aanbod")


async def _requests_page(
    request: Request,
    session: Session,
    forms: dict[str, Form] | None = None,
    refused: str | None = None,
) -> Response:
    found = await web(request).gateway.get(
        session.token, "/bookings", {"status": "requested", "limit": 200}
    )
    return render(
        request,
        "company/requests.html",
        title="Aanvragen",
        rows=by_start(found),
        forms=forms or {},
        refused=refused,
    )


@router.get("/aanvragen")
async def requests(request: Request, session: Session = company) -> Response:
    """The schools' requests for the company's visits and internship places."""
    return await _requests_page(request, session)


@router.post("/aanvragen/{booking_id}/accepteren")
async def accept(request: Request, booking_id: uuid.UUID, session: Session = company) -> Response:
    try:
        await web(request).gateway.post(session.token, f"/bookings/{booking_id}/accept")
    except ApiProblem as problem:
        return await _requests_page(request, session, refused=answer_refusal(problem))
    session.flashes.append("De aanvraag is geaccepteerd; de school krijgt een bevestiging.")
    return see_other("/bedrijf/aanvragen")


@router.post("/aanvragen/{booking_id}/weigeren")
async def decline(request: Request, booking_id: uuid.UUID, session: Session = company) -> Response:
    """Declining needs a reason the school reads; the API's field error lands at the field."""
    reason = str((await request.form()).get("reden", "")).strip()
    form = Form({"reden": reason}, labels=REASON)
    try:
        await web(request).gateway.post(
            session.token, f"/bookings/{booking_id}/decline", {"reason": reason}
        )
    except ApiProblem as problem:
        placed = place_refusal(form, problem)
        return await _requests_page(
            request, session, {str(booking_id): form}, None if placed else answer_refusal(problem)
        )
    session.flashes.append(
        "De aanvraag is geweigerd; de school leest je reden en de plaatsen zijn weer vrij."
    )
    return see_other("/bedrijf/aanvragen")


@router.get("/wie-komt")
async def who_comes(request: Request, session: Session = company) -> Response:
    """The confirmed groups for the company's visits and internship places, soonest first,
    and the classes registered for the event sessions it hosts."""
    gateway = web(request).gateway
    found, hosted = await asyncio.gather(
        gateway.get(session.token, "/bookings", {"status": "confirmed", "limit": 200}),
        gateway.get(session.token, "/hosted-sessions", {"limit": 100}),
    )
    return render(
        request,
        "company/who_comes.html",
        title="Wie komt er",
        rows=by_start(found),
        hosted=[s for s in hosted if s["groups"]],
    )


@router.get("/cofinanciering")
async def cofinancing(request: Request, session: Session = company) -> Response:
    """The company's co-financing of a year, for the yearly talk with the programme."""
    this_year = formatting.today().year
    chosen = request.query_params.get("jaar", "")
    year = int(chosen) if chosen.isdigit() and 2000 <= int(chosen) <= 2100 else this_year
    found = await web(request).gateway.get(session.token, "/finance/cofinancing", {"year": year})
    return render(
        request,
        "company/cofinancing.html",
        title="Cofinanciering",
        found=found,
        year=year,
        years=list(range(this_year, date(2025, 1, 1).year - 1, -1)),
    )
