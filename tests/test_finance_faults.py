"""Finance end to end, with real processes, a real broker and PostgreSQL: a completed
lesson becomes exactly one draft line (and one announcement of it), however often its event
arrives and even when finance is killed between committing the line and publishing it; a
company's hosting becomes co-financing, and the XLSX report, downloaded through the gateway,
holds the API's totals."""

import asyncio
import io
import json
import time
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from openpyxl import load_workbook

from services.finance.domain import quarter_of
from shared.contracts.bookings import BookingCompletedV2
from shared.contracts.events import SessionHostedV1
from shared.contracts.topics import BOOKING, DECLARATION, EVENT, dead_letter_topic, event_source
from shared.domain import AMSTERDAM
from shared.messaging.envelope import Envelope
from shared.seed.region import LEAD_SCHOOL_ID
from tests.harness import Platform, eventually
from tests.test_faults import produce, scalar

pytestmark = pytest.mark.integration


def completed_lesson(school: str = "trivium") -> BookingCompletedV2:
    starts = datetime.now(UTC) - timedelta(hours=3)
    return BookingCompletedV2(
        booking_id=uuid4(),
        session_id=uuid4(),
        offering_id="test",
        offering_title="Testles",
        school_id=school,
        group={"name": "2C", "level": "vmbo-kb", "year": 2, "students": 18},
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        location="Hotspot",
        delivered_minutes=120,
        instructor_minutes=120,
        students_reached=18,
        core_task="A",
    )


