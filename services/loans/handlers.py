"""Kafka subscribers of loans: the equipment sessions need, and what bookings lets go of."""

from services.loans import commands
from shared.contracts.bookings import (
    BookingCancelledV1,
    SessionEquipmentReleasedV1,
    SessionEquipmentRequestedV1,
)
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handlers, handle
from shared.service import Runtime
from shared.store.db import Tx


def booking_handlers(rt: Runtime) -> Handlers:
    async def requested(tx: Tx, event: SessionEquipmentRequestedV1, _: Envelope) -> None:
        await commands.reserve_for_session(tx, rt.outbox, event, rt.clock.now())

    async def released(tx: Tx, event: SessionEquipmentReleasedV1, _: Envelope) -> None:
        # A session's events share its key: its request is applied before its release, so
        # whatever the request reserved, this frees (the compensation of the saga).
        await commands.release_for_session(tx, rt.outbox, event)

    async def cancelled(tx: Tx, event: BookingCancelledV1, _: Envelope) -> None:
        # Reservations made per booking, before equipment belonged to the session.
        await commands.release_for_booking(tx, rt.outbox, event)

    return (
        handle(SessionEquipmentRequestedV1, requested)
        | handle(SessionEquipmentReleasedV1, released)
        | handle(BookingCancelledV1, cancelled)
    )
