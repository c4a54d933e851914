"""Programme monitoring: the plan's KPIs against what bookings and events measured."""

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query

from services.gateway import kpis
from services.gateway.auth import ADMIN, BACKOFFICE, PROGRAMME, Principal
from services.gateway.routes.common import Gate, router
from shared.spreadsheet import CSV, XLSX

# A small known year, for the document's examples.
EXAMPLE_ROWS = [
    kpis.Reached(
        source="bookings",
        school_id="corlaer",
        level="vmbo-kb",
        profile="PIE",
        activity="masterclass",
        core_task="A",
        groups=1,
        sessions=4,
        students=22,
    ),
    kpis.Reached(
        source="bookings",
        school_id="po-demo-1",
        level="po",
        profile=None,
        activity="po_series",
        core_task="B",
        groups=1,
        sessions=4,
        students=27,
    ),
    kpis.Reached(
        source="events",
        school_id="element",
        level="vmbo-bb",
        profile="BWI",
        activity=kpis.EVENT,
        core_task="D",
        groups=2,
        sessions=2,
        students=41,
    ),
]
EXAMPLE = kpis.measured(2026, EXAMPLE_ROWS, []).model_dump(mode="json")
ANSWERS = {
    200: {
        "content": {
            "application/json": {"example": EXAMPLE},
            CSV: {
                "example": (
                    "Doelen,KPI's T is for Tech 2026 (kalenderjaar 2026-01-01 t/m 2026-12-31)"
                    "\r\n...\r\nPer school,corlaer,1,4,22,100\r\n"
                )
            },
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}


def routes(gate: Gate) -> APIRouter:
    api = router()

    @api.get("/programme/kpis", tags=["programme"], response_model=kpis.Kpis, responses=ANSWERS)  # type: ignore[arg-type]
    async def programme_kpis(
        year: Annotated[int, Query(ge=2000, le=2100, description="calendar year")],
        format: Literal["json", "csv", "xlsx"] | None = None,
        accept: Annotated[str, Header(include_in_schema=False)] = "",
        who: Principal = gate.guard(PROGRAMME, ADMIN, BACKOFFICE),
    ):
        """The plan's targets (613 students in technical profiles, the transfer rates, the po
        schools, the activities per core task) beside what the platform measured in calendar
        year `year`: students reached per school, level, profile, activity and core task,
        from completed bookings and the attendance checked in at events. JSON, or CSV or
        XLSX by `format` or the Accept header."""
        figures = await kpis.kpis(gate.forward, who, year)
        chosen = kpis.chosen_format(format, accept)
        return figures if chosen == "json" else kpis.download(figures, chosen)

    return api
