"""Internal HTTP API of notify: the in-app inbox of the caller's organisation."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from services.notify.store import Notification
from shared.http import Caller, current_caller
from shared.service import Runtime


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    organisation_id: str
    message_type: str
    subject: str
    body: str
    about: str
    source_event_id: str
    created_at: datetime
    read_at: datetime | None



def routes(rt: Runtime) -> APIRouter:
    router = APIRouter()

    @router.get("/notifications", response_model=list[NotificationOut])
    async def notifications(limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0),
                            who: Caller = Depends(current_caller)):
        async with rt.db.sessions() as tx:
            rows = await tx.scalars(
                select(Notification)
                .where(Notification.organisation_id == who.organisation)
                .order_by(Notification.created_at.desc(), Notification.id)
                .limit(limit).offset(offset)
            )
            return list(rows)

    return router
