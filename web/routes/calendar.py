"""The backoffice's calendar: booking rules and closed days, school day exceptions, and
quotas per school and school year. Each page lists per school year (in the URL) and has its
form; a refusal of the API lands at its field, with everything typed still there."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from web import formatting
from web.gateway import ApiProblem
from web.manage import (
    CLOSURE_KINDS,
    closed_body,
    closed_form,
    exception_body,
    exception_form,
    paged,
    quota_form,
    rules_body,
    rules_form,
    rules_values,
    school_year_label,
    school_year_of,
)
from web.pages import render, role, schools, see_other, web
from web.routes.school import PAGE_SIZE, page_number
from web.sessions import Session
from web.views import Form, apply_problem, refusal

router = APIRouter(prefix="/backoffice/kalender")
backoffice = role("backoffice")


def chosen_year(request: Request) -> int:
    value = request.query_params.get("schooljaar", "")
    this_year = school_year_of(formatting.today())
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else this_year


def year_range(year: int) -> dict[str, str]:
    return {
        "from": date(year, 8, 1).isoformat(),
        "to": (date(year + 1, 8, 1) - timedelta(days=1)).isoformat(),
    }


def years_around(year: int) -> list[tuple[str, str]]:
    this_year = school_year_of(formatting.today())
    return [
        (str(y), school_year_label(y))
        for y in sorted({this_year - 1, this_year, this_year + 1, this_year + 2, year})
    ]


def failed(form: Form, problem: ApiProblem) -> str | None:
    """The API's refusal at its field; otherwise the sentence for the top of the page."""
    return None if apply_problem(form, problem) else refusal(problem)


async def _posted(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items()}


def _back(path: str, year: int) -> Response:
    return see_other(f"{path}?schooljaar={year}")


Page = Callable[..., Awaitable[Response]]


async def _year_listed(
    request: Request,
    token: str,
    api_path: str,
    params: Callable[[int], dict[str, Any]],
    key: Callable[[dict], Any],
) -> tuple[list[dict], dict[str, Any]]:
    """A page of what the API lists for the chosen school year, in `key` order, and what
    the page shows around it (the year, its choices, paging)."""
    year, page = chosen_year(request), page_number(request)
    found = await web(request).gateway.get(token, api_path, params(year))
    shown, more = paged(sorted(found, key=key), page, PAGE_SIZE)
    return shown, {"year": year, "years": years_around(year), "page": page, "more": more}


async def _submitted(
    request: Request, session: Session, form: Form, page: Page, send: Callable[[], Awaitable[Any]]
) -> Response | Any:
    """What the API answered to `send()`, or when the form is incomplete or the API refused
    it, the `page` again with the errors at their fields and all that was typed."""
    if not form.valid:
        return await page(request, session, form)
    try:
        return await send()
    except ApiProblem as problem:
        return await page(request, session, form, failed(form, problem), problem.detail)


async def _removed(
    request: Request, session: Session, api_path: str, done: str, back: str, year: int
) -> Response:
    try:
        await web(request).gateway.delete(session.token, api_path)
    except ApiProblem as problem:
        session.flashes.append(f"Verwijderen lukte niet. {refusal(problem)}")
    else:
        session.flashes.append(done)
    return _back(back, year)


# -- rules and closed days ------------------------------------------------------------------


async def closed_page(
    request: Request,
    session: Session,
    closing: Form | None = None,
    refused: str | None = None,
    detail: str | None = None,
    rules: Form | None = None,
) -> Response:
    gateway, token = web(request).gateway, session.token
    if rules is None:
        current, version = await gateway.get_versioned(token, "/calendar/rules")
        rules = Form(rules_values(current), version=version)
    shown, around = await _year_listed(
        request, token, "/calendar/closed-periods", year_range, lambda c: c["starts_on"]
    )
    return render(
        request,
        "backoffice/calendar.html",
        title="Kalender",
        rules=rules,
        closing=closing or Form({"soort": "closure"}),
        closed=shown,
        kinds=list(CLOSURE_KINDS.items()),
        refused=refused,
        refused_detail=detail,
        **around,
    )


async def rules_page(
    request: Request,
    session: Session,
    form: Form,
    refused: str | None = None,
    detail: str | None = None,
) -> Response:
    return await closed_page(request, session, refused=refused, detail=detail, rules=form)


@router.get("")
async def calendar(request: Request, session: Session = backoffice) -> Response:
    return await closed_page(request, session)


@router.post("/regels")
async def set_rules(request: Request, session: Session = backoffice) -> Response:
    posted = await _posted(request)
    form = rules_form(posted).sent_from(posted)
    answer = await _submitted(
        request,
        session,
        form,
        rules_page,
        lambda: web(request).gateway.put(
            session.token, "/calendar/rules", rules_body(form), if_match=form.version
        ),
    )
    if isinstance(answer, Response):
        return answer
    session.flashes.append("De regels voor boeken en annuleren zijn opgeslagen.")
    return see_other("/backoffice/kalender")


