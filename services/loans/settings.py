"""Settings of the loans service: its clock and how often it looks for overdue loans."""

from datetime import date, datetime, time

from pydantic import Field

from shared.clock import Clock, ClockFrom
from shared.domain import AMSTERDAM
from shared.settings import ServiceSettings


class LoansSettings(ServiceSettings):
    # Loans run in whole days of Europe/Amsterdam. Setting "today" (TFT_LOANS_TODAY) lets a
    # test or a demo play a later date without waiting for it: the clock starts at its noon.
    loans_today: date | None = None
    # How often the overdue scan runs; a loan is reported at most this long after its day.
    loans_overdue_scan_seconds: float = Field(default=300.0, gt=0)

    def clock(self) -> Clock:
        if self.loans_today is None:
            return super().clock()
        return ClockFrom(datetime.combine(self.loans_today, time(12), AMSTERDAM))
