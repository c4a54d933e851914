"""Kafka subscribers of bookings: loans' answers to the equipment sessions asked for."""

from services.bookings import commands
from shared.contracts.loans import SessionEquipmentRejectedV1, SessionEquipmentReservedV1
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handlers, handle
from shared.service import Runtime
from shared.store.db import Tx


def equipment_answers(rt: Runtime) -> Handlers:
    async def reserved(tx: Tx, event: SessionEquipmentReservedV1, _: Envelope) -> None:
        await commands.apply_equipment_reserved(tx, rt.outbox, event, rt.clock.now())

    async def rejected(tx: Tx, event: SessionEquipmentRejectedV1, _: Envelope) -> None:
        await commands.apply_equipment_rejected(tx, rt.outbox, event, rt.clock.now())

    return handle(SessionEquipmentReservedV1, reserved) | handle(
        SessionEquipmentRejectedV1, rejected
    )
