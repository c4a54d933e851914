"""The school coordinator's quarterly declaration: the draft with the lines the platform put
on it, the school's own hours, materials and co-financing, corrections, and submitting."""

import uuid

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from web import finance_views as fv
from web.formatting import quarter_of, today
from web.gateway import ApiProblem
from web.pages import render, role, see_other, web
from web.sessions import Session
from web.views import Form, apply_problem, refusal

router = APIRouter(prefix="/declaratie")
school = role("school")


@router.get("")
async def declaration(request: Request, session: Session = school) -> Response:
    """The school's declaration of a quarter (this one unless `kwartaal` says otherwise)."""
    chosen = request.query_params.get("kwartaal", "")
    chosen = chosen if fv.QUARTER.match(chosen) else quarter_of(today())
    gateway = web(request).gateway
    found = await gateway.get(session.token, "/finance/declarations", {"quarter": chosen})
    current = (
        await gateway.get(session.token, f"/finance/declarations/{found[0]['id']}")
        if found
        else None
    )
    return render(
        request,
        "school/declaration.html",
        title="Declaratie",
        quarter=chosen,
        quarters=fv.recent_quarters(today()),
        d=current,
        lines=fv.line_rows(current["lines"]) if current else [],
        editable=current is not None and current["status"] in fv.EDITABLE,
        kinds=fv.LINE_KINDS,
    )


@router.post("")
async def start(request: Request, session: Session = school) -> Response:
    """A draft for the quarter (the API makes one when the school has none)."""
    chosen = str((await request.form()).get("kwartaal", ""))
    if not fv.QUARTER.match(chosen):
        raise HTTPException(404)
    await web(request).gateway.post(session.token, "/finance/declarations", {"quarter": chosen})
    return see_other(f"/declaratie?kwartaal={chosen}")


async def own(request: Request, token: str, declaration_id: uuid.UUID) -> dict:
    return await web(request).gateway.get(token, f"/finance/declarations/{declaration_id}")


def back(found: dict) -> str:
    return f"/declaratie?kwartaal={found['quarter']}"


def line_page(request: Request, found: dict, kind: str, form: Form, **extra) -> Response:
    return render(
        request,
        "school/declaration_line.html",
        title=f"{fv.LINE_KINDS[kind]} toevoegen",
        d=found,
        kind=kind,
        form=form,
        kinds=fv.LINE_KINDS,
        roles=fv.STAFF_ROLES,
        forms=fv.COFINANCING_FORMS,
        core_tasks=fv.CORE_TASKS,
        **extra,
    )


def kind_of(request: Request) -> str:
    kind = request.query_params.get("soort", "")
    if kind not in fv.LINE_KINDS:
        raise HTTPException(404)
    return kind


@router.get("/{declaration_id}/regel")
async def line_form(
    request: Request, declaration_id: uuid.UUID, session: Session = school
) -> Response:
    found, kind = await own(request, session.token, declaration_id), kind_of(request)
    return line_page(request, found, kind, Form({"vorm": "in-kind"}))


@router.post("/{declaration_id}/regel")
async def add_line(
    request: Request, declaration_id: uuid.UUID, session: Session = school
) -> Response:
    """A line of the school's own; what the API refuses lands at its field, nothing typed is
    lost."""
    found, kind = await own(request, session.token, declaration_id), kind_of(request)
    form = fv.line_form(kind, {k: str(v) for k, v in (await request.form()).items()})
    if not form.valid:
        return line_page(request, found, kind, form)
    try:
        await web(request).gateway.post(
            session.token, f"/finance/declarations/{declaration_id}/lines", fv.line_body(kind, form)
        )
    except ApiProblem as problem:
        if apply_problem(form, problem, fv.FIELDS) or fv.unpriced_role(form, problem):
            return line_page(request, found, kind, form)
        return line_page(
            request, found, kind, form, refused=refusal(problem), refused_detail=problem.detail
        )
    session.flashes.append(f"De regel ‘{form.values['omschrijving']}’ staat op de declaratie.")
    return see_other(back(found))


def correction_page(request: Request, found: dict, line: dict, form: Form, **extra) -> Response:
    return render(
        request,
        "school/correction.html",
        title="Regel corrigeren",
        d=found,
        line=line,
        form=form,
        **extra,
    )


async def line_to_correct(
    request: Request, token: str, declaration_id: uuid.UUID
) -> tuple[dict, dict]:
    found = await own(request, token, declaration_id)
    line_id = request.query_params.get("regel", "")
    line = next(
        (x for x in found["lines"] if str(x["id"]) == line_id and not x["corrects_line_id"]), None
    )
    if line is None:
        raise HTTPException(404)
    return found, line


@router.get("/{declaration_id}/correctie")
async def correction_form(
    request: Request, declaration_id: uuid.UUID, session: Session = school
) -> Response:
    found, line = await line_to_correct(request, session.token, declaration_id)
    return correction_page(request, found, line, Form({}))


@router.post("/{declaration_id}/correctie")
async def correct(
    request: Request, declaration_id: uuid.UUID, session: Session = school
) -> Response:
    """A correcting line (negative takes money off); the corrected line stays as it was."""
    found, line = await line_to_correct(request, session.token, declaration_id)
    form = fv.correction_form({k: str(v) for k, v in (await request.form()).items()})
    if not form.valid:
        return correction_page(request, found, line, form)
    try:
        await web(request).gateway.post(
            session.token,
            f"/finance/declarations/{declaration_id}/corrections",
            fv.correction_body(form, str(line["id"])),
        )
    except ApiProblem as problem:
        if not apply_problem(form, problem, fv.FIELDS):
            form.errors["bedrag"] = f"{problem.detail[:1].upper()}{problem.detail[1:]}."
        return correction_page(request, found, line, form)
    session.flashes.append(f"De correctie op ‘{line['description']}’ staat op de declaratie.")
    return see_other(back(found))


@router.post("/{declaration_id}/indienen")
async def submit(
    request: Request, declaration_id: uuid.UUID, session: Session = school
) -> Response:
    found = await own(request, session.token, declaration_id)
    try:
        await web(request).gateway.post(
            session.token, f"/finance/declarations/{declaration_id}/submit"
        )
    except ApiProblem as problem:
        session.flashes.append(f"Indienen lukte niet: {problem.detail}.")
    else:
        session.flashes.append(
            "De declaratie is ingediend. Financiën beoordeelt haar; je "
            "krijgt bericht als ze is goedgekeurd of afgewezen."
        )
    return see_other(back(found))
