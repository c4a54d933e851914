"""Internal HTTP API of finance; the gateway exposes it as /api/v1/... ."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from services.finance import queries
from services.finance.domain import QUARTER_PATTERN
from services.finance.store import Declaration, DeclarationLine
from shared.http import Caller, current_caller
from shared.service import Runtime


class DeclarationLineOut(BaseModel):
    id: UUID
    declaration_id: UUID
    school_id: str
    quarter: str
    kind: str
    core_task: str
    description: str
    minutes: int
    hourly_rate_cents: int
    amount_cents: int
    source_event_id: str
    booking_id: UUID | None
    status: str
    created_at: datetime

    @classmethod
    def of(cls, line: DeclarationLine, declaration: Declaration) -> "DeclarationLineOut":
        return cls(
            id=line.id, declaration_id=declaration.id, school_id=declaration.school_id,
            quarter=declaration.quarter, kind=line.kind, core_task=line.core_task,
            description=line.description, minutes=line.minutes,
            hourly_rate_cents=line.hourly_rate_cents, amount_cents=line.amount_cents,
            source_event_id=line.source_event_id, booking_id=line.booking_id,
            status=declaration.status, created_at=line.created_at,
        )


class BudgetLineOut(BaseModel):
    core_task: str
    year: int
    amount_cents: int



def routes(rt: Runtime) -> APIRouter:
    router = APIRouter()

    @router.get("/declaration-lines", response_model=list[DeclarationLineOut])
    async def declaration_lines(
        school_id: str = Query(min_length=1, max_length=80),
        quarter: str = Query(pattern=QUARTER_PATTERN, examples=["2026-Q4"]),
        limit: int = Query(500, ge=1, le=1000),
        offset: int = Query(0, ge=0),
        who: Caller = Depends(current_caller),
    ):
        rows = await queries.declaration_lines(rt, who, school_id, quarter, limit, offset)
        return [DeclarationLineOut.of(line, declaration) for line, declaration in rows]

    @router.get("/budget", response_model=list[BudgetLineOut])
    async def budget(year: int = Query(ge=2000, le=2100), who: Caller = Depends(current_caller)):
        return [BudgetLineOut(core_task=b.core_task, year=b.year, amount_cents=b.amount_cents)
                for b in await queries.budget(rt, who, year)]

    return router
