"""Notify's scheduled reminder run on two replicas of one store, on both stores: run at
once, they send each reminder once between them (each takes the rows the other does not
hold: SKIP LOCKED on PostgreSQL, the write lock on SQLite)."""

import asyncio
from datetime import UTC, datetime

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy import select

from services.notify.commands import Notify, NotifyMetrics
from services.notify.reminders import send_due_reminders
from services.notify.settings import NotifySettings
from services.notify.store import ORGANISATION_INBOX, Notification, messaging
from services.notify.tests.conftest import NOON, PEOPLE, directory_says
from services.notify.tests.test_delivery import apply
from shared.contracts.directory import PersonActivatedV1
from shared.messaging.outbox import Outbox
from shared.store.db import Database, create_engine
from shared.store.migrations import upgrade
from shared.tests.clock import ManualClock
from shared.tests.test_envelope_and_contracts import confirmed

pytestmark = pytest.mark.integration

LESSONS = 12


@pytest.fixture
async def replicas(each_store):
    """Two notify replicas (each its own engine) on one store, with one clock."""
    url = each_store("tft_notify_replicas")
    await asyncio.to_thread(upgrade, "notify", url)
    settings = NotifySettings(service="notify", notify_smtp_port=9)  # nothing is mailed
    clock = ManualClock(NOON)
    pair = [
        Notify(
            Database(create_engine(url)),
            Outbox(messaging.outbox, source="/tft/notify"),
            settings,
            NotifyMetrics(CollectorRegistry()),
            clock,
        )
        for _ in range(2)
    ]
    for person_id in PEOPLE:
        await directory_says(pair[0], PersonActivatedV1, person_id)
    for _ in range(LESSONS):  # lessons on Thursday 10 December, each with its reminder
        await apply(pair[0], confirmed())
    yield pair
    await asyncio.gather(*(n.db.dispose() for n in pair))


async def to_people(notify: Notify, message_type: str) -> list[Notification]:
    """The messages of the type to people (each also has its copy in the school's inbox)."""
    async with notify.db.sessions() as tx:
        return list(
            await tx.scalars(
                select(Notification).where(
                    Notification.message_type == message_type,
                    Notification.person_id != ORGANISATION_INBOX,
                )
            )
        )


async def test_two_reminder_runs_send_each_reminder_once(replicas):
    replicas[0].clock.set(datetime(2026, 12, 8, 8, tzinfo=UTC))  # Tuesday 09:00: due
    sent = await asyncio.gather(*(send_due_reminders(n) for n in replicas))
    reminders = await to_people(replicas[0], "lesson_reminder")
    assert sum(sent) == len(reminders) == LESSONS
    assert len({m.about for m in reminders}) == LESSONS
