"""One user action on a series is one message, and one backoffice change to a session one
message per booked school: the events the real bookings commands stage, applied one by one
to a migrated notify store (SQLite)."""

import asyncio
import json
from collections import Counter
from datetime import UTC, date, datetime, time

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy import select

from services.bookings import amendments, calendar, catalogue, commands
from services.bookings.store import Offering, Session
from services.bookings.store import messaging as bookings_messaging
from services.bookings.tests.scenario import (
    BACKOFFICE,
    group,
    migrated_runtime,
    new_offering,
    plan_session,
    school,
)
from services.notify.commands import Notify, NotifyMetrics, apply_event, reminder_source
from services.notify.settings import NotifySettings
from services.notify.store import Notification, Reminder, messaging
from shared.clock import SYSTEM_CLOCK
from shared.contracts import parse_event
from shared.contracts.loans import SessionEquipmentRejectedV1
from shared.domain import AMSTERDAM
from shared.messaging.envelope import Envelope
from shared.messaging.outbox import Outbox
from shared.store.db import Database, create_engine
from shared.store.migrations import upgrade


@pytest.fixture
async def bookings(tmp_path):
    rt = await migrated_runtime(f"sqlite+aiosqlite:///{tmp_path / 'bookings.db'}")
    await calendar.seed_closures(rt)
    yield rt
    await rt.db.dispose()


@pytest.fixture
async def notify(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'notify.db'}"
    await asyncio.to_thread(upgrade, "notify", url)
    db = Database(create_engine(url))
    yield Notify(
        db,
        Outbox(messaging.outbox, source="/tft/notify"),
        NotifySettings(service="notify"),
        NotifyMetrics(CollectorRegistry()),
        SYSTEM_CLOCK,
    )
    await db.dispose()


async def series_of(rt, kind: str, lessons: int, equipment: tuple[str, ...] = ()) -> object:
    offering_id = await new_offering(rt, equipment)
    async with rt.db.transaction() as tx:
        offering = await tx.get(Offering, offering_id)
        offering.kind, offering.sessions_per_booking = kind, lessons
    first = datetime.combine(date(2027, 2, 2), time(10), AMSTERDAM).astimezone(UTC)
    planned = await catalogue.plan_series(
        rt, BACKOFFICE, offering_id, first, 120, 7, lessons, ["Lab 1"], "Instructeur 1", 30
    )
    return planned.series_id


async def deliver_staged(rt, notify: Notify) -> None:
    """Every event bookings staged, each in a transaction of its own as the inbox would."""
    outbox = bookings_messaging.outbox
    async with rt.db.sessions() as tx:
        rows = (await tx.execute(select(outbox).order_by(outbox.c.seq))).all()
    for row in rows:
        event = parse_event(row.event_type, json.loads(row.payload))
        envelope = Envelope.new(
            type=row.event_type, source="/tft/bookings", subject=event.subject()
        )
        async with notify.db.transaction() as tx:
            await apply_event(notify, tx, event, envelope)


async def told(notify: Notify) -> Counter:
    async with notify.db.sessions() as tx:
        rows = await tx.execute(select(Notification.organisation_id, Notification.message_type))
        return Counter(tuple(r) for r in rows)


async def test_booking_a_masterclass_is_one_confirmation_listing_its_four_lessons(bookings, notify):
    series_id = await series_of(bookings, "masterclass", 4)
    await commands.book_series(bookings, school("corlaer"), series_id, group(10))

    await deliver_staged(bookings, notify)

    assert await told(notify) == Counter({("corlaer", "booking_confirmed"): 1})
    async with notify.db.sessions() as tx:
        body = await tx.scalar(select(Notification.body))
    assert body.count("\n- ") == 4


async def test_booking_and_cancelling_an_elective_is_one_message_each(bookings, notify):
    series_id = await series_of(bookings, "elective", 20)
    booked = await commands.book_series(bookings, school("corlaer"), series_id, group(10))
    await commands.cancel(bookings, school("corlaer"), booked[3].booking.id)

    await deliver_staged(bookings, notify)

    assert await told(notify) == Counter(
        {
            ("corlaer", "booking_confirmed"): 1,
            ("corlaer", "booking_cancelled"): 1,
            ("backoffice", "booking_cancelled_backoffice"): 1,
        }
    )


