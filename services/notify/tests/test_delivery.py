"""Delivery on PostgreSQL with a real SMTP server (aiosmtpd): to the people a message
concerns, retries, fallback, failure, quiet hours, digest, and reminders that survive an
interrupted run. The clock is injected."""

import asyncio
import json
import time as time_module
from contextlib import suppress
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from aiohttp import web
from sqlalchemy import select, text

from services.notify import commands
from services.notify.channels import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature, verify
from services.notify.commands import Notify
from services.notify.delivery import Dispatcher, channels_from
from services.notify.mailbox import Mailbox, free_port, serve
from services.notify.preferences import Preferences, QuietHours
from services.notify.reminders import send_due_reminders
from services.notify.store import ORGANISATION_INBOX, Notification, Reminder, messaging
from services.notify.tests.conftest import NOON, PEOPLE, address, directory_says
from shared.contracts.bookings import BookingCancelledV1
from shared.contracts.directory import PersonDeactivatedV1
from shared.contracts.events import EventScheduledV1
from shared.messaging.envelope import Envelope
from shared.tests.statements import statements
from shared.tests.test_envelope_and_contracts import confirmed

pytestmark = pytest.mark.integration

SECRET = "test-push-secret"
CORLAER, TEACHER, BACKOFFICE = (address(p) for p in PEOPLE)


def dispatcher(notify: Notify) -> Dispatcher:
    return Dispatcher(notify, channels_from(notify.settings))


async def apply(notify: Notify, event) -> None:
    async with notify.db.transaction() as tx:
        await apply_in(notify, tx, event)


async def apply_in(notify: Notify, tx, event) -> None:
    """Apply `event` as the consumer does, in the transaction of its batch."""
    envelope = Envelope.new(type=event.event_type, source="/tests", subject=event.subject())
    await commands.apply_event(notify, tx, event, envelope)


async def messages(notify: Notify, inbox: bool = False) -> list[Notification]:
    """The messages to people, or (`inbox`) those to organisations' inboxes."""
    to_inbox = Notification.person_id == ORGANISATION_INBOX
    async with notify.db.sessions() as tx:
        return list(
            await tx.scalars(
                select(Notification)
                .where(to_inbox if inbox else ~to_inbox)
                .order_by(Notification.created_at)
            )
        )


async def prefer(notify: Notify, recipient: str, chosen: Preferences) -> None:
    async with notify.db.transaction() as tx:
        await commands.save_preferences(tx, recipient, chosen, notify.clock.now())


def count(notify: Notify, counter: str, channel: str) -> float:
    return getattr(notify.metrics, counter).labels(channel)._value.get()


async def test_a_confirmation_goes_out_as_one_dutch_email(notify, mailbox):
    await apply(notify, confirmed())
    assert await dispatcher(notify).dispatch_due() == 1
    [mail] = mailbox.to(CORLAER)
    assert mail["Subject"] == "Bevestiging: Robotica op donderdag 10 december 2026, 10:00-12:00"
    assert "Waar: Hotspot" in mail.get_content() and "Meenemen:" in mail.get_content()
    [message] = await messages(notify)
    assert mail["Message-ID"] == f"<{message.id}@notify.tisfortech.example>"
    assert (message.state, message.channel) == ("delivered", "email")
    assert await dispatcher(notify).dispatch_due() == 0
    assert count(notify, "sent", "email") == 1


async def test_a_booking_reaches_the_teacher_who_made_it_and_the_schools_inbox(notify, mailbox):
    await apply(notify, confirmed().model_copy(update={"booked_by": "docent-corlaer"}))
    assert await dispatcher(notify).dispatch_due() == 1
    [mail] = mailbox.mails
    assert mail["To"] == TEACHER and mail["Subject"].startswith("Bevestiging: Robotica")
    [personal] = await messages(notify)
    [in_inbox] = await messages(notify, inbox=True)
    assert (personal.person_id, personal.state) == ("docent-corlaer", "delivered")
    assert (in_inbox.organisation_id, in_inbox.state, in_inbox.channel) == (
        "corlaer",
        "delivered",
        "in_app",
    )


