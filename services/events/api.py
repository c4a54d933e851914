"""Internal HTTP API of events; the gateway exposes it as /api/v1/... ."""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict

from services.events import queries
from shared.http import Caller, Problem, current_caller
from shared.service import Runtime


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    audience: list[str]
    capacity: int
    location: str


class EquipmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    item_id: str
    name: str
    category: str
    quantity: int


def routes(rt: Runtime) -> APIRouter:
    router = APIRouter()

    @router.get("/events", response_model=list[EventOut])
    async def events(limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0),
                     _: Caller = Depends(current_caller)):
        return await queries.list_events(rt, limit, offset)

    @router.get("/events/{event_id}", response_model=EventOut)
    async def event(event_id: str, _: Caller = Depends(current_caller)):
        found = await queries.get_event(rt, event_id)
        if found is None:
            raise Problem(404, "Not found", "no such event")
        return found

    @router.get("/equipment", response_model=list[EquipmentOut])
    async def equipment(_: Caller = Depends(current_caller)):
        return await queries.list_equipment(rt)

    return router
