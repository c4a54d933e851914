"""The backoffice's organisations (list by kind and text, detail with its people, add, edit)
and people (list, invite with the code to pass on, deactivate after a confirmation)."""

import asyncio
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import Response

from web.gateway import ApiProblem
from web.manage import (
    ORGANISATION_KINDS,
    PERSON_ROLES,
    invitation_body,
    invitation_form,
    organisation_body,
    organisation_form,
    organisation_values,
)
from web.pages import organisations_named, render, role, see_other, web
from web.routes.school import PAGE_SIZE, page_number
from web.sessions import Session
from web.views import Form, apply_problem, refusal

router = APIRouter(prefix="/backoffice")
backoffice = role("backoffice")


async def _posted(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items()}


# -- organisations --------------------------------------------------------------------------


@router.get("/organisaties")
async def organisations(request: Request, session: Session = backoffice) -> Response:
    """By `soort` and a `tekst` in name or place (in the URL), a page at a time."""
    kind = request.query_params.get("soort", "")
    kind = kind if kind in ORGANISATION_KINDS else ""
    text, page = request.query_params.get("tekst", "").strip()[:80], page_number(request)
    found = await web(request).gateway.get(
        session.token,
        "/organisations",
        {"kind": kind, "text": text, "limit": PAGE_SIZE + 1, "offset": (page - 1) * PAGE_SIZE},
    )
    query = {k: v for k, v in {"soort": kind, "tekst": text}.items() if v}
    return render(
        request,
        "backoffice/organisations.html",
        title="Organisaties",
        organisations=found[:PAGE_SIZE],
        more=len(found) > PAGE_SIZE,
        page=page,
        kind=kind,
        text=text,
        query=query,
        kinds=list(ORGANISATION_KINDS.items()),
    )


@router.get("/organisaties/nieuw")
async def new_organisation(request: Request, session: Session = backoffice) -> Response:
    return organisation_page(request, Form({}), None)


def organisation_page(
    request: Request,
    form: Form,
    current: dict[str, Any] | None,
    refused: str | None = None,
    detail: str | None = None,
) -> Response:
    title = f"{current['name']} wijzigen" if current else "Organisatie toevoegen"
    return render(
        request,
        "backoffice/organisation_form.html",
        title=title,
        form=form,
        current=current,
        kinds=list(ORGANISATION_KINDS.items()),
        refused=refused,
        refused_detail=detail,
    )


async def _save(
    request: Request, session: Session, form: Form, current: dict[str, Any] | None
) -> Response:
    gateway = web(request).gateway
    try:
        if current is None:
            saved = await gateway.post(session.token, "/organisations", organisation_body(form))
        else:
            saved = await gateway.put(
                session.token,
                f"/organisations/{current['id']}",
                organisation_body(form, current),
                if_match=form.version,
            )
    except ApiProblem as problem:
        if problem.status == 409 and current is None:
            form.errors["code"] = "Er is al een organisatie met deze code. Kies een andere."
            return organisation_page(request, form, current)
        placed = apply_problem(form, problem)
        return organisation_page(
            request, form, current, None if placed else refusal(problem), problem.detail
        )
    session.flashes.append(f"{saved['name']} is opgeslagen.")
    return see_other(f"/backoffice/organisaties/{quote(saved['id'])}")


@router.post("/organisaties/nieuw")
async def add_organisation(request: Request, session: Session = backoffice) -> Response:
    form = organisation_form(await _posted(request), new=True)
    if not form.valid:
        return organisation_page(request, form, None)
    return await _save(request, session, form, None)


@router.get("/organisaties/{organisation_id}")
async def organisation(
    request: Request, organisation_id: str, session: Session = backoffice
) -> Response:
    gateway = web(request).gateway
    found, people = await asyncio.gather(
        gateway.get(session.token, f"/organisations/{quote(organisation_id)}"),
        gateway.get(session.token, "/people", {"organisation_id": organisation_id, "limit": 200}),
    )
    return render(
        request,
        "backoffice/organisation.html",
        title=found["name"],
        organisation=found,
        people=people,
        kinds=ORGANISATION_KINDS,
        roles=PERSON_ROLES,
    )