async def test_preferences_are_each_persons_own(notify, mailbox):
    await prefer(notify, "docent-corlaer", Preferences(channels={"bookings": "in_app"}))
    await apply(notify, confirmed().model_copy(update={"booked_by": "docent-corlaer"}))
    await apply(notify, confirmed().model_copy(update={"booked_by": "corlaer"}))
    assert await dispatcher(notify).dispatch_due() == 2
    assert [m["To"] for m in mailbox.mails] == [CORLAER]  # the teacher reads the inbox
    assert {(m.person_id, m.channel) for m in await messages(notify)} == {
        ("docent-corlaer", "in_app"),
        ("corlaer", "email"),
    }


async def test_a_deactivated_person_receives_nothing_and_the_school_hears_instead(notify, mailbox):
    await apply(notify, confirmed().model_copy(update={"booked_by": "docent-corlaer"}))
    await directory_says(notify, PersonDeactivatedV1, "docent-corlaer")  # before it went out
    await apply(notify, confirmed().model_copy(update={"booked_by": "docent-corlaer"}))
    assert await dispatcher(notify).dispatch_due() == 1
    assert [m["To"] for m in mailbox.mails] == [CORLAER]
    assert {(m.person_id, m.state) for m in await messages(notify)} == {
        ("docent-corlaer", "dropped"),
        ("corlaer", "delivered"),
    }


async def test_a_failing_smtp_server_is_retried_with_backoff_then_the_inbox_takes_over(
    notify, mailbox
):
    mailbox.refuse_all = True
    await apply(notify, confirmed())
    send = dispatcher(notify)
    await send.dispatch_due()
    [message] = await messages(notify)
    assert (message.attempts, message.next_attempt_at) == (1, NOON + timedelta(seconds=10))
    notify.clock.set(NOON + timedelta(seconds=10))
    await send.dispatch_due()
    [message] = await messages(notify)
    assert message.next_attempt_at == NOON + timedelta(seconds=30)  # 10 s, then 20 s
    notify.clock.set(NOON + timedelta(seconds=30))
    await send.dispatch_due()  # third failure: in-app, which cannot fail
    [message] = await messages(notify)
    assert (message.state, message.channel, message.on_fallback) == ("delivered", "in_app", True)
    assert mailbox.refused == {CORLAER: 3} and mailbox.mails == []
    assert count(notify, "retried", "email") == 2 and count(notify, "failed", "email") == 1
    assert count(notify, "sent", "in_app") == 1


async def test_webhook_then_email_failing_makes_a_failed_notification_and_an_event(notify, mailbox):
    await prefer(notify, "corlaer", Preferences(channels={"bookings": "webhook"}))
    mailbox.refuse_all = True  # and no push relay is configured
    await apply(notify, confirmed())
    send = dispatcher(notify)
    for seconds in (0, 10, 30, 30, 40, 60):
        notify.clock.set(NOON + timedelta(seconds=seconds))
        await send.dispatch_due()
    [message] = await messages(notify)
    assert (message.state, message.channel) == ("failed", "email")
    async with notify.db.sessions() as tx:
        [event_type] = (await tx.scalars(select(messaging.outbox.c.event_type))).all()
    assert event_type == "nl.tisfortech.notify.notification.failed.v1"
    assert count(notify, "failed", "webhook") == 1 and count(notify, "failed", "email") == 1


async def test_quiet_hours_delay_an_announcement_but_not_a_critical_cancellation(notify, mailbox):
    await prefer(notify, "backoffice", Preferences(quiet_hours=QuietHours(time(11), time(14))))
    event = confirmed()
    notify.clock.set(datetime(2026, 12, 9, 11, tzinfo=UTC))  # 12:00, the day before the lesson
    scheduled = EventScheduledV1(
        event_id="techniekdag",
        title="Techniekdag",
        starts_at=NOON + timedelta(days=30),
        ends_at=NOON + timedelta(days=30, hours=4),
        audience=["vmbo"],
        capacity=200,
    )
    await apply(notify, scheduled)
    await apply(notify, BookingCancelledV1(**event.model_dump(), cancelled_by="backoffice"))
    await dispatcher(notify).dispatch_due()
    [cancelled] = mailbox.to(BACKOFFICE)
    assert cancelled["Subject"].startswith("Annulering door Corlaer College")
    [announcement] = [m for m in await messages(notify) if m.message_type == "event_scheduled"]
    assert announcement.state == "pending"
    assert announcement.next_attempt_at == notify.clock.now().replace(hour=13)  # 14:00 local
    assert count(notify, "delayed", "email") == 1
    notify.clock.set(announcement.next_attempt_at)
    await dispatcher(notify).dispatch_due()
    assert len(mailbox.to(BACKOFFICE)) == 2


