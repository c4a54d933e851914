"""Notifications per second: booking confirmations put on Kafka until notify has mailed them
all to an SMTP server (aiosmtpd in this process), on the running platform (PostgreSQL).

The baseline, in the same run against the same server: the same number of mails sent by
one plain smtplib connection, the ceiling of the e-mail channel on this machine.
"""

import asyncio
import smtplib
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from uuid import uuid4

from aiokafka import AIOKafkaProducer

from bench.profile import cpu_ms_per_request, profiled, restarted
from services.notify.mailbox import Mailbox, serve
from shared.contracts.bookings import BookingConfirmedV1
from shared.contracts.common import Group
from shared.contracts.topics import event_source
from shared.messaging.connection import KafkaConnection
from shared.messaging.envelope import Envelope
from tests.harness import Platform

EVENTS = 2000


def raw_smtp(port: int, count: int) -> float:
    """Mails per second from one smtplib connection."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(count):
            mail = EmailMessage()
            mail["From"], mail["To"] = "bench@tisfortech.example", "coordinator@bench.example"
            mail["Subject"] = f"Bevestiging {n}"
            mail.set_content("Uw boeking is bevestigd." * 10)
            smtp.send_message(mail)
    return count / (time.perf_counter() - started)


def confirmations(count: int) -> list[BookingConfirmedV1]:
    starts = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    return [
        BookingConfirmedV1(
            booking_id=uuid4(),
            session_id=uuid4(),
            offering_id="robotica",
            offering_title="Robotica",
            school_id="corlaer",
            group=Group(name="3B", level="vmbo-kb", year=3, students=20),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            location="Hotspot",
        )
        for _ in range(count)
    ]


async def produce(kafka: KafkaConnection, events: list[BookingConfirmedV1]) -> None:
    producer = AIOKafkaProducer(**kafka.options(), acks="all", linger_ms=5)
    await producer.start()
    try:
        sends = []
        for event in events:
            envelope = Envelope.new(
                type=event.event_type, source=event_source("bookings"), subject=event.subject()
            )
            sends.append(
                await producer.send(
                    event.topic,
                    value=event.model_dump_json().encode(),
                    key=event.key().encode(),
                    headers=envelope.to_headers(),
                )
            )
        await asyncio.gather(*sends)
    finally:
        await producer.stop()


def notifications(platform: Platform, count: int = EVENTS) -> dict:
    box = Mailbox()
    controller = serve(box)
    notify = platform.processes["notify"]
    try:
        baseline = raw_smtp(controller.port, count)
        box.mails.clear()
        notify.stop()
        platform.restart(
            "notify", TFT_NOTIFY_SMTP_PORT=str(controller.port), TFT_LOG_LEVEL="WARNING"
        )
        assert notify.pid is not None
        restarted("notify", notify.pid)
        with profiled("notify") as used:
            started = time.perf_counter()
            # as bookings, the only principal that may write its topic
            asyncio.run(produce(platform.kafka.connection("bookings"), confirmations(count)))
            deadline = started + 600
            while len(box.mails) < count and time.perf_counter() < deadline:
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
        if len(box.mails) < count:
            raise RuntimeError(f"only {len(box.mails)} of {count} mails within 600 s")
    finally:
        notify.stop()
        platform.restart("notify")
        controller.stop()
    rate = count / elapsed
    return {
        "notify_events": count,
        "notify_raw_smtp_mails_per_s": round(baseline, 1),
        "notify_events_to_emails_per_s": round(rate, 1),
        "notify_ratio": round(rate / baseline, 3),
        # CPU per mail of the notify process (consuming, recording and sending)
        **cpu_ms_per_request("notify", used, count, ("notify", "kafka", "postgres")),
    }
