"""The company contact: its offers and proposals (proposing a new one), the schools'
requests to accept or decline, who is coming, and its own co-financing."""

import asyncio
import uuid
from datetime import date
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, Request
from starlette.responses import Response

from web import formatting
from web.gateway import ApiProblem
from web.pages import render, role, see_other, web
from web.routes.school import PAGE_SIZE
from web.sessions import Session
from web.views import (
    PROPOSAL_KINDS,
    Form,
    Listing,
    answer_refusal,
    blank_proposal,
    by_start,
    page_of,
    page_params,
    place_refusal,
    proposal_body,
    proposal_form,
    refusal,
)

router = APIRouter(prefix="/bedrijf")
company = role("company")
REASON = {"reden": "Reden"}
REQUESTS = "/bedrijf/aanvragen"


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
    chosen: Listing,
    forms: dict[str, Form] | None = None,
    refused: str | None = None,
) -> Response:
    found = await web(request).gateway.get(
        session.token, "/bookings", {"status": "requested"} | chosen.params(PAGE_SIZE)
    )
    return render(
        request,
        "company/requests.html",
        title="Aanvragen",
        rows=by_start(found[:PAGE_SIZE]),
        chosen=chosen,
        more=len(found) > PAGE_SIZE,
        back=chosen.url(REQUESTS),
        forms=forms or {},
        refused=refused,
    )


@router.get("/aanvragen")
async def requests(request: Request, session: Session = company) -> Response:
    """The schools' requests for the company's visits and internship places, the soonest
    first, a page at a time; `school` filters (both in the URL)."""
    return await _requests_page(request, session, Listing.of(request.query_params))


async def sent_from(request: Request) -> Listing:
    """The requests' page and filter an answer was sent from (its hidden `terug`)."""
    back = urlsplit(str((await request.form()).get("terug", "")))
    return Listing.of(dict(parse_qsl(back.query))) if back.path == REQUESTS else Listing()


@router.post("/aanvragen/{booking_id}/accepteren")
async def accept(request: Request, booking_id: uuid.UUID, session: Session = company) -> Response:
    chosen = await sent_from(request)
    try:
        await web(request).gateway.post(session.token, f"/bookings/{booking_id}/accept")
    except ApiProblem as problem:
        return await _requests_page(request, session, chosen, refused=answer_refusal(problem))
    session.flashes.append("De aanvraag is geaccepteerd; de school krijgt een bevestiging.")
    return see_other(chosen.url(REQUESTS))


@router.post("/aanvragen/{booking_id}/weigeren")
async def decline(request: Request, booking_id: uuid.UUID, session: Session = company) -> Response:
    """Declining needs a reason the school reads; the API's field error lands at the field."""
    reason = str((await request.form()).get("reden", "")).strip()
    form, chosen = Form({"reden": reason}, labels=REASON), await sent_from(request)
    try:
        await web(request).gateway.post(
            session.token, f"/bookings/{booking_id}/decline", {"reason": reason}
        )
    except ApiProblem as problem:
        placed = place_refusal(form, problem)
        return await _requests_page(
            request,
            session,
            chosen,
            {str(booking_id): form},
            None if placed else answer_refusal(problem),
        )
    session.flashes.append(
        "De aanvraag is geweigerd; de school leest je reden en de plaatsen zijn weer vrij."
    )
    return see_other(chosen.url(REQUESTS))


@router.get("/wie-komt")
async def who_comes(request: Request, session: Session = company) -> Response:
    """The confirmed groups for the company's visits and internship places, soonest first
    (`school` filters, `pagina` pages), and the event sessions it hosts with the classes
    registered (`sessiepagina` pages), each list a page at a time."""
    gateway, chosen = web(request).gateway, Listing.of(request.query_params)
    hosted_page = page_of(request.query_params.get("sessiepagina", ""))
    found, hosted = await asyncio.gather(
        gateway.get(session.token, "/bookings", {"status": "confirmed"} | chosen.params(PAGE_SIZE)),
        gateway.get(session.token, "/hosted-sessions", page_params(hosted_page, PAGE_SIZE)),
    )
    return render(
        request,
        "company/who_comes.html",
        title="Wie komt er",
        rows=by_start(found[:PAGE_SIZE]),
        chosen=chosen,
        more=len(found) > PAGE_SIZE,
        hosted=hosted[:PAGE_SIZE],
        hosted_page=hosted_page,
        more_hosted=len(hosted) > PAGE_SIZE,
        # What each list's pages keep in the URL: the filter and the other list's page.
        rows_query=chosen.query() | ({"sessiepagina": hosted_page} if hosted_page > 1 else {}),
        hosted_query=chosen.query() | ({"pagina": chosen.page} if chosen.page > 1 else {}),
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
