"""Aankondigingen: the backoffice and programme management write an announcement (the
newsletter, a call for projects) to chosen organisations, kinds of organisation and roles,
and see those sent, with how many people each reached."""

import asyncio
from itertools import groupby

from fastapi import APIRouter, Request
from starlette.responses import Response

from web.formatting import ORGANISATION_KINDS, ROLES
from web.gateway import ApiProblem
from web.notifications import (
    ANNOUNCEMENT_FIELDS,
    AnnouncementForm,
    announcement_body,
    announcement_form,
    place_problem,
)
from web.pages import render, role, see_other, web
from web.sessions import Session
from web.views import Form, refusal

router = APIRouter()
announcer = role("backoffice", "programme")
MAX_ORGANISATIONS = 500  # the region's organisations all fit one list


async def announcements_page(
    request: Request, session: Session, chosen: AnnouncementForm, problem: ApiProblem | None = None
) -> Response:
    gateway = web(request).gateway
    organisations, sent = await asyncio.gather(
        gateway.get(session.token, "/organisations", {"limit": MAX_ORGANISATIONS}),
        gateway.get(session.token, "/announcements", {"limit": 50}),
    )
    refused = None
    if problem is not None and not place_problem(chosen.form, problem, ANNOUNCEMENT_FIELDS):
        refused = refusal(problem)
    by_kind = sorted(organisations, key=lambda o: (o["kind"], o["name"]))
    return render(
        request,
        "announcements.html",
        title="Aankondigingen",
        form=chosen.form,
        chosen=chosen,
        sent=sent,
        refused=refused,
        refused_detail=problem.detail if refused and problem else None,
        organisation_groups=[
            (ORGANISATION_KINDS.get(kind, kind), list(group))
            for kind, group in groupby(by_kind, key=lambda o: o["kind"])
        ],
        kinds=list(ORGANISATION_KINDS.items()),
        roles=list(ROLES.items()),
    )


@router.get("/aankondigingen")
async def announcements(request: Request, session: Session = announcer) -> Response:
    return await announcements_page(request, session, AnnouncementForm(Form({})))


@router.post("/aankondigingen")
async def announce(request: Request, session: Session = announcer) -> Response:
    sent = await request.form()
    chosen = announcement_form(
        {k: str(v) for k, v in sent.items()},
        *([str(v) for v in sent.getlist(name)] for name in ("organisaties", "soorten", "rollen")),
    )
    if not chosen.form.valid:
        return await announcements_page(request, session, chosen)
    try:
        made = await web(request).gateway.post(
            session.token, "/announcements", announcement_body(chosen)
        )
    except ApiProblem as problem:
        return await announcements_page(request, session, chosen, problem)
    people = made["recipients"]
    session.flashes.append(
        f"'{made['title']}' is verstuurd aan {people} "
        f"{'persoon' if people == 1 else 'personen'}: in hun Berichten, en "
        "per e-mail aan wie dat wil."
    )
    return see_other("/aankondigingen")
