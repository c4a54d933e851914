"""Settings of the loans service: its clock and how often it looks for overdue loans."""

from datetime import UTC, date, datetime

from pydantic import Field

from shared.domain import local_date
from shared.settings import ServiceSettings


class LoansSettings(ServiceSettings):
    # Loans run in whole days of Europe/Amsterdam. Pinning "today" (TFT_LOANS_TODAY) lets a
    # test or a demo play a later date without waiting for it.
    loans_today: date | None = None
    # How often the overdue scan runs; a loan is reported at most this long after its day.
    loans_overdue_scan_seconds: float = Field(default=300.0, gt=0)

    def today(self) -> date:
        return self.loans_today or local_date(datetime.now(UTC))