async def test_a_digest_gathers_the_day_into_one_mail_at_seven(notify, mailbox):
    await prefer(notify, "corlaer", Preferences(digest=True))
    for _ in range(3):
        await apply(notify, confirmed())
    await dispatcher(notify).dispatch_due()
    assert mailbox.mails == []
    notify.clock.set(datetime(2026, 12, 2, 6, tzinfo=UTC))  # 07:00 in Amsterdam
    assert await dispatcher(notify).dispatch_due() == 1
    [digest] = mailbox.mails
    assert digest["Subject"] == "Dagoverzicht: 3 berichten"
    assert digest.get_content().count("Bevestiging: Robotica") == 3


async def test_a_second_event_about_the_same_lesson_keeps_its_one_reminder(notify):
    """Another event about what a reminder is kept for (another line on the same
    declaration, a confirmation told again) adds nothing and fails nothing."""
    event = confirmed()
    async with notify.db.transaction() as tx:  # as the consumer applies one batch
        await apply_in(notify, tx, event)
        await apply_in(notify, tx, event)
    await apply(notify, event)
    async with notify.db.sessions() as tx:
        assert len((await tx.scalars(select(Reminder))).all()) == 1


async def test_reminders_are_sent_once_even_when_a_run_stops_half_way(notify):
    events = [confirmed() for _ in range(6)]  # lessons on Thursday 10 December
    for event in events:
        await apply(notify, event)
    await apply(notify, BookingCancelledV1(**events[0].model_dump(), cancelled_by="school"))
    notify.clock.set(datetime(2026, 12, 8, 8, tzinfo=UTC))  # Tuesday 09:00: due
    async with notify.db.sessions() as tx:
        assert len((await tx.scalars(select(Reminder))).all()) == 6

    class Interrupted(Exception):
        pass

    calls = 0
    real_clock = notify.clock

    class FailingClock:
        def now(self) -> datetime:
            nonlocal calls
            calls += 1
            if calls == 3:
                raise Interrupted  # the run dies before its third reminder
            return real_clock.now()

        def monotonic(self) -> float:
            return real_clock.monotonic()

    with pytest.raises(Interrupted):
        await send_due_reminders(replace(notify, clock=FailingClock()))
    assert await send_due_reminders(notify) == 3
    assert await send_due_reminders(notify) == 0
    reminders = [m for m in await messages(notify) if m.message_type == "lesson_reminder"]
    assert sorted(m.about for m in reminders) == sorted(str(e.booking_id) for e in events[1:])
    assert reminders[0].subject.startswith("Herinnering: Robotica")


@pytest.fixture
async def push_relay():
    """A real HTTP server standing in for the mobile push relay; it checks signatures."""
    received: list[dict] = []

    async def push(request: web.Request) -> web.Response:
        body = await request.read()
        valid = verify(
            SECRET,
            request.headers[TIMESTAMP_HEADER],
            body,
            request.headers[SIGNATURE_HEADER],
            now=time_module.time(),
        )
        received.append({"valid": valid, **json.loads(body)})
        return web.Response(status=202 if valid else 401)

    app = web.Application()
    app.router.add_post("/push", push)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}/push", received
    await runner.cleanup()


