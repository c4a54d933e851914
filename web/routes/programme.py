"""Programme management: reach and the plan's KPIs per year, school, level and profile, as
charts and tables, and the same figures to download (CSV, XLSX)."""

import asyncio
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from web.formatting import today
from web.pages import passed_on, render, role, web
from web.programme import monitoring, years
from web.sessions import Session

router = APIRouter(prefix="/programma")
programme = role("programme", "admin", "backoffice")


def chosen_year(request: Request) -> int:
    asked = request.query_params.get("jaar", "")
    if not asked:
        return today().year
    if not asked.isdigit() or not 2000 <= int(asked) <= 2100:
        raise HTTPException(404)
    return int(asked)


@router.get("")
async def overview(request: Request, session: Session = programme) -> Response:
    year = chosen_year(request)
    # The names are the catalogue's, read once for a few minutes: a school new since then
    # shows by its code until the next read.
    kpis, organisations = await asyncio.gather(
        web(request).gateway.get(session.token, "/programme/kpis", {"year": year}),
        web(request).catalogue.organisations(session.token),
    )
    names = {key: o["name"] for key, o in organisations.items()}
    return render(
        request,
        "programme/overview.html",
        title=f"Programmamonitoring {year}",
        year=year,
        years=years(today().year),
        view=monitoring(kpis, names),
    )


@router.get("/kpis-{year}.{format}")
async def download(
    request: Request, year: int, format: Literal["csv", "xlsx"], session: Session = programme
) -> Response:
    """The KPIs as the gateway writes them, passed on as a download."""
    if not 2000 <= year <= 2100:
        raise HTTPException(404)
    answer = await web(request).gateway.download(
        session.token, "/programme/kpis", {"year": year, "format": format}
    )
    return passed_on(answer, f"kpis-{year}.{format}")
