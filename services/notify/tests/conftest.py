"""Notify on PostgreSQL with a real SMTP server (aiosmtpd) and an injected clock, knowing a
few people of the directory: what the delivery and announcement tests share."""

import asyncio
from datetime import UTC, datetime

import pytest
from prometheus_client import CollectorRegistry

from services.notify import directory
from services.notify.commands import Notify, NotifyMetrics
from services.notify.mailbox import Mailbox, serve
from services.notify.settings import NotifySettings
from services.notify.store import messaging
from shared.contracts.directory import PersonActivatedV1
from shared.messaging.outbox import Outbox
from shared.store.db import Database, create_engine
from shared.store.migrations import upgrade
from shared.tests.clock import ManualClock

DATABASE = "notify_delivery_test"
NOON = datetime(2026, 12, 1, 11, tzinfo=UTC)  # Tuesday 12:00 in Amsterdam
PEOPLE = {
    "corlaer": ("corlaer", "school"),
    "docent-corlaer": ("corlaer", "teacher"),
    "backoffice": ("backoffice", "backoffice"),
}


def address(person_id: str) -> str:
    return f"{person_id}@demo.tisfortech.example"


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = serve(box)
    box.port = controller.port  # type: ignore[attr-defined]
    yield box
    controller.stop()


@pytest.fixture
async def notify(fresh_database, mailbox):
    url = fresh_database(DATABASE)
    await asyncio.to_thread(upgrade, "notify", url)
    db = Database(create_engine(url))
    settings = NotifySettings(
        service="notify",
        notify_smtp_port=mailbox.port,
        notify_max_attempts=3,
        notify_backoff_seconds=10,
    )
    notify = Notify(
        db,
        Outbox(messaging.outbox, source="/tft/notify"),
        settings,
        NotifyMetrics(CollectorRegistry()),
        ManualClock(NOON),
    )
    for person_id in PEOPLE:
        await directory_says(notify, PersonActivatedV1, person_id)
    yield notify
    await db.dispose()


async def directory_says(notify: Notify, contract, person_id: str, tx=None) -> None:
    """The directory's event about a person, applied in `tx` or a transaction of its own."""
    organisation, role = PEOPLE[person_id]
    event = contract(
        person_id=person_id,
        organisation_id=organisation,
        role=role,
        name=f"Demo {person_id}",
        email=address(person_id),
        username=person_id,
    )
    if tx is not None:
        await directory.keep_person(tx, event, notify.clock.now())
        return
    async with notify.db.transaction() as own:
        await directory.keep_person(own, event, notify.clock.now())
