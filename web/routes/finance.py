"""Finance (the penvoerder): the declarations of a quarter, their lines and audit trail,
approving, rejecting with a reason and paying; budget and co-financing charts; reports."""

import asyncio
import uuid
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from web import finance_views as fv
from web.formatting import quarter_of, today
from web.gateway import ApiProblem
from web.pages import passed_on, render, role, see_other, web
from web.sessions import Session
from web.views import Form, apply_problem

router = APIRouter(prefix="/financien")
finance = role("finance")
REASON = {"reden": "Reden van afwijzen"}


@router.get("/declaraties")
async def declarations(request: Request, session: Session = finance) -> Response:
    """A quarter's declarations (this quarter unless `kwartaal` says otherwise)."""
    chosen = request.query_params.get("kwartaal", "") or quarter_of(today())
    school = request.query_params.get("school", "")
    found, names = await asyncio.gather(
        web(request).gateway.get(
            session.token,
            "/finance/declarations",
            {"quarter": chosen, "school_id": school, "limit": 500},
        ),
        web(request).catalogue.school_names(session.token),
    )
    return render(
        request,
        "finance/declarations.html",
        title="Declaraties",
        rows=found,
        quarter=chosen,
        school=school,
        quarters=fv.recent_quarters(today()),
        names=names,
    )


async def detail(
    request: Request,
    session: Session,
    declaration_id: uuid.UUID,
    problem: ApiProblem | None = None,
    **forms: Form,
) -> Response:
    """The declaration with its lines and audit trail; `problem` a refused decision, shown
    at its field when it names one, else as a sentence beside the declaration as it is now."""
    gateway, path = web(request).gateway, f"/finance/declarations/{declaration_id}"
    found, audit, names = await asyncio.gather(
        gateway.get(session.token, path),
        gateway.get(session.token, f"{path}/audit"),
        web(request).catalogue.school_names(session.token),
    )
    shown: dict[str, Any] = {
        "reject": Form({"reden": ""}, labels=dict(REASON)),
        "payment": Form(
            {"betaalrun": "", "betaaldatum": today().isoformat()}, labels=dict(fv.PAYMENT_LABELS)
        ),
    } | forms
    placed = problem is not None and any(
        [apply_problem(f, problem, fv.FIELDS) for f in forms.values()]
    )
    refused = fv.decision_refusal(problem, found) if problem and not placed else None
    return render(
        request,
        "finance/declaration.html",
        title=f"Declaratie {names.get(found['school_id'], found['school_id'])}",
        school=names.get(found["school_id"], found["school_id"]),
        declaration=found,
        lines=fv.line_rows(found["lines"]),
        audit=audit,
        refused=refused,
        actions=fv.ACTIONS,
        **shown,
    )


@router.get("/declaraties/{declaration_id}")
async def declaration(
    request: Request, declaration_id: uuid.UUID, session: Session = finance
) -> Response:
    return await detail(request, session, declaration_id)


async def decide(
    request: Request,
    session: Session,
    declaration_id: uuid.UUID,
    action: str,
    body: dict | None = None,
    **posted: Form,
) -> Response | dict:
    """Ask the API for a decision; the page again with why, when it is refused."""
    try:
        return await web(request).gateway.post(
            session.token, f"/finance/declarations/{declaration_id}/{action}", body
        )
    except ApiProblem as problem:
        return await detail(request, session, declaration_id, problem, **posted)


@router.post("/declaraties/{declaration_id}/goedkeuren")
async def approve(
    request: Request, declaration_id: uuid.UUID, session: Session = finance
) -> Response:
    answer = await decide(request, session, declaration_id, "approve")
    if isinstance(answer, Response):
        return answer
    session.flashes.append("De declaratie is goedgekeurd.")
    session.flashes.extend(answer.get("budget_warnings", []))
    return see_other(f"/financien/declaraties/{declaration_id}")


@router.post("/declaraties/{declaration_id}/afwijzen")
async def reject(
    request: Request, declaration_id: uuid.UUID, session: Session = finance
) -> Response:
    """Rejecting needs a reason; the API's field error lands at the field."""
    reason = str((await request.form()).get("reden", "")).strip()
    form = Form({"reden": reason}, labels=dict(REASON))
    answer = await decide(
        request, session, declaration_id, "reject", {"reason": reason}, reject=form
    )
    if isinstance(answer, Response):
        return answer
    session.flashes.append("De declaratie is afgewezen; de school ziet de reden.")
    return see_other(f"/financien/declaraties/{declaration_id}")


@router.post("/declaraties/{declaration_id}/uitbetalen")
async def pay(request: Request, declaration_id: uuid.UUID, session: Session = finance) -> Response:
    form = fv.payment_form({k: str(v) for k, v in (await request.form()).items()})
    if not form.valid:
        return await detail(request, session, declaration_id, payment=form)
    answer = await decide(
        request, session, declaration_id, "pay", fv.payment_body(form), payment=form
    )
    if isinstance(answer, Response):
        return answer
    session.flashes.append(f"De declaratie is uitbetaald in betaalrun {form.values['betaalrun']}.")
    return see_other(f"/financien/declaraties/{declaration_id}")


@router.get("/rapportages")
async def reports(request: Request, session: Session = finance) -> Response:
    """Budget per kerntaak and co-financing against the 10 % as charts, and the downloads."""
    asked = request.query_params.get("jaar", "")
    year = int(asked) if asked.isdigit() and 2000 <= int(asked) <= 2100 else today().year
    gateway = web(request).gateway
    budget, cofinancing, organisations = await asyncio.gather(
        gateway.get(session.token, "/finance/reports/budget", {"year": year}),
        gateway.get(session.token, "/finance/reports/cofinancing", {"year": year}),
        web(request).catalogue.organisations(session.token),
    )
    return render(
        request,
        "finance/reports.html",
        title="Budget en rapportages",
        year=year,
        budget=budget,
        cofinancing=cofinancing,
        budget_chart=fv.budget_chart(year, budget),
        cofinancing_chart=fv.cofinancing_chart(
            year, cofinancing, budget, {key: o["name"] for key, o in organisations.items()}
        ),
        quarters=[f"{year}-Q{n}" for n in range(1, 5)],
    )


@router.get("/rapportages/download")
async def download(request: Request, session: Session = finance) -> Response:
    """A report as CSV or XLSX, passed on as the gateway sends it, under a Dutch name."""
    q = request.query_params
    wanted = fv.download(
        q.get("rapport", ""), q.get("jaar", ""), q.get("kwartaal", ""), q.get("formaat", "")
    )
    if wanted is None:
        raise HTTPException(404)
    answer = await web(request).gateway.download(session.token, wanted.path, wanted.params)
    return passed_on(answer, wanted.filename)
