"""A booking still `requested` past the deadline for loans' answer is reported (a gauge and
a log line naming it) until the saga decides it or the backoffice cancels it."""

from datetime import timedelta

import pytest
from prometheus_client import CollectorRegistry, Gauge
from structlog.testing import capture_logs

from services.bookings import commands
from services.bookings.tests.scenario import BACKOFFICE, group, plan_session, school
from services.bookings.tests.test_saga import answer, asked, reserved
from services.bookings.unanswered import report_unanswered


@pytest.fixture
def gauge() -> Gauge:
    return Gauge("unanswered", "test", registry=CollectorRegistry())


def level(gauge: Gauge) -> float:
    [metric] = gauge.collect()
    return metric.samples[0].value


async def waiting_booking(rt):
    session_id = await plan_session(rt, capacity=30, equipment=("robot",))
    placed = await commands.book(rt, school(), session_id, group(20))
    assert placed.booking.status == "requested"
    return placed.booking


async def test_a_booking_waiting_past_the_deadline_is_reported_by_id(rt, gauge):
    booking = await waiting_booking(rt)
    deadline = timedelta(minutes=rt.settings.bookings_answer_deadline_minutes)

    assert await report_unanswered(rt, gauge, booking.updated_at + deadline) == 0
    with capture_logs() as logs:
        assert await report_unanswered(rt, gauge, booking.updated_at + deadline * 1.1) == 1
    assert level(gauge) == 1
    [line] = [e for e in logs if e["event"].startswith("bookings wait for loans' answer")]
    assert (line["log_level"], line["booking_ids"]) == ("warning", [str(booking.id)])


async def test_cancelling_the_waiting_booking_resolves_it(rt, gauge):
    booking = await waiting_booking(rt)
    later = booking.updated_at + timedelta(days=1)
    assert await report_unanswered(rt, gauge, later) == 1

    await commands.cancel(rt, BACKOFFICE, booking.id)

    assert await report_unanswered(rt, gauge, later) == 0
    assert level(gauge) == 0


async def test_the_answer_arriving_late_resolves_it(rt, gauge):
    booking = await waiting_booking(rt)
    later = booking.updated_at + timedelta(days=1)
    assert await report_unanswered(rt, gauge, later) == 1

    [request] = await asked(rt)
    await answer(rt, reserved(request))  # as a replay of the dead-lettered answer brings it

    assert await report_unanswered(rt, gauge, later) == 0
