"""Finance (the penvoerder): the declarations of a quarter, their lines, approving and
rejecting with a reason."""

import uuid
from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import Response

from web.formatting import quarter_of
from web.gateway import ApiProblem
from web.pages import render, role, see_other, web
from web.sessions import Session
from web.views import Form, apply_problem, refusal

router = APIRouter(prefix="/financien")
finance = role("finance")
QUARTER_CODE = r"^\d{4}-Q[1-4]$"


@router.get("/declaraties")
async def declarations(request: Request, session: Session = finance) -> Response:
    """A quarter's declarations (this quarter unless `kwartaal` says otherwise)."""
    chosen = request.query_params.get("kwartaal", "") or quarter_of(date.today())
    school = request.query_params.get("school", "")
    found = await web(request).gateway.get(session.token, "/finance/declarations", {
        "quarter": chosen, "school_id": school, "limit": 500})
    return render(request, "finance/declarations.html", title="Declaraties", rows=found,
                  quarter=chosen, school=school, quarters=recent_quarters(date.today()))


def recent_quarters(today: date, count: int = 6) -> list[str]:
    """This quarter and the ones before it, newest first."""
    codes, year, number = [], today.year, (today.month - 1) // 3 + 1
    for _ in range(count):
        codes.append(f"{year}-Q{number}")
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return codes


async def detail(request: Request, session: Session, declaration_id: uuid.UUID,
                 form: Form | None = None, **extra) -> Response:
    found = await web(request).gateway.get(session.token,
                                           f"/finance/declarations/{declaration_id}")
    return render(request, "finance/declaration.html",
                  title=f"Declaratie {found['school_id']}", declaration=found,
                  form=form or Form({"reden": ""}, labels={"reden": "Reden van afwijzen"}),
                  **extra)


@router.get("/declaraties/{declaration_id}")
async def declaration(request: Request, declaration_id: uuid.UUID,
                      session: Session = finance) -> Response:
    return await detail(request, session, declaration_id)


@router.post("/declaraties/{declaration_id}/goedkeuren")
async def approve(request: Request, declaration_id: uuid.UUID,
                  session: Session = finance) -> Response:
    try:
        answer = await web(request).gateway.post(
            session.token, f"/finance/declarations/{declaration_id}/approve")
    except ApiProblem as problem:
        return await detail(request, session, declaration_id,
                            refused=refusal(problem), refused_detail=problem.detail)
    session.flashes.append("De declaratie is goedgekeurd.")
    session.flashes.extend(answer.get("budget_warnings", []))
    return see_other(f"/financien/declaraties/{declaration_id}")


@router.post("/declaraties/{declaration_id}/afwijzen")
async def reject(request: Request, declaration_id: uuid.UUID,
                 session: Session = finance) -> Response:
    """Rejecting needs a reason; the API's field error lands at the field."""
    reason = str((await request.form()).get("reden", "")).strip()
    form = Form({"reden": reason}, labels={"reden": "Reden van afwijzen"})
    try:
        await web(request).gateway.post(
            session.token, f"/finance/declarations/{declaration_id}/reject", {"reason": reason})
    except ApiProblem as problem:
        refused = None if apply_problem(form, problem) else refusal(problem)
        return await detail(request, session, declaration_id, form, refused=refused,
                            refused_detail=problem.detail)
    session.flashes.append("De declaratie is afgewezen; de school ziet de reden.")
    return see_other(f"/financien/declaraties/{declaration_id}")
