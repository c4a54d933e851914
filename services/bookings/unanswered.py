"""Bookings still `requested` past a deadline: loans' answer (or the request) was lost or
dead-lettered, and the group's seats are held meanwhile.

Each scan sets `tft_bookings_unanswered` and logs the longest waiting bookings, for an
alert; the backoffice finds them with `GET /api/v1/bookings?status=requested` (their
`updated_at` is when they began waiting). Resolving one: replay the dead-lettered request or
answer (`python -m ops dlt replay`), after which the saga decides it, or cancel the booking,
which frees its seats and lets the session's equipment go.
"""

from datetime import datetime, timedelta

from prometheus_client import Gauge

from services.bookings import queries
from services.bookings.settings import BookingsSettings
from shared.observability.logging import log
from shared.periodic import Periodic
from shared.service import Runtime

SHOWN = 20  # booking ids per log line


async def report_unanswered(rt: Runtime[BookingsSettings], gauge: Gauge, now: datetime) -> int:
    """Count (and log) the bookings waiting longer than the deadline; return how many."""
    deadline = timedelta(minutes=rt.settings.bookings_answer_deadline_minutes)
    count, longest = await queries.unanswered(rt, now - deadline, SHOWN)
    gauge.set(count)
    if count:
        log.warning(
            "bookings wait for loans' answer past the deadline",
            count=count,
            deadline_minutes=deadline.total_seconds() / 60,
            booking_ids=[str(i) for i in longest],
        )
    return count


async def watch_unanswered_forever(rt: Runtime[BookingsSettings]) -> None:
    """The periodic scan, every `bookings_unanswered_scan_seconds`, starting at startup."""
    gauge = Gauge(
        "tft_bookings_unanswered",
        "Bookings still requested past the deadline for loans' answer",
        registry=rt.metrics.registry,
    )
    await Periodic(  # the store down: the next round tries again
        lambda: report_unanswered(rt, gauge, rt.clock.now()),
        rt.settings.bookings_unanswered_scan_seconds,
        "unanswered bookings scan failed",
    ).run()
