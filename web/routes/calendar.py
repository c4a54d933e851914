"""The backoffice's calendar: booking rules and closed days, school day exceptions, and
quotas per school and school year. Each page lists per school year (in the URL) and has its
form; a refusal of the API lands at its field, with everything typed still there."""

from datetime import date, timedelta

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
    return {"from": date(year, 8, 1).isoformat(),
            "to": (date(year + 1, 8, 1) - timedelta(days=1)).isoformat()}


def years_around(year: int) -> list[tuple[str, str]]:
    this_year = school_year_of(formatting.today())
    return [(str(y), school_year_label(y)) for y in sorted({this_year - 1, this_year,
                                                            this_year + 1, this_year + 2, year})]


def failed(form: Form, problem: ApiProblem) -> str | None:
    """The API's refusal at its field; otherwise the sentence for the top of the page."""
    return None if apply_problem(form, problem) else refusal(problem)


async def _posted(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items()}


def _back(path: str, year: int) -> Response:
    return see_other(f"{path}?schooljaar={year}")


# -- rules and closed days ------------------------------------------------------------------


async def closed_page(request: Request, session: Session, rules: Form | None = None,
                      closing: Form | None = None, refused: str | None = None,
                      detail: str | None = None, year: int | None = None) -> Response:
    gateway, token = web(request).gateway, session.token
    year = year or chosen_year(request)
    rules = rules or Form(rules_values(await gateway.get(token, "/calendar/rules")))
    found = await gateway.get(token, "/calendar/closed-periods", year_range(year))
    shown, more = paged(sorted(found, key=lambda c: c["starts_on"]), page_number(request),
                        PAGE_SIZE)
    return render(request, "backoffice/calendar.html", title="Kalender", rules=rules,
                  closing=closing or Form({"soort": "closure"}), closed=shown, more=more,
                  page=page_number(request), year=year, years=years_around(year),
                  kinds=list(CLOSURE_KINDS.items()), refused=refused, refused_detail=detail)


@router.get("")
async def calendar(request: Request, session: Session = backoffice) -> Response:
    return await closed_page(request, session)


@router.post("/regels")
async def set_rules(request: Request, session: Session = backoffice) -> Response:
    form = rules_form(await _posted(request))
    if form.valid:
        try:
            await web(request).gateway.put(session.token, "/calendar/rules", rules_body(form))
        except ApiProblem as problem:
            return await closed_page(request, session, rules=form,
                                     refused=failed(form, problem), detail=problem.detail)
        session.flashes.append("De regels voor boeken en annuleren zijn opgeslagen.")
        return see_other("/backoffice/kalender")
    return await closed_page(request, session, rules=form)


@router.post("/gesloten")
async def close(request: Request, session: Session = backoffice) -> Response:
    form = closed_form(await _posted(request))
    if form.valid:
        try:
            made = await web(request).gateway.post(session.token, "/calendar/closed-periods",
                                                   closed_body(form))
        except ApiProblem as problem:
            return await closed_page(request, session, closing=form,
                                     refused=failed(form, problem), detail=problem.detail)
        session.flashes.append(f"{made['name']} staat in de kalender: de hotspot is dan "
                               "gesloten.")
        return _back("/backoffice/kalender", school_year_of(date.fromisoformat(
            made["starts_on"])))
    return await closed_page(request, session, closing=form)


@router.post("/gesloten/{closure_id}/verwijderen")
async def reopen(request: Request, closure_id: str, session: Session = backoffice) -> Response:
    form = await _posted(request)
    try:
        await web(request).gateway.delete(session.token, f"/calendar/closed-periods/{closure_id}")
    except ApiProblem as problem:
        session.flashes.append(f"Verwijderen lukte niet. {refusal(problem)}")
    else:
        session.flashes.append(f"{form.get('naam', 'De sluiting')} is uit de kalender; "
                               "die dagen zijn weer open.")
    return _back("/backoffice/kalender", chosen_year_of(form))


def chosen_year_of(form: dict[str, str]) -> int:
    value = form.get("schooljaar", "")
    return int(value) if value.isdigit() else school_year_of(formatting.today())


# -- school day exceptions ------------------------------------------------------------------