async def test_a_series_loans_cannot_equip_is_one_rejection(bookings, notify):
    series_id = await series_of(bookings, "masterclass", 4, equipment=("hydrogen-car",))
    booked = await commands.book_series(bookings, school("corlaer"), series_id, group(10))
    async with bookings.db.sessions() as tx:
        second = await tx.get(Session, booked[1].booking.session_id)
    async with bookings.db.transaction() as tx:
        await commands.apply_equipment_rejected(
            tx,
            bookings.outbox,
            SessionEquipmentRejectedV1(
                session_id=second.id,
                request_id=second.equipment_request_id,
                category="hydrogen-car",
                reason="Er is geen waterstofauto vrij.",
            ),
            bookings.clock.now(),
        )

    await deliver_staged(bookings, notify)

    assert await told(notify) == Counter({("corlaer", "booking_rejected"): 1})


async def bodies(notify: Notify, message_type: str) -> dict[str, tuple[str, str]]:
    async with notify.db.sessions() as tx:
        rows = await tx.execute(
            select(Notification.organisation_id, Notification.subject, Notification.body).where(
                Notification.message_type == message_type
            )
        )
        return {organisation: (subject, body) for organisation, subject, body in rows}


async def test_a_cancelled_session_is_one_message_per_school_naming_its_groups(bookings, notify):
    session_id = await plan_session(bookings, capacity=30)
    for name in ("3A", "3B"):
        await commands.book(bookings, school("corlaer"), session_id, group(10, name))
    await commands.book(bookings, school("nxt"), session_id, group(10, "2C"))

    await amendments.cancel_session(bookings, BACKOFFICE, session_id, "De docent is ziek")
    await deliver_staged(bookings, notify)

    assert await told(notify) == Counter(
        {
            ("corlaer", "booking_confirmed"): 2,
            ("nxt", "booking_confirmed"): 1,
            ("corlaer", "booking_session_cancelled"): 1,
            ("nxt", "booking_session_cancelled"): 1,
        }
    )
    messages = await bodies(notify, "booking_session_cancelled")
    subject, body = messages["corlaer"]
    assert subject.startswith("Geannuleerd door de hotspot: Inspiratieles Robotica op ")
    assert "Reden: De docent is ziek." in body
    assert "- groep 3A (10 leerlingen)\n- groep 3B (10 leerlingen)" in body
    assert "2C" not in body and "- groep 2C" in messages["nxt"][1]


async def test_a_cancelled_series_is_one_message_listing_its_lessons(bookings, notify):
    series_id = await series_of(bookings, "masterclass", 4)
    booked = await commands.book_series(bookings, school("corlaer"), series_id, group(10))

    await amendments.cancel_session(
        bookings, BACKOFFICE, booked[2].booking.session_id, "De masterklas gaat niet door"
    )
    await deliver_staged(bookings, notify)

    assert await told(notify) == Counter(
        {("corlaer", "booking_confirmed"): 1, ("corlaer", "booking_session_cancelled"): 1}
    )
    subject, body = (await bodies(notify, "booking_session_cancelled"))["corlaer"]
    assert "4 lessen vanaf dinsdag 2 februari 2027" in subject
    assert "met alle lessen van de reeks" in body and body.count("\n- ") == 5


async def test_a_moved_session_is_one_message_per_school_and_moves_its_reminders(bookings, notify):
    session_id = await plan_session(bookings, capacity=30)
    for name in ("3A", "3B"):
        await commands.book(bookings, school("corlaer"), session_id, group(10, name))
    starts = datetime.combine(date(2027, 3, 10), time(13), AMSTERDAM).astimezone(UTC)

    await amendments.move_session(
        bookings, BACKOFFICE, session_id, starts, starts.replace(hour=starts.hour + 2), room="Lab 7"
    )
    await deliver_staged(bookings, notify)

    assert (await told(notify))[("corlaer", "booking_session_moved")] == 1
    subject, body = (await bodies(notify, "booking_session_moved"))["corlaer"]
    assert (
        subject == "Verplaatst: Inspiratieles Robotica is nu op woensdag 10 maart 2027, 13:00-15:00"
    )
    assert "lokaal Lab 7" in body and body.count("- groep ") == 2
    async with notify.db.sessions() as tx:
        reminders = list(await tx.scalars(select(Reminder)))
    assert len(reminders) == 2  # one per confirmed booking, now for the new time
    assert {r.due_at for r in reminders} == {datetime(2027, 3, 8, 8, tzinfo=UTC)}
    assert {reminder_source(r).starts_at for r in reminders} == {starts}
