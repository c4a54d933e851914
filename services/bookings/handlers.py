"""Kafka subscribers of bookings: loans' answers to the equipment bookings asked for."""

from sqlalchemy.ext.asyncio import AsyncSession

from services.bookings import commands
from shared.contracts.base import IntegrationEvent
from shared.contracts.loans import EquipmentRejectedV1, EquipmentReservedV1
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import Handler
from shared.service import Runtime


def equipment_answers(rt: Runtime) -> dict[type[IntegrationEvent], Handler]:
    async def reserved(tx: AsyncSession, event: EquipmentReservedV1, _: Envelope) -> None:
        await commands.apply_equipment_reserved(tx, rt.outbox, event)

    async def rejected(tx: AsyncSession, event: EquipmentRejectedV1, _: Envelope) -> None:
        await commands.apply_equipment_rejected(tx, rt.outbox, event)

    return {EquipmentReservedV1: reserved, EquipmentRejectedV1: rejected}
