"""The overdue scan across a crash, with real processes, PostgreSQL and Kafka: loans is
killed (SIGKILL) after its scan committed the notices and before they were published; after
the restart each overdue loan is reported exactly once on the topic, however often the scan
runs again, and notify tells each school once."""

import asyncio
import re
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from shared.contracts.loans import ReservationOverdueV1
from shared.contracts.topics import LOAN_RESERVATION
from shared.domain import local_date
from tests.harness import Platform, eventually
from tests.test_faults import scalar
from tests.test_first_flow import notifications_about

pytestmark = pytest.mark.integration

OVERDUE = ReservationOverdueV1.event_type


def lend(platform: Platform, item_id: str, school: str, first: date, last: date) -> str:
    """Reserved for `school` by the backoffice and checked out today."""
    backoffice = platform.token("backoffice")
    made = httpx.post(
        f"{platform.gateway}/reservations",
        headers=backoffice,
        json={
            "item_id": item_id,
            "school_id": school,
            "starts_on": first.isoformat(),
            "ends_on": last.isoformat(),
        },
    )
    assert made.status_code == 201, made.text
    reservation_id = made.json()["id"]
    out = httpx.post(
        f"{platform.gateway}/reservations/{reservation_id}/check-out",
        headers=backoffice,
        json={"condition_note": "compleet"},
    )
    assert out.status_code == 200, out.text
    return reservation_id


def overdue_notices(platform: Platform, reservation_ids: set[str]) -> list[dict]:
    """Every ReservationOverdueV1 on the topic about these reservations, read to its end."""

    async def run():
        consumer = AIOKafkaConsumer(
            LOAN_RESERVATION,
            **platform.kafka.admin.options(),
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            records, ends = [], None
            while ends is None or any(
                [await consumer.position(tp) < end for tp, end in ends.items()]
            ):
                batches = await consumer.getmany(timeout_ms=500)
                records += [r for rs in batches.values() for r in rs]
                if ends is None and consumer.assignment():  # all partitions: no group
                    ends = await consumer.end_offsets(list(consumer.assignment()))
            return records
        finally:
            await consumer.stop()

    records = asyncio.run(run())
    return [
        {"key": r.key.decode(), "value": r.value}
        for r in records
        if dict(r.headers).get("ce_type") == OVERDUE.encode() and r.key.decode() in reservation_ids
    ]


def overdue_messages(platform: Platform, school: str, reservation_id: str) -> list[dict]:
    return [
        n
        for n in notifications_about(platform, school, reservation_id)
        if n["message_type"] == "loan_overdue"
    ]


def scans_done(platform: Platform) -> int:
    metrics = httpx.get(f"http://127.0.0.1:{platform.processes['loans'].port}/metrics").text
    found = re.search(r"^tft_loans_overdue_scans_total (\S+)$", metrics, re.MULTILINE)
    return int(float(found.group(1))) if found else 0


def test_the_overdue_scan_after_a_restart_sends_each_overdue_notice_once(platform: Platform):
    today = local_date(datetime.now(UTC))
    tomorrow = today + timedelta(days=1)
    late_of = {
        "corlaer": lend(platform, "tft-h2-001", "corlaer", today, tomorrow),
        "nxt": lend(platform, "tft-ev-001", "nxt", today, tomorrow),
    }
    late = set(late_of.values())
    in_time = lend(platform, "tft-ev-002", "trivium", today, tomorrow)
    back = httpx.post(
        f"{platform.gateway}/reservations/{in_time}/return",
        headers=platform.token("backoffice"),
        json={"condition": "goed"},
    )
    assert back.status_code == 200, back.text
    ours = late | {in_time}
    keys = ", ".join(f"'{k}'" for k in sorted(ours))

    # Three days after the last day, scanning every half second, publishing nothing.
    later = {
        "TFT_LOANS_TODAY": (tomorrow + timedelta(days=3)).isoformat(),
        "TFT_LOANS_OVERDUE_SCAN_SECONDS": "0.5",
    }
    loans = platform.processes["loans"]
    try:
        loans.stop()
        platform.restart("loans", TFT_OUTBOX_RELAY="false", **later)
        eventually(
            lambda: (
                scalar(
                    platform,
                    "loans",
                    f"select count(*) from outbox where event_type = :type and key in ({keys})",
                    type=OVERDUE,
                )
                == 2
            )
        )
        eventually(lambda: scans_done(platform) >= 2)  # scans went on after reporting
        loans.kill()  # SIGKILL while it scans: committed, never published
        assert overdue_notices(platform, ours) == []

        platform.restart("loans", **later)
        eventually(lambda: len(overdue_notices(platform, ours)) >= 2)
        eventually(lambda: scans_done(platform) >= 3)  # rescanned after the restart
        notices = overdue_notices(platform, ours)
        assert sorted(n["key"] for n in notices) == sorted(late)
        assert all(
            ReservationOverdueV1.model_validate_json(n["value"]).days_overdue == 3 for n in notices
        )
        for school, loan in late_of.items():  # and notify tells each school once
            eventually(lambda s=school, r=loan: overdue_messages(platform, s, r))
            assert len(overdue_messages(platform, school, loan)) == 1
    finally:
        loans.stop()
        platform.restart("loans")  # the real clock again for the tests that follow


def test_through_the_gateway_a_school_sees_only_its_own_loans_and_only_the_backoffice_lends(
    platform: Platform,
):
    day = local_date(datetime.now(UTC)) + timedelta(days=340)  # within the loan horizon
    corlaer, nxt = platform.token("corlaer"), platform.token("nxt")
    made = httpx.post(
        f"{platform.gateway}/reservations",
        headers=corlaer,
        json={"item_id": "tft-3dp-001", "starts_on": day.isoformat(), "ends_on": day.isoformat()},
    )
    assert made.status_code == 201, made.text
    mine = f"{platform.gateway}/reservations/{made.json()['id']}"

    assert httpx.get(mine, headers=corlaer).json()["status"] == "reserved"
    assert httpx.get(mine, headers=nxt).status_code == 404
    assert httpx.post(f"{mine}/cancel", headers=nxt).status_code == 404
    assert httpx.post(f"{mine}/check-out", headers=corlaer, json={}).status_code == 403
    assert (
        httpx.post(f"{mine}/return", headers=corlaer, json={"condition": "goed"}).status_code == 403
    )
    item = httpx.get(f"{platform.gateway}/equipment/tft-3dp-001", headers=nxt).json()
    assert (item["asset_tag"], item["status"]) == ("TFT-3DP-001", "available")
    assert httpx.post(f"{mine}/cancel", headers=corlaer).json()["status"] == "released"
