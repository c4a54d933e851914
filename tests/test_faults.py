"""Faults with real processes, a real broker and PostgreSQL: nothing lost, nothing twice."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.contracts.bookings import BookingConfirmedV1
from shared.contracts.common import Group
from shared.contracts.topics import BOOKING, dead_letter_topic, event_source, owner
from shared.messaging.envelope import Envelope
from tests.harness import Platform, eventually
from tests.test_first_flow import book, notifications_about, plan_session

pytestmark = pytest.mark.integration


def scalar(platform: Platform, service: str, sql: str, **params):
    async def run():
        engine = create_async_engine(platform.database_url(service))
        try:
            async with engine.connect() as conn:
                return (await conn.execute(text(sql), params)).scalar()
        finally:
            await engine.dispose()

    return asyncio.run(run())


def confirmed_event(school: str = "trivium") -> BookingConfirmedV1:
    starts = datetime.now(UTC) + timedelta(days=10)
    return BookingConfirmedV1(
        booking_id=uuid4(),
        session_id=uuid4(),
        offering_id="test",
        offering_title="Testles",
        school_id=school,
        group=Group(name="1A", level="vmbo-bb", year=1, students=12),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        location="Hotspot",
    )


def produce(
    platform: Platform, messages: list[tuple[bytes, list[tuple[str, bytes]]]], topic: str = BOOKING
) -> None:
    async def run():
        # as the topic's owner would: no other principal may write its topic
        producer = AIOKafkaProducer(**platform.kafka.connection(owner(topic)).options(), acks="all")
        await producer.start()
        try:
            for value, headers in messages:
                await producer.send_and_wait(topic, value=value, key=b"test", headers=headers)
        finally:
            await producer.stop()

    asyncio.run(run())


def read_all(platform: Platform, topic: str) -> list:
    async def run():
        consumer = AIOKafkaConsumer(
            topic,
            **platform.kafka.admin.options(),
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            batches = await consumer.getmany(timeout_ms=3000)
            return [r for records in batches.values() for r in records]
        finally:
            await consumer.stop()

    return asyncio.run(run())


def test_bookings_killed_after_commit_before_publish_notifies_exactly_once(platform: Platform):
    session = plan_session(platform)
    bookings = platform.processes["bookings"]
    bookings.stop()
    platform.restart("bookings", TFT_OUTBOX_RELAY="false")  # commits, never publishes
    created = book(platform, "lodenstein", session["id"])
    assert created.status_code == 201
    booking_id = created.json()["id"]
    unpublished = scalar(
        platform,
        "bookings",
        "select count(*) from outbox where published_at is null and key = :key",
        key=booking_id,
    )
    assert unpublished == 1

    bookings.kill()  # SIGKILL: no shutdown hooks run
    time.sleep(1)
    assert notifications_about(platform, "lodenstein", booking_id) == []
    platform.restart("bookings")

    eventually(lambda: notifications_about(platform, "lodenstein", booking_id))
    time.sleep(2)  # a duplicate would arrive by now
    assert len(notifications_about(platform, "lodenstein", booking_id)) == 1


def test_the_same_event_delivered_twice_has_one_effect(platform: Platform):
    """The inbox knows the second delivery for what it is: skipped, not applied again (the
    notifications' unique constraint would refuse it, and the event would end as a dead
    letter), and counted."""
    event = confirmed_event()
    envelope = Envelope.new(
        type=event.event_type, source=event_source("bookings"), subject=event.subject()
    )
    message = (event.model_dump_json().encode(), envelope.to_headers())
    skipped = duplicates_skipped(platform, "notify")
    produce(platform, [message, message])

    eventually(lambda: duplicates_skipped(platform, "notify") > skipped)
    assert len(notifications_about(platform, "trivium", str(event.booking_id))) == 1
    assert not [
        r
        for r in read_all(platform, dead_letter_topic(BOOKING))
        if dict(r.headers).get("ce_id") == envelope.id.encode()
    ]


def duplicates_skipped(platform: Platform, service: str) -> float:
    metrics = httpx.get(f"http://127.0.0.1:{platform.processes[service].port}/metrics").text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith(f'tft_duplicate_events_total{{consumer="{service}"}}')
    )


def test_poison_message_goes_to_the_dead_letter_topic_and_the_next_is_applied(
    platform: Platform,
):
    bad_payload = Envelope.new(
        type=BookingConfirmedV1.event_type, source=event_source("bookings"), subject="poison"
    )
    no_envelope: list[tuple[str, bytes]] = []
    good = confirmed_event()
    good_envelope = Envelope.new(
        type=good.event_type, source=event_source("bookings"), subject=good.subject()
    )
    produce(
        platform,
        [
            (b'{"booking_id": "not-a-uuid"}', bad_payload.to_headers()),
            (b"\x00garbage", no_envelope),
            (good.model_dump_json().encode(), good_envelope.to_headers()),
        ],
    )

    eventually(lambda: notifications_about(platform, "trivium", str(good.booking_id)))

    def dead_letters():
        records = read_all(platform, dead_letter_topic(BOOKING))
        mine = [
            dict(r.headers)
            for r in records
            if dict(r.headers).get("ce_id") == bad_payload.id.encode() or r.value == b"\x00garbage"
        ]
        return mine if len(mine) >= 2 else None

    headers = eventually(dead_letters, timeout=20)
    reasons = [h["dlt_reason"].decode() for h in headers]
    assert any("invalid payload" in r for r in reasons)
    assert any("missing CloudEvents headers" in r for r in reasons)
    assert all(h["dlt_consumer"] for h in headers)
    metrics = httpx.get(f"http://127.0.0.1:{platform.processes['notify'].port}/metrics").text
    assert 'tft_dead_letter_messages_total{topic="tft.bookings.booking"}' in metrics


def test_broker_restart_during_a_burst_of_1000_bookings_loses_and_doubles_nothing(
    platform: Platform,
):
    session = plan_session(platform, capacity=1000, days_ahead=20)
    token = platform.token("element")
    body = {
        "session_id": session["id"],
        "group": {"name": "burst", "level": "vmbo-gl", "year": 4, "students": 1},
    }

    client = httpx.Client(timeout=30)  # one pool for all threads: a client per call costs more

    def post(_):
        r = client.post(f"{platform.gateway}/bookings", headers=token, json=body)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    with client, ThreadPoolExecutor(max_workers=16) as pool:
        first = list(pool.map(post, range(300)))
        platform.kafka.stop()
        during = list(pool.map(post, range(400)))
        platform.kafka.start()
        after = list(pool.map(post, range(300)))
    platform.kafka.wait_ready(timeout=90)
    ids = first + during + after
    assert len(set(ids)) == 1000

    # Counted in the schools' inboxes: one each (the coordinator gets their own copy too).
    count_sql = (
        "select count(*) from notifications where message_type = 'booking_confirmed'"
        " and person_id = '' and about = any(:ids)"
    )
    eventually(
        lambda: scalar(platform, "notify", count_sql, ids=ids) == 1000, timeout=120, interval=1
    )
    time.sleep(3)
    assert scalar(platform, "notify", count_sql, ids=ids) == 1000
    distinct = scalar(
        platform,
        "notify",
        "select count(distinct about) from notifications"
        " where message_type = 'booking_confirmed' and about = any(:ids)",
        ids=ids,
    )
    assert distinct == 1000


def test_a_database_outage_delays_notifications_but_loses_and_doubles_none(platform: Platform):
    events = [confirmed_event("nxt") for _ in range(40)]
    messages = [
        (
            e.model_dump_json().encode(),
            Envelope.new(
                type=e.event_type, source=event_source("bookings"), subject=e.subject()
            ).to_headers(),
        )
        for e in events
    ]
    platform.postgres.stop()
    try:
        produce(platform, messages[:20])
        time.sleep(3)  # notify fetches them and finds its store gone
    finally:
        platform.postgres.start()
        platform.postgres.wait_ready()
        # Each service's pooled connections died with the store: the first unit of work on
        # one fails (503) and renews its pool. The readiness probes take those failures, so
        # the tests after this one meet services that reach their store.
        for process in platform.processes.values():
            process.wait_ready()
    produce(platform, messages[20:])

    ids = [str(e.booking_id) for e in events]
    count_sql = "select count(*) from notifications where person_id = '' and about = any(:ids)"
    eventually(lambda: scalar(platform, "notify", count_sql, ids=ids) == 40, timeout=90, interval=1)
    time.sleep(2)
    assert scalar(platform, "notify", count_sql, ids=ids) == 40
