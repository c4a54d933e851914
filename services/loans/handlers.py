"""Kafka subscribers of loans: bookings that need equipment, and their cancellations."""

from sqlalchemy.ext.asyncio import AsyncSession

from services.loans import commands
from shared.contracts.base import IntegrationEvent
from shared.contracts.bookings import BookingCancelledV1, BookingConfirmedV1
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handler
from shared.service import Runtime


def booking_handlers(rt: Runtime) -> dict[type[IntegrationEvent], Handler]:
    async def confirmed(tx: AsyncSession, event: BookingConfirmedV1, _: Envelope) -> None:
        await commands.reserve_for_booking(tx, rt.outbox, event)

    async def cancelled(tx: AsyncSession, event: BookingCancelledV1, _: Envelope) -> None:
        await commands.release_for_booking(tx, rt.outbox, event)

    return {BookingConfirmedV1: confirmed, BookingCancelledV1: cancelled}
