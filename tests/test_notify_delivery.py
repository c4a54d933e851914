"""Notify end to end on real Kafka and PostgreSQL with a real SMTP server (aiosmtpd in this
process): one e-mail however often Kafka delivers, retries then the fallback channel, quiet
hours that hold back an announcement but not a critical cancellation, and reminders sent
exactly once when notify is SIGKILLed in the middle of a reminder run."""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.contracts.bookings import BookingCancelledV1, BookingConfirmedV1
from shared.contracts.events import EventScheduledV1
from shared.contracts.notify import NotificationFailedV1
from shared.contracts.topics import EVENT, NOTIFICATION, event_source, owner
from shared.domain import AMSTERDAM
from shared.dutch import dutch_period
from shared.messaging.envelope import Envelope
from tests.harness import Platform, eventually
from tests.mail import demo_address, subjects
from tests.test_faults import produce, read_all, scalar
from tests.test_first_flow import notifications_about as inbox_about

pytestmark = pytest.mark.integration

FAILED_TYPE = NotificationFailedV1.event_type.encode()


def lesson(
    school: str, starts: datetime, title: str, booked_by: str | None = None
) -> BookingConfirmedV1:
    return BookingConfirmedV1(
        booking_id=uuid4(),
        session_id=uuid4(),
        offering_id="robotica",
        offering_title=title,
        school_id=school,
        group={"name": "2C", "level": "vmbo-kb", "year": 2, "students": 18},
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        location="Hotspot Amersfoort",
        booked_by=booked_by,
    )


def message(event, envelope: Envelope | None = None):
    envelope = envelope or Envelope.new(
        type=event.event_type, source=event_source(owner(event.topic)), subject=event.subject()
    )
    return event.model_dump_json().encode(), envelope.to_headers()


def in_ten_days() -> datetime:
    return (datetime.now(UTC) + timedelta(days=10)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )


def test_a_confirmation_delivered_three_times_arrives_as_one_dutch_email(platform, mail):
    title = f"Robotica {uuid4().hex[:6]}"
    event = lesson("corlaer", in_ten_days(), title)
    copy = message(event)
    # A later event of the same key (the booking): once its mail is there, all three copies
    # were applied.
    sentinel = event.model_copy(update={"offering_title": f"{title} sentinel"})
    produce(platform, [copy, copy, copy, message(sentinel)])

    eventually(lambda: subjects(mail, demo_address("corlaer"), f"{title} sentinel"))
    mails = [
        m
        for m in mail.to(demo_address("corlaer"))
        if m["Subject"].startswith(f"Bevestiging: {title} op")
    ]
    assert len(mails) == 1
    body = mails[0].get_content()
    for words in [
        f"Wat: {title}",
        f"Wanneer: {dutch_period(event.starts_at, event.ends_at)}",
        "Waar: Hotspot Amersfoort",
        "groep 2C (18 leerlingen)",
        "Meenemen:",
        "Wat nu:",
    ]:
        assert words in body


def test_a_message_reaches_the_teacher_who_booked_and_the_schools_inbox(platform, mail):
    title = f"Lasrobot {uuid4().hex[:6]}"
    event = lesson("corlaer", in_ten_days(), title, booked_by="docent-corlaer")
    produce(platform, [message(event)])

    eventually(lambda: subjects(mail, demo_address("docent-corlaer"), title))
    assert subjects(mail, demo_address("corlaer"), title) == []
    [own] = eventually(lambda: inbox_about(platform, "docent-corlaer", str(event.booking_id)))
    assert (own["person_id"], own["state"], own["channel"]) == (
        "docent-corlaer",
        "delivered",
        "email",
    )
    [schools] = inbox_about(platform, "corlaer", str(event.booking_id))
    assert (schools["person_id"], schools["organisation_id"]) == (None, "corlaer")


def test_a_person_reads_their_schools_messages_but_not_a_colleagues(platform, mail):
    event = lesson("corlaer", in_ten_days(), f"Pneumatiek {uuid4().hex[:6]}")  # nobody booked
    produce(platform, [message(event)])

    [coordinators] = eventually(lambda: inbox_about(platform, "corlaer", str(event.booking_id)))
    assert coordinators["person_id"] == "corlaer"  # the school's contact hears it personally
    [schools] = inbox_about(platform, "docent-corlaer", str(event.booking_id))
    assert schools["person_id"] is None and schools["id"] != coordinators["id"]
    teacher = platform.token("docent-corlaer")
    refused = httpx.post(
        f"{platform.gateway}/notifications/{coordinators['id']}/read", headers=teacher
    )
    assert refused.status_code == 404 and refused.json()["detail"]
    assert (
        httpx.post(
            f"{platform.gateway}/notifications/{schools['id']}/read", headers=teacher
        ).status_code
        == 200
    )
    assert inbox_about(platform, "corlaer", str(event.booking_id))[0]["read_at"] is None


