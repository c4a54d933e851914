"""The platform on a three-broker Kafka cluster with two replicas of every consumer service:
a broker and a replica of each consumer killed during a burst of bookings lose nothing,
apply nothing twice, keep each booking's events in order, and every group catches up."""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from aiokafka.errors import KafkaError

from ops.kafka import KafkaCluster, apply_acls, create_topics, ensure_kafka_libs, read_topic
from services.bookings.app import SPEC as BOOKINGS
from services.events.app import SPEC as EVENTS
from services.finance.app import SPEC as FINANCE
from services.loans.app import SPEC as LOANS
from services.notify.app import SPEC as NOTIFY
from shared.contracts.bookings import BookingCancelledV1, BookingConfirmedV1
from shared.contracts.topics import ALL_TOPICS, BOOKING
from shared.messaging.acl import platform_acls
from shared.messaging.lag import LagMonitor
from shared.observability.metrics import Metrics
from tests.harness import GATEWAY_PORT, Platform, eventually
from tests.test_faults import scalar
from tests.test_first_flow import plan_session

pytestmark = pytest.mark.integration

CONSUMERS = [BOOKINGS, LOANS, EVENTS, FINANCE, NOTIFY]
# Beside the session's broker (its port and the next): the cluster's three nodes.
KAFKA_PORT = int(os.environ.get("TFT_TEST_KAFKA_PORT", "29092")) + 2
# Between the session platform's gateway and its services: this platform's block.
BASE_PORT = GATEWAY_PORT + 40
PARTITIONS = 6  # three per replica of a group
BURST = 90  # bookings, each cancelled again: two events per booking


@pytest.fixture(scope="module")
def cluster(test_home):
    nodes = KafkaCluster(
        test_home / "cluster",
        3,
        port=KAFKA_PORT,
        controller_port=KAFKA_PORT + 1,
        libs=ensure_kafka_libs(),
        heap="384m",
    )
    try:
        nodes.start()
        nodes.wait_ready(timeout=120)
        asyncio.run(create_topics(nodes.admin, ALL_TOPICS, partitions=PARTITIONS))
        asyncio.run(apply_acls(nodes.admin, platform_acls()))
        yield nodes
    finally:
        nodes.stop()


@pytest.fixture(scope="module")
def replicated(cluster, postgres, test_home):
    services = ["bookings", "loans", "events", "finance", "notify", "directory"]
    running = Platform(
        kafka=cluster,
        postgres=postgres,
        home=test_home / "cluster-platform",
        gateway_port=BASE_PORT,
        web_port=None,
        database_prefix="tft_cluster_",
        service_ports={name: BASE_PORT + 1 + i for i, name in enumerate(services)},
        replicas={spec.name: 2 for spec in CONSUMERS},
    )
    running.start()
    yield running
    running.stop()


def test_a_broker_and_a_replica_of_each_consumer_killed_in_a_burst_lose_nothing(
    replicated: Platform,
):
    session = plan_session(replicated, capacity=BURST, days_ahead=20)
    token = replicated.token("element")
    body = {
        "session_id": session["id"],
        "group": {"name": "cluster", "level": "vmbo-gl", "year": 4, "students": 1},
    }
    client = httpx.Client(timeout=30)

    def book_and_cancel(_) -> str:
        booked = client.post(f"{replicated.gateway}/bookings", headers=token, json=body)
        assert booked.status_code == 201, booked.text
        booking_id = booked.json()["id"]
        cancelled = client.post(f"{replicated.gateway}/bookings/{booking_id}/cancel", headers=token)
        assert cancelled.status_code == 200, cancelled.text
        return booking_id

    with client, ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(book_and_cancel, range(BURST // 3)))
        replicated.kafka.node(1).kill()
        ids += pool.map(book_and_cancel, range(BURST // 3))
        for spec in CONSUMERS:  # the replicas the gateway does not call: consumers alone
            replicated.processes[f"{spec.name}-2"].kill()
        ids += pool.map(book_and_cancel, range(BURST - 2 * (BURST // 3)))
    assert len(set(ids)) == BURST

    every_group_caught_up(replicated)
    each_booking_confirmed_then_cancelled_once_on_kafka(replicated, ids)
    each_school_told_once_in_order(replicated, ids)
    loans_applied_every_cancellation_once(replicated)


def every_group_caught_up(platform: Platform) -> None:
    """The lag each service reports on /metrics, measured as it does, down to zero."""
    monitor = LagMonitor(
        platform.kafka.admin,
        {c.name: list(c.topics) for spec in CONSUMERS for c in spec.consumers},
        Metrics(),
    )

    def caught_up() -> dict | None:
        try:  # until the cluster fenced the dead broker, a request may go its way
            lags = asyncio.run(monitor.measure())
        except KafkaError:
            return None
        return lags if lags and not any(lags.values()) else None

    lags = eventually(caught_up, timeout=90, interval=1)
    assert {group for group, _ in lags} == {spec.name for spec in CONSUMERS}


def each_booking_confirmed_then_cancelled_once_on_kafka(platform: Platform, ids: list[str]) -> None:
    """In partition order, the first copy of each event (a relay retry may publish one
    twice; the inbox absorbs that): confirmed, then cancelled."""
    seen: dict[str, list[str]] = {booking_id: [] for booking_id in ids}
    event_ids: set[bytes] = set()
    for record in asyncio.run(read_topic(platform.kafka.admin, BOOKING)):
        headers = dict(record.headers)
        key = record.key.decode()
        if key in seen and headers["ce_id"] not in event_ids:
            event_ids.add(headers["ce_id"])
            seen[key].append(headers["ce_type"].decode())
    expected = [BookingConfirmedV1.event_type, BookingCancelledV1.event_type]
    assert {k: v for k, v in seen.items() if v != expected} == {}


def each_school_told_once_in_order(platform: Platform, ids: list[str]) -> None:
    """The school's own inbox has one confirmation and one cancellation per booking, the
    cancellation not before the confirmation."""

    def count(message_type: str) -> int:
        return scalar(
            platform,
            "notify",
            "select count(*) from notifications where person_id = '' and "
            "message_type = :type and about = any(:ids)",
            type=message_type,
            ids=ids,
        )

    assert (count("booking_confirmed"), count("booking_cancelled")) == (BURST, BURST)
    reversed_order = scalar(
        platform,
        "notify",
        "select count(*) from notifications c join notifications x on x.about = c.about"
        " and x.person_id = '' and x.message_type = 'booking_cancelled'"
        " where c.person_id = '' and c.message_type = 'booking_confirmed'"
        " and c.about = any(:ids) and x.created_at < c.created_at",
        ids=ids,
    )
    assert reversed_order == 0


def loans_applied_every_cancellation_once(platform: Platform) -> None:
    """Every cancellation bookings published (the demo's too) is in loans' inbox once."""

    def count(service: str, table: str) -> int:
        return scalar(
            platform,
            service,
            f"select count(*) from {table} where event_type = :t",
            t=BookingCancelledV1.event_type,
        )

    assert count("loans", "inbox") == count("bookings", "outbox") >= BURST
