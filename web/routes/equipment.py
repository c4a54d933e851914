"""The school: Apparatuur lenen. What of a kind of equipment is free for a period, reserving
it (within the loan policy, shown on the page), and the school's own reservations. The
backoffice reserves here on behalf of the school it chooses."""

import asyncio

from fastapi import APIRouter, Request
from starlette.responses import Response

from web.gateway import ApiProblem
from web.pages import nothing, render, role, schools, see_other, web
from web.sessions import Session
from web.views import (
    Form,
    apply_problem,
    period_form,
    refusal,
    reservation_body,
    unavailable,
)

router = APIRouter(prefix="/apparatuur")
reserver = role("school", "backoffice")
MAX_ITEMS = 500  # the API's page limit; the hotspot lends far fewer items


async def equipment_page(
    request: Request, session: Session, form: Form, asked: bool, problem: ApiProblem | None = None
) -> Response:
    """The page with the policy, the search, what is free (when asked) and the school's
    reservations; a refusal of a reservation is shown at its field or at the top."""
    gateway, token, v = web(request).gateway, session.token, form.values
    on_behalf = session.role == "backoffice"  # the desk lists every school's reservations
    searched = asked and not {"categorie", "van", "tot"} & form.errors.keys()
    everything, free, policy, known, reservations = await asyncio.gather(
        gateway.get(token, "/equipment", {"limit": MAX_ITEMS}),
        gateway.get(
            token, "/availability", {"category": v["categorie"], "from": v["van"], "to": v["tot"]}
        )
        if searched
        else nothing(),
        gateway.get(token, "/loans/policy"),
        schools(request, token) if on_behalf else nothing(),
        nothing() if on_behalf else gateway.get(token, "/reservations", {"limit": 100}),
    )
    items = [i for i in everything if i["loanable"] and i["status"] != "retired"]
    names = {i["id"]: i["name"] for i in items}
    refused = None
    if problem is not None and not apply_problem(form, problem):
        refused = unavailable(problem, names) or refusal(problem)
    return render(
        request,
        "school/equipment.html",
        title="Apparatuur lenen",
        form=form,
        asked=asked,
        free=free,
        names=names,
        categories=sorted({i["category"] for i in items}),
        policy=policy,
        schools=known,
        reservations=reservations,
        refused=refused,
        refused_detail=problem.detail if problem and refused else None,
        posted=str(request.state.form.get("item", "")) if request.method == "POST" else "",
    )


@router.get("")
async def equipment(request: Request, session: Session = reserver) -> Response:
    query = {k: str(v) for k, v in request.query_params.items()}
    asked = bool(query.get("categorie") or query.get("van") or query.get("tot"))
    form = period_form(query, on_behalf=session.role == "backoffice")
    return await equipment_page(request, session, form if asked else Form(form.values), asked)


@router.post("/reserveren")
async def reserve(request: Request, session: Session = reserver) -> Response:
    request.state.form = await request.form()
    sent = {k: str(v) for k, v in request.state.form.items()}
    form = period_form(sent, on_behalf=session.role == "backoffice")
    if not form.valid:
        return await equipment_page(request, session, form, asked=True)
    try:
        made = await web(request).gateway.post(
            session.token, "/reservations", reservation_body(form, sent.get("item", ""))
        )
    except ApiProblem as problem:
        return await equipment_page(request, session, form, asked=True, problem=problem)
    if "school" in form.values:  # on behalf: to the desk, where it waits to go out
        session.flashes.append(f"{made['item_name']} is gereserveerd voor {made['school_id']}.")
        return see_other(
            f"/backoffice/uitleenbalie?dag={made['starts_on']}&school={made['school_id']}"
        )
    session.flashes.append(
        f"{made['item_name']} is gereserveerd. Haal het op bij de "
        "uitleenbalie van de hotspot op de eerste dag."
    )
    return see_other("/apparatuur#reserveringen")
