"""Signing in and out, and the start page of each role."""

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import Response

from web import views
from web.gateway import ApiProblem, Login
from web.manage import accept_body, accept_form
from web.pages import person, render, see_other, start_page, web
from web.security import safe_return_path
from web.sessions import Session

router = APIRouter()


def login_form(values: dict[str, str]) -> views.Form:
    return views.Form(
        values, labels={"gebruikersnaam": "Gebruikersnaam", "wachtwoord": "Wachtwoord"}
    )


@router.get("/")
async def home(session: Session = Depends(person)) -> Response:
    return see_other(start_page(session.role))


@router.get("/start")
async def start(request: Request, session: Session = Depends(person)) -> Response:
    """The start page of roles whose own pages come later (programme, company, admin)."""
    return render(request, "start.html", title="Start")


@router.get("/inloggen")
async def login_page(request: Request, terug: str = "/", verlopen: str = "") -> Response:
    if request.state.session.signed_in:
        return see_other(safe_return_path(terug))
    return render(
        request,
        "login.html",
        title="Inloggen",
        terug=safe_return_path(terug),
        expired=bool(verlopen),
        form=login_form({}),
    )


def _minutes(extra: dict) -> str:
    minutes = max(1, -(-int(extra.get("retry_after", 60)) // 60))
    return "een minuut" if minutes == 1 else f"{minutes} minuten"


@router.post("/inloggen")
async def login(
    request: Request,
    gebruikersnaam: Annotated[str, Form()] = "",
    wachtwoord: Annotated[str, Form()] = "",
    terug: Annotated[str, Form()] = "/",
) -> Response:
    form = login_form({"gebruikersnaam": gebruikersnaam})
    errors = form.errors
    if not gebruikersnaam.strip():
        errors["gebruikersnaam"] = "Vul je gebruikersnaam in."
    if not wachtwoord:
        errors["wachtwoord"] = "Vul je wachtwoord in."
    signed = None
    if not errors:
        try:
            signed = await web(request).gateway.login(gebruikersnaam.strip(), wachtwoord)
        except ApiProblem as refused:
            if refused.status != 429:
                raise
            errors["gebruikersnaam"] = (
                "Er is te vaak geprobeerd in te loggen. Wacht "
                f"{_minutes(refused.extra)} en probeer het dan opnieuw."
            )
        if signed is None and not errors:
            errors["gebruikersnaam"] = (
                "Deze combinatie van gebruikersnaam en wachtwoord "
                "kennen we niet. Controleer ze en probeer het opnieuw."
            )
    if signed is None:
        return render(
            request,
            "login.html",
            title="Inloggen",
            terug=safe_return_path(terug),
            expired=False,
            form=form,
        )
    await signed_in(request, signed)
    target = safe_return_path(terug)
    return see_other(start_page(signed.role) if target == "/" else target)


async def signed_in(request: Request, signed: Login) -> Session:
    """A new session for the person who signed in: an id someone planted before cannot
    ride along."""
    sessions = web(request).sessions
    await sessions.drop(request.state.session.id)
    session = sessions.new()
    session.token, session.username = signed.token, signed.username
    session.role, session.organisation = signed.role, signed.organisation
    session.organisation_name = await organisation_name(request, signed)
    session.token_expires_at = time.time() + signed.expires_in
    request.state.session = session
    return session


@router.get("/uitnodiging")
async def invitation_page(request: Request, code: str = "") -> Response:
    """The link of an invitation: the invited person picks a user name and a password."""
    return render(
        request,
        "invitation.html",
        title="Uitnodiging aannemen",
        form=views.Form({"code": code.strip()}),
    )


@router.post("/uitnodiging")
async def accept_invitation(request: Request) -> Response:
    """The account is made and its person signed in; a refusal lands at its field."""
    form = accept_form({k: str(v) for k, v in (await request.form()).items()})
    if form.valid:
        gateway = web(request).gateway
        try:
            await gateway.post(None, "/invitations/accept", accept_body(form))
        except ApiProblem as problem:
            if problem.status >= 500 or not views.apply_problem(form, problem):
                raise
        else:
            return await first_sign_in(
                request, form.values["gebruikersnaam"], form.values["wachtwoord"]
            )
    return render(request, "invitation.html", title="Uitnodiging aannemen", form=form)


async def first_sign_in(request: Request, username: str, password: str) -> Response:
    """Straight on to the person's own start page; to the login page should signing in not
    work at once."""
    signed = await web(request).gateway.login(username, password)
    if signed is None:
        request.state.session.flashes.append(
            "Je account is klaar. Log in met je nieuwe gebruikersnaam en wachtwoord."
        )
        return see_other("/inloggen")
    session = await signed_in(request, signed)
    session.flashes.append("Welkom! Je account is klaar en je bent ingelogd.")
    return see_other(start_page(signed.role))


async def organisation_name(request: Request, signed: Login) -> str:
    """The name the directory keeps for the person's organisation; its id when the
    directory does not answer (signing in does not wait on it)."""
    try:
        found = await web(request).gateway.get(
            signed.token, f"/organisations/{signed.organisation}"
        )
    except ApiProblem:
        return signed.organisation
    return str(found.get("name") or signed.organisation)


@router.post("/uitloggen")
async def logout(request: Request) -> Response:
    sessions = web(request).sessions
    await sessions.drop(request.state.session.id)
    request.state.session = sessions.new()
    request.state.session.flashes.append("Je bent uitgelogd.")
    return see_other("/inloggen")