def test_preferences_are_the_persons_own(platform, mail):
    teacher = platform.token("docent-corlaer")
    saved = httpx.put(
        f"{platform.gateway}/notifications/preferences",
        headers=teacher,
        json={"channels": {"bookings": "in_app"}},
    )
    try:
        assert saved.status_code == 200 and saved.json()["person_id"] == "docent-corlaer"
        coordinator = httpx.get(
            f"{platform.gateway}/notifications/preferences", headers=platform.token("corlaer")
        ).json()
        assert (coordinator["person_id"], coordinator["channels"]) == ("corlaer", {})
    finally:
        httpx.put(f"{platform.gateway}/notifications/preferences", headers=teacher, json={})


def test_a_failing_smtp_server_is_retried_then_the_inbox_takes_over(platform, mail):
    address = demo_address("axia")  # a school no other test writes to
    mail.refusing.add(address)
    event = lesson("axia", in_ten_days(), f"Techniek {uuid4().hex[:6]}")
    produce(platform, [message(event)])

    state_sql = (
        "select state || ' ' || channel from notifications where about = :about"
        " and message_type = 'booking_confirmed' and person_id = 'axia'"
    )
    eventually(
        lambda: (
            scalar(platform, "notify", state_sql, about=str(event.booking_id)) == "delivered in_app"
        )
    )
    assert mail.refused[address] == 3  # TFT_NOTIFY_MAX_ATTEMPTS e-mail attempts
    assert mail.to(address) == []
    metrics = httpx.get(f"http://127.0.0.1:{platform.processes['notify'].port}/metrics").text
    assert 'tft_notify_retried_total{channel="email"}' in metrics
    assert 'tft_notify_failed_total{channel="email"}' in metrics


def test_a_message_no_channel_can_deliver_is_failed_told_and_shown_to_the_backoffice(
    platform, mail
):
    trivium = platform.token("trivium")
    # Push first (no relay is configured here), then e-mail, which the server refuses.
    httpx.put(
        f"{platform.gateway}/notifications/preferences",
        headers=trivium,
        json={"channels": {"bookings": "webhook"}},
    ).raise_for_status()
    mail.refusing.add(demo_address("trivium"))
    try:
        event = lesson("trivium", in_ten_days(), f"Onbereikbaar {uuid4().hex[:6]}")
        produce(platform, [message(event)])

        def failed():
            answer = httpx.get(
                f"{platform.gateway}/notifications/failed",
                params={"limit": 500},
                headers=platform.token("backoffice"),
            )
            return [n for n in answer.json() if n["about"] == str(event.booking_id)]

        [shown] = eventually(failed)
        assert (shown["state"], shown["channel"]) == ("failed", "email")
        assert (
            httpx.get(f"{platform.gateway}/notifications/failed", headers=trivium).status_code
            == 403
        )
        told = eventually(
            lambda: [
                r
                for r in read_all(platform, NOTIFICATION)
                if dict(r.headers).get("ce_type") == FAILED_TYPE
                and json.loads(r.value)["notification_id"] == shown["id"]
            ]
        )
        assert json.loads(told[0].value)["channels_tried"] == ["webhook", "email"]
    finally:
        mail.refusing.discard(demo_address("trivium"))
        httpx.put(f"{platform.gateway}/notifications/preferences", headers=trivium, json={})


def test_a_school_marks_its_own_notification_read_and_no_other(platform, mail):
    event = lesson("trivium", in_ten_days(), f"Lezen {uuid4().hex[:6]}")
    produce(platform, [message(event)])

    def told():
        inbox = httpx.get(
            f"{platform.gateway}/notifications",
            params={"limit": 500},
            headers=platform.token("trivium"),
        ).json()
        return [n for n in inbox if n["about"] == str(event.booking_id)]

    [notification] = eventually(told)
    assert notification["read_at"] is None
    not_theirs = httpx.post(
        f"{platform.gateway}/notifications/{notification['id']}/read",
        headers=platform.token("corlaer"),
    )
    assert not_theirs.status_code == 404
    read = httpx.post(
        f"{platform.gateway}/notifications/{notification['id']}/read",
        headers=platform.token("trivium"),
    )
    assert read.status_code == 200 and read.json()["read_at"]
    assert told()[0]["read_at"] == read.json()["read_at"]


