"""What finance hears from events, through the outbox relay and a real Kafka broker, on both
stores (SQLite and PostgreSQL): a session held is published once, however often recorded."""

import json
from datetime import timedelta
from uuid import uuid4

import pytest

from ops.kafka import read_topic
from services.events import commands, hosting
from services.events.domain import RegistrationRefused
from services.events.tests.scenario import (
    BACKOFFICE,
    NOW,
    group,
    migrated_runtime,
    plan_session,
    school,
)
from shared.contracts.events import (
    EventScheduledV1,
    SessionChangedV1,
    SessionHostedV1,
    SessionPlannedV1,
)
from shared.contracts.requests.events import EventSessionChange
from shared.contracts.topics import EVENT
from shared.messaging.connection import KafkaConnection
from shared.messaging.outbox import OutboxRelay, idempotent_producer
from shared.observability.metrics import Metrics

pytestmark = pytest.mark.integration


@pytest.fixture
async def rt(each_store):
    runtime = await migrated_runtime(each_store("tft_events_kafka"))
    yield runtime
    await runtime.db.dispose()


async def _published(kafka: KafkaConnection) -> list[tuple[bytes, dict[str, bytes], dict]]:
    """Every record on the events topic so far: (key, headers, payload)."""
    return [(r.key, dict(r.headers), json.loads(r.value)) for r in await read_topic(kafka, EVENT)]


async def _publish_all(rt, kafka: KafkaConnection) -> None:
    """What the outbox holds, through the relay to the broker (as the events principal)."""
    relay = OutboxRelay(
        rt.db, rt.outbox.table, lambda: idempotent_producer(kafka, "events-test-relay"), Metrics()
    )
    try:
        while await relay.publish_pending():
            pass
    finally:
        await relay.close()


async def test_a_held_session_reaches_kafka_once_keyed_by_its_event(rt, kafka):
    # An event of its own: other tests on the same broker publish about other events.
    event_id = f"techevent-{uuid4().hex[:8]}"
    session_id = await plan_session(rt, capacity=30, event_id=event_id)
    placed = await commands.register(rt, school(), session_id, group(24), now=NOW)
    after = NOW + timedelta(days=8)
    await commands.check_in(
        rt, BACKOFFICE, event_id, placed.registration.check_in_code, 22, now=after
    )
    held = await hosting.record_held(rt, BACKOFFICE, session_id, 150, now=after)
    with pytest.raises(RegistrationRefused):
        await hosting.record_held(rt, BACKOFFICE, session_id, 150, now=after)

    await _publish_all(rt, kafka.connection("events"))

    hosted = [
        (key, payload)
        for key, headers, payload in await _published(kafka.admin)
        if headers.get("ce_type") == SessionHostedV1.event_type.encode()
        and key == event_id.encode()
    ]
    [(_, payload)] = hosted
    assert (payload["hosting_id"], payload["minutes"], payload["students_reached"]) == (
        str(held.id),
        150,
        22,
    )


async def test_a_planned_session_and_its_change_reach_kafka_in_order_keyed_by_its_event(rt, kafka):
    event_id = f"girls-day-{uuid4().hex[:8]}"
    session_id = await plan_session(rt, capacity=30, event_id=event_id)
    await commands.change_session(
        rt, BACKOFFICE, session_id, EventSessionChange(location="Werkplaats", capacity=24)
    )

    await _publish_all(rt, kafka.connection("events"))

    told = [
        (headers["ce_type"].decode(), payload)
        for key, headers, payload in await _published(kafka.admin)
        if key == event_id.encode()
    ]
    assert [kind for kind, _ in told] == [
        EventScheduledV1.event_type,
        SessionPlannedV1.event_type,
        SessionChangedV1.event_type,
    ]
    changed = told[-1][1]
    assert (changed["session_id"], changed["location"], changed["capacity"]) == (
        str(session_id),
        "Werkplaats",
        24,
    )
    assert sorted(changed["changed"]) == ["capacity", "location"]
