"""The overdue scan: loans not back after their last day are reported once each.

What was reported is stored with the loan (`overdue_notified_at`, set in the transaction that
stages the notice), so a restart or a second replica never reports a loan twice, and a scan
missed while the service was down is made up by the next one.
"""

from datetime import date

from prometheus_client import Counter

from services.loans import domain
from services.loans.commands import reservation_facts
from services.loans.settings import LoansSettings
from services.loans.store import Item, overdue_to_notify
from shared.contracts.loans import ReservationOverdueV1
from shared.domain import local_date
from shared.observability.logging import log
from shared.periodic import Periodic
from shared.service import Runtime
from shared.store.db import existing

# Loans reported per transaction: a long backlog is worked off in several.
BATCH = 200


async def report_overdue(rt: Runtime, today: date) -> int:
    """Report every checked-out loan that ended before `today` and was not reported yet;
    return how many were."""
    reported = 0
    while True:
        async with rt.db.transaction() as tx:
            due = await overdue_to_notify(tx, today, BATCH)
            now = rt.clock.now()
            for loan in due:
                loan.overdue_notified_at = now
                item = await existing(tx, Item, loan.item_id)
                await rt.outbox.stage(
                    tx,
                    ReservationOverdueV1(
                        **reservation_facts(loan, item),
                        days_overdue=domain.days_overdue(loan.ends_on, today),
                    ),
                )
        reported += len(due)
        if len(due) < BATCH:
            return reported


async def scan_overdue_forever(rt: Runtime[LoansSettings]) -> None:
    """The periodic task, every `loans_overdue_scan_seconds`, starting at startup."""
    scans = Counter(
        "tft_loans_overdue_scans", "Overdue scans completed", registry=rt.metrics.registry
    )
    notices = Counter(
        "tft_loans_overdue_reported", "Overdue loans reported", registry=rt.metrics.registry
    )

    async def scan() -> None:
        reported = await report_overdue(rt, local_date(rt.clock.now()))
        scans.inc()
        notices.inc(reported)
        if reported:
            log.info("overdue loans reported", count=reported)

    # The store down: the next round tries again, never giving up.
    await Periodic(scan, rt.settings.loans_overdue_scan_seconds, "overdue scan failed").run()