def test_quiet_hours_hold_back_an_announcement_but_not_a_critical_cancellation(platform, mail):
    backoffice = platform.token("backoffice")
    now = datetime.now(AMSTERDAM)
    start, end = (now - timedelta(hours=1)), (now + timedelta(hours=2))
    quiet = {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
    saved = httpx.put(
        f"{platform.gateway}/notifications/preferences",
        headers=backoffice,
        json={"quiet_hours": quiet},
    )
    assert saved.status_code == 200, saved.text
    try:
        tag = uuid4().hex[:6]
        announcement = EventScheduledV1(
            event_id=f"techniekdag-{tag}",
            title=f"Techniekdag {tag}",
            starts_at=in_ten_days(),
            ends_at=in_ten_days() + timedelta(hours=4),
            audience=["vmbo"],
            capacity=200,
        )
        tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(
            minute=0, second=0, microsecond=0
        )
        cancelled = BookingCancelledV1(
            **lesson("nxt", tomorrow, f"Solderen {tag}").model_dump(), cancelled_by="backoffice"
        )
        produce(platform, [message(announcement)], topic=EVENT)
        produce(platform, [message(cancelled)])

        eventually(lambda: subjects(mail, demo_address("backoffice"), f"Solderen {tag}"))
        assert subjects(mail, demo_address("nxt"), f"Solderen {tag}")

        def announced():  # on a topic of its own: it may arrive after the cancellation
            inbox = httpx.get(
                f"{platform.gateway}/notifications", params={"limit": 500}, headers=backoffice
            ).json()
            return [n for n in inbox if n["about"] == announcement.event_id]

        [held] = eventually(announced)
        assert held["state"] == "pending" and not held["critical"]
        quiet_end = end.replace(second=0, microsecond=0).astimezone(UTC)
        assert datetime.fromisoformat(held["next_attempt_at"]) == quiet_end
        assert subjects(mail, demo_address("backoffice"), f"Techniekdag {tag}") == []
    finally:
        httpx.put(f"{platform.gateway}/notifications/preferences", headers=backoffice, json={})


def count_sent(platform: Platform, about: list[str]) -> int:
    return scalar(
        platform,
        "notify",
        "select count(*) from reminders where state = 'sent' and about = any(:ids)",
        ids=about,
    )


async def kill_mid_run(platform: Platform, about: list[str]) -> None:
    """SIGKILL notify as soon as the first reminders of its run are sent."""
    engine = create_async_engine(platform.database_url("notify"))
    sql = text("select count(*) from reminders where state = 'sent' and about = any(:ids)")
    try:
        while True:
            async with engine.connect() as conn:
                sent = (await conn.execute(sql, {"ids": about})).scalar()
            if sent:
                platform.processes["notify"].kill()
                return
            await asyncio.sleep(0.01)
    finally:
        await engine.dispose()


def test_notify_killed_in_a_reminder_run_sends_each_reminder_exactly_once(platform, mail):
    notify, element = platform.processes["notify"], platform.token("element")
    # Confirmations in the inbox, reminders by e-mail: the mails are the reminders.
    httpx.put(
        f"{platform.gateway}/notifications/preferences",
        headers=element,
        json={"channels": {"bookings": "in_app"}},
    ).raise_for_status()
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    events = [lesson("element", tomorrow, "Herinneringstest") for _ in range(200)]
    about = [str(e.booking_id) for e in events]
    produce(platform, [message(e) for e in events])
    pending_sql = "select count(*) from reminders where state = 'pending' and about = any(:ids)"
    # No run is due before the next start: the reminders pile up.
    eventually(lambda: scalar(platform, "notify", pending_sql, ids=about) == 200, timeout=60)

    notify.kill()
    notify.env = platform.env("notify", notify.port, **mail.settings)
    notify.start()  # the run starts at once, before the process is even ready
    asyncio.run(kill_mid_run(platform, about))
    assert 0 < count_sent(platform, about) < 200, "the kill landed inside the run"
    platform.restart("notify", **mail.settings)

    eventually(lambda: count_sent(platform, about) == 200, timeout=90)
    counts = scalar(
        platform,
        "notify",
        "select count(*) * 1000 + count(distinct about)"
        " from notifications where message_type = 'lesson_reminder'"
        " and person_id = 'element'"
        " and about = any(:ids)",
        ids=about,
    )
    assert counts == 200 * 1000 + 200  # 200 messages, one per lesson

    def reminder_mails():
        return [
            m
            for m in mail.to(demo_address("element"))
            # A subject past 78 characters is folded; unfolded, it keeps a leading space.
            if m["Subject"].strip().startswith("Herinnering: Herinneringstest")
        ]

    eventually(lambda: len({m["Message-ID"] for m in reminder_mails()}) == 200, timeout=90)
    # SMTP is at-least-once: the one mail in flight at the kill may come again, same id.
    assert len(reminder_mails()) <= 201
    httpx.put(
        f"{platform.gateway}/notifications/preferences", headers=element, json={}
    ).raise_for_status()