def read_to_end(platform: Platform, topic: str) -> list:
    """Every record of the topic: fetches until one fetch comes back empty."""

    async def run():
        consumer = AIOKafkaConsumer(
            topic,
            **platform.kafka.admin.options(),
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            records = []
            while batches := await consumer.getmany(timeout_ms=2000):
                records += [r for batch in batches.values() for r in batch]
            return records
        finally:
            await consumer.stop()

    return asyncio.run(run())


def drafted_announcements(platform: Platform, source_event_id: str) -> list[dict]:
    payloads = [json.loads(r.value) for r in read_to_end(platform, DECLARATION)]
    return [p for p in payloads if p.get("source_event_id") == source_event_id]


def test_a_completed_lesson_is_one_line_despite_redelivery_and_a_killed_finance(
    platform: Platform,
):
    finance = platform.processes["finance"]
    finance.stop()
    platform.restart("finance", TFT_OUTBOX_RELAY="false")  # commits lines, never publishes
    event = completed_lesson()
    envelope = Envelope.new(
        type=event.event_type, source=event_source("bookings"), subject=event.subject()
    )
    message = (event.model_dump_json().encode(), envelope.to_headers())
    produce(platform, [message, message])  # delivered twice

    lines_sql = "select count(*) from declaration_lines where source_event_id = :id"
    eventually(lambda: scalar(platform, "finance", lines_sql, id=envelope.id) == 1)
    unpublished = scalar(
        platform,
        "finance",
        "select count(*) from outbox where published_at is null and payload like :like",
        like=f"%{envelope.id}%",
    )
    assert unpublished == 1
    finance.kill()  # SIGKILL mid-way: the line is in, its announcement is not out
    produce(platform, [message])  # and once more while finance is down
    platform.restart("finance")

    [announced] = eventually(lambda: drafted_announcements(platform, envelope.id), timeout=60)
    assert (announced["school_id"], announced["booking_id"]) == ("trivium", str(event.booking_id))
    time.sleep(2)  # a duplicate line or announcement would be there by now
    assert scalar(platform, "finance", lines_sql, id=envelope.id) == 1
    assert len(drafted_announcements(platform, envelope.id)) == 1


def test_a_company_hosting_is_cofinancing_and_the_xlsx_report_holds_the_apis_totals(
    platform: Platform,
):
    held_on = datetime.now(AMSTERDAM).date()
    event = SessionHostedV1(
        hosting_id=uuid4(),
        event_id="techevent",
        event_title="Techevent",
        session_id=uuid4(),
        session_title="Robotarm programmeren",
        host_kind="company",
        host="voorbeeld-metaal",
        host_name="Voorbeeld Metaal",
        minutes=180,
        held_on=held_on,
        students_reached=30,
    )
    envelope = Envelope.new(
        type=event.event_type, source=event_source("events"), subject=event.subject()
    )
    message = (event.model_dump_json().encode(), envelope.to_headers())
    produce(platform, [message, message], topic=EVENT)

    quarter = f"{held_on.year}-Q{(held_on.month - 1) // 3 + 1}"
    finance = platform.token("finance")

    def cofinancing():
        response = httpx.get(
            f"{platform.gateway}/finance/declaration-lines",
            headers=finance,
            params={"school_id": LEAD_SCHOOL_ID, "quarter": quarter},
        )
        if response.status_code == 503:  # the gateway's breaker, still open after a kill
            return []
        response.raise_for_status()
        return [line for line in response.json() if line["source_event_id"] == envelope.id]

    [line] = eventually(cofinancing)
    assert (line["kind"], line["core_task"], line["company"], line["minutes"]) == (
        "cofinancing",
        "D",
        "voorbeeld-metaal",
        180,
    )

    api = httpx.get(
        f"{platform.gateway}/finance/reports/quarter", headers=finance, params={"quarter": quarter}
    ).json()
    xlsx = httpx.get(
        f"{platform.gateway}/finance/reports/quarter",
        headers=finance,
        params={"quarter": quarter, "format": "xlsx"},
    )
    assert xlsx.status_code == 200
    assert f'filename="declaraties-{quarter}.xlsx"' in xlsx.headers["content-disposition"]
    _, header, *rows, totals = load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(
        values_only=True
    )
    assert len(rows) == len(api["rows"])
    last = dict(zip(header, totals, strict=True))
    assert {column: last[column] for column in api["totals"]} == api["totals"]
    assert api["totals"]["cofinancing_cents"] >= line["amount_cents"] > 0


def test_a_completion_is_declared_under_its_core_task_and_an_old_one_under_a(
    platform: Platform,
):
    new = completed_lesson("nxt").model_copy(update={"core_task": "D"})
    old = completed_lesson("nxt").model_dump(mode="json", exclude={"core_task"})
    envelopes = [
        Envelope.new(type=new.event_type, source=event_source("bookings"), subject=new.subject()),
        Envelope.new(
            type="nl.tisfortech.bookings.booking.completed.v1",
            source=event_source("bookings"),
            subject=old["booking_id"],
        ),
    ]
    produce(
        platform,
        [
            (new.model_dump_json().encode(), envelopes[0].to_headers()),
            (json.dumps(old).encode(), envelopes[1].to_headers()),
        ],
    )

    finance = platform.token("finance")

    def core_tasks():
        response = httpx.get(
            f"{platform.gateway}/finance/declaration-lines",
            headers=finance,
            params={"school_id": "nxt", "quarter": quarter_of(new.starts_at)},
        )
        response.raise_for_status()
        by_source = {line["source_event_id"]: line["core_task"] for line in response.json()}
        tasks = [by_source.get(e.id) for e in envelopes]
        return None if None in tasks else tasks

    assert eventually(core_tasks) == ["D", "A"]


def test_a_completion_not_sent_by_bookings_drafts_no_line_and_is_dead_lettered(
    platform: Platform,
):
    event = completed_lesson("corlaer")
    forged = Envelope.new(
        type=event.event_type, source=event_source("events"), subject=event.subject()
    )
    produce(platform, [(event.model_dump_json().encode(), forged.to_headers())])

    def dead_lettered_by_finance():
        return [
            dict(r.headers)
            for r in read_to_end(platform, dead_letter_topic(BOOKING))
            if dict(r.headers).get("ce_id") == forged.id.encode()
            and dict(r.headers).get("dlt_consumer") == b"finance"
        ]

    [headers] = eventually(dead_lettered_by_finance)
    assert headers["dlt_reason"].decode() == (
        "source '/tft/events' is not the owner of tft.bookings.booking ('/tft/bookings')"
    )
    lines_sql = "select count(*) from declaration_lines where source_event_id = :id"
    assert scalar(platform, "finance", lines_sql, id=forged.id) == 0