async def test_the_webhook_is_signed_with_hmac_over_timestamp_and_body(notify, push_relay):
    url, received = push_relay
    signed = replace(
        notify,
        settings=notify.settings.model_copy(
            update={"notify_webhook_url": url, "notify_webhook_secret": SECRET}
        ),
    )
    await prefer(signed, "corlaer", Preferences(channels={"bookings": "webhook"}))
    await apply(signed, confirmed())
    await dispatcher(signed).dispatch_due()
    [push] = received
    assert push["valid"] and push["recipient"] == "corlaer"  # the coordinator's person id
    assert push["subject"].startswith("Bevestiging: Robotica")
    [message] = await messages(signed)
    assert (message.state, message.channel) == ("delivered", "webhook")
    assert not verify(
        SECRET, "1700000000", b"{}", signature(SECRET, "1700000000", b"{}"), now=1700000000 + 3600
    )  # a replay an hour later
    assert not verify(
        "other", "1700000000", b"{}", signature(SECRET, "1700000000", b"{}"), now=1700000000
    )


async def test_a_batch_claimed_by_a_dispatcher_that_died_is_sent_after_its_lease(notify, mailbox):
    await apply(notify, confirmed())
    dead = dispatcher(notify)
    claimed, _ = await dead._claim()
    assert len(claimed) == 1  # ... and the process dies before sending
    assert await dispatcher(notify).dispatch_due() == 0  # held by the lease
    notify.clock.set(NOON + timedelta(seconds=notify.settings.notify_dispatch_lease_seconds))
    assert await dispatcher(notify).dispatch_due() == 1
    assert len(mailbox.to(CORLAER)) == 1


class Rounds(Dispatcher):
    """A dispatcher that tells each round it finished, with how many sends it made."""

    def __init__(self, notify: Notify) -> None:
        super().__init__(notify, channels_from(notify.settings))
        self.rounds: asyncio.Queue[int] = asyncio.Queue()

    async def dispatch_due(self) -> int:
        sends = await super().dispatch_due()
        self.rounds.put_nowait(sends)
        return sends


async def test_a_commit_of_due_messages_wakes_the_dispatcher_before_its_poll(notify, mailbox):
    hourly = replace(
        notify,
        settings=notify.settings.model_copy(update={"notify_dispatch_poll_seconds": 3600}),
    )
    send = Rounds(hourly)
    running = asyncio.create_task(send.run_forever())
    try:
        assert await asyncio.wait_for(send.rounds.get(), 30) == 0  # at start; next in an hour
        await apply(hourly, confirmed())  # as the consumer commits it
        assert await asyncio.wait_for(send.rounds.get(), 30) == 1
        assert len(mailbox.to(CORLAER)) == 1
    finally:
        running.cancel()
        with suppress(asyncio.CancelledError):
            await running


async def until(condition, within: float = 30.0) -> None:
    """Let the dispatcher run until `condition()` holds (`within` bounds the wait)."""
    deadline = time_module.monotonic() + within
    while not condition():
        assert time_module.monotonic() < deadline, "the condition never held"
        await asyncio.sleep(0.01)


class LockingEmail:
    """The e-mail channel, which at its first send has the test lock the notifications
    against writes, as a stalled store would: no outcome can be recorded from then on."""

    def __init__(self, email, db) -> None:
        self.email, self.db = email, db
        self.locker = None

    async def send(self, message) -> None:
        if self.locker is None:
            self.locker = await self.db.engine.connect()
            await self.locker.execute(text("LOCK TABLE notifications IN SHARE MODE"))
        await self.email.send(message)

    async def close(self) -> None:
        await self.email.close()


async def test_a_crash_repeats_at_most_the_sends_whose_outcome_was_not_recorded(notify, mailbox):
    bounded = replace(
        notify, settings=notify.settings.model_copy(update={"notify_unrecorded_sends": 2})
    )
    for _ in range(6):
        await apply(bounded, confirmed())
    send = dispatcher(bounded)
    locking = send.channels["email"] = LockingEmail(send.channels["email"], bounded.db)
    dying = asyncio.create_task(send.dispatch_due())
    # The sends go on while their outcomes wait for the store, up to the bound.
    await until(lambda: send.outcomes.full and len(mailbox.to(CORLAER)) == 2)
    before_crash = [m["Message-ID"] for m in mailbox.to(CORLAER)]
    assert len(before_crash) == 2
    dying.cancel()  # the process dies
    await locking.locker.close()
    with suppress(asyncio.CancelledError):
        await dying
    assert {m.state for m in await messages(bounded)} == {"pending"}  # nothing recorded
    bounded.clock.set(NOON + timedelta(seconds=bounded.settings.notify_dispatch_lease_seconds))
    assert await dispatcher(bounded).dispatch_due() == 6
    sent = [m["Message-ID"] for m in mailbox.to(CORLAER)]
    ids = {f"<{m.id}@notify.tisfortech.example>" for m in await messages(bounded)}
    assert sorted(sent[2:]) == sorted(ids)  # after the lease each of the six once more ...
    assert set(before_crash) <= ids  # ... so the two unrecorded twice, with the same ids
    assert {m.state for m in await messages(bounded)} == {"delivered"}


