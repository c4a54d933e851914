"""Kafka subscribers of loans: the equipment bookings ask for, and their cancellations."""

from sqlalchemy.ext.asyncio import AsyncSession

from services.loans import commands
from shared.contracts.base import IntegrationEvent
from shared.contracts.bookings import BookingCancelledV1, BookingEquipmentRequestedV1
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handler
from shared.service import Runtime


def booking_handlers(rt: Runtime) -> dict[type[IntegrationEvent], Handler]:
    async def requested(tx: AsyncSession, event: BookingEquipmentRequestedV1,
                        _: Envelope) -> None:
        await commands.reserve_for_booking(tx, rt.outbox, event)

    async def cancelled(tx: AsyncSession, event: BookingCancelledV1, _: Envelope) -> None:
        # A booking's events share its key, so its request is applied before its cancellation:
        # whatever the request reserved, this releases (the compensation of the saga).
        await commands.release_for_booking(tx, rt.outbox, event)

    return {BookingEquipmentRequestedV1: requested, BookingCancelledV1: cancelled}