@router.post("/gesloten")
async def close(request: Request, session: Session = backoffice) -> Response:
    form = closed_form(await _posted(request))
    made = await _submitted(
        request,
        session,
        form,
        closed_page,
        lambda: web(request).gateway.post(
            session.token, "/calendar/closed-periods", closed_body(form)
        ),
    )
    if isinstance(made, Response):
        return made
    session.flashes.append(f"{made['name']} staat in de kalender: de hotspot is dan gesloten.")
    return _back("/backoffice/kalender", school_year_of(date.fromisoformat(made["starts_on"])))


@router.post("/gesloten/{closure_id}/verwijderen")
async def reopen(request: Request, closure_id: str, session: Session = backoffice) -> Response:
    form = await _posted(request)
    return await _removed(
        request,
        session,
        f"/calendar/closed-periods/{closure_id}",
        f"{form.get('naam', 'De sluiting')} is uit de kalender; die dagen zijn weer open.",
        "/backoffice/kalender",
        chosen_year_of(form),
    )


def chosen_year_of(form: dict[str, str]) -> int:
    value = form.get("schooljaar", "")
    return int(value) if value.isdigit() else school_year_of(formatting.today())


# -- school day exceptions ------------------------------------------------------------------


async def exceptions_page(
    request: Request,
    session: Session,
    form: Form | None = None,
    refused: str | None = None,
    detail: str | None = None,
) -> Response:
    (shown, around), known = await asyncio.gather(
        _year_listed(
            request,
            session.token,
            "/calendar/school-days",
            year_range,
            lambda d: (d["day"], d["school_id"]),
        ),
        schools(request, session.token),
    )
    return render(
        request,
        "backoffice/school_days.html",
        title="Uitzonderingen per school",
        form=form or Form({}),
        days=shown,
        schools=known,
        refused=refused,
        refused_detail=detail,
        **around,
    )


@router.get("/uitzonderingen")
async def exceptions(request: Request, session: Session = backoffice) -> Response:
    return await exceptions_page(request, session)


@router.post("/uitzonderingen")
async def add_exception(request: Request, session: Session = backoffice) -> Response:
    form = exception_form(await _posted(request))
    v = form.values
    answer = await _submitted(
        request,
        session,
        form,
        exceptions_page,
        lambda: web(request).gateway.put(
            session.token, f"/calendar/school-days/{v['school']}/{v['dag']}", exception_body(form)
        ),
    )
    if isinstance(answer, Response):
        return answer
    state, day = ("open" if v["open"] == "open" else "dicht"), date.fromisoformat(v["dag"])
    session.flashes.append(f"{v['school']} is op {formatting.long_date(day)} {state}.")
    return _back("/backoffice/kalender/uitzonderingen", school_year_of(day))


@router.post("/uitzonderingen/{school_id}/{day}/verwijderen")
async def remove_exception(
    request: Request, school_id: str, day: date, session: Session = backoffice
) -> Response:
    form = await _posted(request)
    return await _removed(
        request,
        session,
        f"/calendar/school-days/{school_id}/{day}",
        f"De uitzondering voor {school_id} op {formatting.long_date(day)} is verwijderd.",
        "/backoffice/kalender/uitzonderingen",
        chosen_year_of(form),
    )


# -- quotas ---------------------------------------------------------------------------------


async def quotas_page(
    request: Request,
    session: Session,
    form: Form | None = None,
    refused: str | None = None,
    detail: str | None = None,
) -> Response:
    known = await schools(request, session.token)
    names = dict(known)
    shown, around = await _year_listed(
        request,
        session.token,
        "/calendar/quotas",
        lambda year: {"school_year": year},
        lambda q: names.get(q["school_id"], q["school_id"]),
    )
    return render(
        request,
        "backoffice/quotas.html",
        title="Quota per school",
        form=form or Form({"schooljaar": str(around["year"])}),
        quotas=shown,
        schools=known,
        names=names,
        refused=refused,
        refused_detail=detail,
        **around,
    )


@router.get("/quota")
async def quotas(request: Request, session: Session = backoffice) -> Response:
    return await quotas_page(request, session)


@router.post("/quota")
async def set_quota(request: Request, session: Session = backoffice) -> Response:
    form = quota_form(await _posted(request))
    v = form.values
    answer = await _submitted(
        request,
        session,
        form,
        quotas_page,
        lambda: web(request).gateway.put(
            session.token,
            f"/calendar/quotas/{v['school']}/{v['schooljaar']}",
            {"max_sessions": int(v["maximum"])},
        ),
    )
    if isinstance(answer, Response):
        return answer
    session.flashes.append(
        f"{v['school']} boekt in {school_year_label(int(v['schooljaar']))} "
        f"hoogstens {v['maximum']} sessies."
    )
    return _back("/backoffice/kalender/quota", int(v["schooljaar"]))


@router.post("/quota/{school_id}/{year}/verwijderen")
async def remove_quota(
    request: Request, school_id: str, year: int, session: Session = backoffice
) -> Response:
    return await _removed(
        request,
        session,
        f"/calendar/quotas/{school_id}/{year}",
        f"{school_id} heeft in {school_year_label(year)} geen quotum meer.",
        "/backoffice/kalender/quota",
        year,
    )