@router.get("/organisaties/{organisation_id}/wijzigen")
async def edit_organisation(
    request: Request, organisation_id: str, session: Session = backoffice
) -> Response:
    found, version = await web(request).gateway.get_versioned(
        session.token, f"/organisations/{quote(organisation_id)}"
    )
    return organisation_page(request, Form(organisation_values(found), version=version), found)


@router.post("/organisaties/{organisation_id}/wijzigen")
async def change_organisation(
    request: Request, organisation_id: str, session: Session = backoffice
) -> Response:
    found = await web(request).gateway.get(
        session.token, f"/organisations/{quote(organisation_id)}"
    )
    posted = await _posted(request)
    form = organisation_form(posted | {"code": found["id"]}, new=False).sent_from(posted)
    if not form.valid:
        return organisation_page(request, form, found)
    return await _save(request, session, form, found)


# -- people ---------------------------------------------------------------------------------


@router.get("/mensen")
async def people(request: Request, session: Session = backoffice) -> Response:
    """By `organisatie` and `rol` (in the URL), a page at a time."""
    organisation_id = request.query_params.get("organisatie", "").strip().lower()[:80]
    chosen_role = request.query_params.get("rol", "")
    chosen_role = chosen_role if chosen_role in PERSON_ROLES else ""
    page = page_number(request)
    found = await web(request).gateway.get(
        session.token,
        "/people",
        {
            "organisation_id": organisation_id,
            "role": chosen_role,
            "limit": PAGE_SIZE + 1,
            "offset": (page - 1) * PAGE_SIZE,
        },
    )
    query = {k: v for k, v in {"organisatie": organisation_id, "rol": chosen_role}.items() if v}
    return render(
        request,
        "backoffice/people.html",
        title="Mensen",
        people=found[:PAGE_SIZE],
        more=len(found) > PAGE_SIZE,
        page=page,
        query=query,
        organisation_id=organisation_id,
        chosen_role=chosen_role,
        roles=PERSON_ROLES,
    )


async def invite_page(
    request: Request,
    session: Session,
    form: Form,
    refused: str | None = None,
    detail: str | None = None,
) -> Response:
    return render(
        request,
        "backoffice/invite.html",
        title="Iemand uitnodigen",
        form=form,
        organisations=await organisations_named(request, session.token),
        roles=list(PERSON_ROLES.items()),
        refused=refused,
        refused_detail=detail,
    )


@router.get("/mensen/uitnodigen")
async def invitation(request: Request, session: Session = backoffice) -> Response:
    chosen = request.query_params.get("organisatie", "")
    return await invite_page(request, session, Form({"organisatie": chosen}))


@router.post("/mensen/uitnodigen")
async def invite(request: Request, session: Session = backoffice) -> Response:
    form = invitation_form(await _posted(request))
    if not form.valid:
        return await invite_page(request, session, form)
    try:
        invited = await web(request).gateway.post(
            session.token, "/people/invitations", invitation_body(form)
        )
    except ApiProblem as problem:
        placed = apply_problem(form, problem)
        return await invite_page(
            request, session, form, None if placed else refusal(problem), problem.detail
        )
    # The code is shown once, here: the directory keeps only its hash.
    return render(
        request,
        "backoffice/invited.html",
        title="Uitnodiging gemaakt",
        invited=invited,
        roles=PERSON_ROLES,
    )


async def _person(request: Request, token: str, person_id: str) -> dict[str, Any]:
    return await web(request).gateway.get(token, f"/people/{quote(person_id)}")


@router.get("/mensen/{person_id}/deactiveren")
async def deactivation(request: Request, person_id: str, session: Session = backoffice) -> Response:
    found = await _person(request, session.token, person_id)
    return render(
        request,
        "backoffice/deactivate.html",
        title="Account deactiveren",
        person=found,
        roles=PERSON_ROLES,
    )


@router.post("/mensen/{person_id}/deactiveren")
async def deactivate(request: Request, person_id: str, session: Session = backoffice) -> Response:
    found = await _person(request, session.token, person_id)
    try:
        await web(request).gateway.post(session.token, f"/people/{quote(person_id)}/deactivate")
    except ApiProblem as problem:
        session.flashes.append(f"Deactiveren lukte niet: {problem.detail or refusal(problem)}.")
    else:
        session.flashes.append(
            f"Het account van {found['name']} is gedeactiveerd; inloggen kan niet meer."
        )
    return see_other(f"/backoffice/mensen?organisatie={quote(found['organisation_id'])}")