async def exceptions_page(request: Request, session: Session, form: Form | None = None,
                          refused: str | None = None, detail: str | None = None) -> Response:
    gateway, token = web(request).gateway, session.token
    year, page = chosen_year(request), page_number(request)
    found = await gateway.get(token, "/calendar/school-days", year_range(year))
    shown, more = paged(sorted(found, key=lambda d: (d["day"], d["school_id"])), page,
                        PAGE_SIZE)
    return render(request, "backoffice/school_days.html", title="Uitzonderingen per school",
                  form=form or Form({}), days=shown, more=more, page=page, year=year,
                  years=years_around(year), schools=await schools(request, token),
                  refused=refused, refused_detail=detail)


@router.get("/uitzonderingen")
async def exceptions(request: Request, session: Session = backoffice) -> Response:
    return await exceptions_page(request, session)


@router.post("/uitzonderingen")
async def add_exception(request: Request, session: Session = backoffice) -> Response:
    form = exception_form(await _posted(request))
    if not form.valid:
        return await exceptions_page(request, session, form)
    v = form.values
    try:
        await web(request).gateway.put(session.token,
                                       f"/calendar/school-days/{v['school']}/{v['dag']}",
                                       exception_body(form))
    except ApiProblem as problem:
        return await exceptions_page(request, session, form, failed(form, problem),
                                     problem.detail)
    state, day = ("open" if v["open"] == "open" else "dicht"), date.fromisoformat(v["dag"])
    session.flashes.append(f"{v['school']} is op {formatting.long_date(day)} {state}.")
    return _back("/backoffice/kalender/uitzonderingen",
                 school_year_of(date.fromisoformat(v["dag"])))


@router.post("/uitzonderingen/{school_id}/{day}/verwijderen")
async def remove_exception(request: Request, school_id: str, day: date,
                           session: Session = backoffice) -> Response:
    form = await _posted(request)
    try:
        await web(request).gateway.delete(session.token,
                                          f"/calendar/school-days/{school_id}/{day}")
    except ApiProblem as problem:
        session.flashes.append(f"Verwijderen lukte niet. {refusal(problem)}")
    else:
        session.flashes.append(f"De uitzondering voor {school_id} op "
                               f"{formatting.long_date(day)} is verwijderd.")
    return _back("/backoffice/kalender/uitzonderingen", chosen_year_of(form))


# -- quotas ---------------------------------------------------------------------------------


async def quotas_page(request: Request, session: Session, form: Form | None = None,
                      refused: str | None = None, detail: str | None = None) -> Response:
    gateway, token = web(request).gateway, session.token
    year, page = chosen_year(request), page_number(request)
    found = await gateway.get(token, "/calendar/quotas", {"school_year": year})
    known = await schools(request, token)
    names = dict(known)
    shown, more = paged(sorted(found, key=lambda q: names.get(q["school_id"], q["school_id"])),
                        page, PAGE_SIZE)
    return render(request, "backoffice/quotas.html", title="Quota per school",
                  form=form or Form({"schooljaar": str(year)}), quotas=shown, more=more,
                  page=page, year=year, years=years_around(year), schools=known, names=names,
                  refused=refused, refused_detail=detail)


@router.get("/quota")
async def quotas(request: Request, session: Session = backoffice) -> Response:
    return await quotas_page(request, session)


@router.post("/quota")
async def set_quota(request: Request, session: Session = backoffice) -> Response:
    form = quota_form(await _posted(request))
    if not form.valid:
        return await quotas_page(request, session, form)
    v = form.values
    try:
        await web(request).gateway.put(
            session.token, f"/calendar/quotas/{v['school']}/{v['schooljaar']}",
            {"max_sessions": int(v["maximum"])})
    except ApiProblem as problem:
        return await quotas_page(request, session, form, failed(form, problem), problem.detail)
    session.flashes.append(f"{v['school']} boekt in {school_year_label(int(v['schooljaar']))} "
                           f"hoogstens {v['maximum']} sessies.")
    return _back("/backoffice/kalender/quota", int(v["schooljaar"]))


@router.post("/quota/{school_id}/{year}/verwijderen")
async def remove_quota(request: Request, school_id: str, year: int,
                       session: Session = backoffice) -> Response:
    try:
        await web(request).gateway.delete(session.token, f"/calendar/quotas/{school_id}/{year}")
    except ApiProblem as problem:
        session.flashes.append(f"Verwijderen lukte niet. {refusal(problem)}")
    else:
        session.flashes.append(f"{school_id} heeft in {school_year_label(year)} geen quotum "
                               "meer.")
    return _back("/backoffice/kalender/quota", year)