async def test_a_batch_reads_a_schools_people_and_their_preferences_once(notify, mailbox):
    """As the consumer applies a batch: for each confirmation after the first, its two
    messages in one statement and its reminder (kept once) in another; whom to tell it knows
    by then."""
    with statements(notify.db.engine) as sent:
        async with notify.db.transaction() as tx:
            for _ in range(3):
                await apply_in(notify, tx, confirmed())
    assert sum(s.startswith("SELECT people.") for s in sent) == 1
    assert sum(s.startswith("SELECT preferences.") for s in sent) == 1
    assert len(sent) == 4 + 2 + 2  # the first four, each next one two


async def test_a_unit_of_work_that_changes_what_it_read_once_reads_it_again(notify, mailbox):
    async with notify.db.transaction() as tx:
        await apply_in(notify, tx, confirmed())  # the school's contact, by e-mail
        chosen = Preferences(channels={"bookings": "in_app"})
        await commands.save_preferences(tx, "corlaer", chosen, notify.clock.now())
        await apply_in(notify, tx, confirmed())  # in-app now
        await directory_says(notify, PersonDeactivatedV1, "corlaer", tx)
        await apply_in(notify, tx, confirmed())  # no contact left: the school's inbox only
    assert sorted(m.channel for m in await messages(notify)) == ["email", "in_app"]


async def test_an_unreachable_smtp_server_is_tried_once_a_round_and_every_message_waits(notify):
    connections = 0

    async def hang_up(_reader, writer):  # closes before the greeting: smtplib cannot connect
        nonlocal connections
        connections += 1
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    notify = replace(notify, settings=notify.settings.model_copy(update={"notify_smtp_port": port}))
    for _ in range(3):
        await apply(notify, confirmed())
    try:
        sends = await dispatcher(notify).dispatch_due()
    finally:
        server.close()
    assert (connections, sends) == (1, 1)
    waiting = await messages(notify)
    assert len(waiting) == 3
    for message in waiting:  # each as if it had been tried: retried after the backoff
        assert (message.state, message.attempts) == ("pending", 1)
        assert message.next_attempt_at == NOON + timedelta(seconds=10)
    assert count(notify, "retried", "email") == 3


class Overlapping(Mailbox):
    """An SMTP server whose second mail waits (up to 10 s) for a third to arrive while it
    is taken in: it notes how many were under way at once."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = self.under_way = self.most = 0
        self.third = asyncio.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.arrived += 1
        self.under_way += 1
        self.most = max(self.most, self.under_way)
        if self.arrived == 2:
            with suppress(TimeoutError):
                await asyncio.wait_for(self.third.wait(), 10)
        elif self.arrived == 3:
            self.third.set()
        self.under_way -= 1
        return await super().handle_DATA(server, session, envelope)


async def test_sends_overlap_on_several_smtp_connections_once_the_server_answered(notify):
    box = Overlapping()
    controller = serve(box)
    notify = replace(
        notify, settings=notify.settings.model_copy(update={"notify_smtp_port": controller.port})
    )
    for _ in range(4):
        await apply(notify, confirmed())
    try:
        assert await dispatcher(notify).dispatch_due() == 4
    finally:
        controller.stop()
    assert box.most >= 2  # the first alone (is the server there?), then several at once
    assert len(box.to(CORLAER)) == 4
    assert {m.state for m in await messages(notify)} == {"delivered"}
