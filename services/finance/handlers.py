"""Kafka subscribers of finance: activities elsewhere become draft lines on declarations
(`commands`), in the inbox's transaction."""

from services.finance import commands
from shared.contracts.bookings import BookingCompletedV2
from shared.contracts.events import CostRecordedV1, SessionHostedV1
from shared.contracts.loans import ReservationDamageReportedV1
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handler
from shared.service import Runtime
from shared.store.db import Tx


def booking_completed(rt: Runtime) -> Handler[BookingCompletedV2]:
    async def handle(tx: Tx, event: BookingCompletedV2, envelope: Envelope) -> None:
        await commands.draft_lesson_hours(tx, rt, event, envelope)

    return handle


def session_hosted(rt: Runtime) -> Handler[SessionHostedV1]:
    async def handle(tx: Tx, event: SessionHostedV1, envelope: Envelope) -> None:
        await commands.draft_hosted_session(tx, rt, event, envelope)

    return handle


def event_cost_recorded(rt: Runtime) -> Handler[CostRecordedV1]:
    async def handle(tx: Tx, event: CostRecordedV1, envelope: Envelope) -> None:
        await commands.draft_event_cost(tx, rt, event, envelope)

    return handle


def damage_reported(rt: Runtime) -> Handler[ReservationDamageReportedV1]:
    async def handle(tx: Tx, event: ReservationDamageReportedV1, envelope: Envelope) -> None:
        await commands.draft_damage_repair(tx, rt, event, envelope)

    return handle
