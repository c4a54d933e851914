"""Settings of the bookings service: its clock and the deadline for loans' answer."""

from datetime import datetime

from pydantic import Field

from shared.clock import Clock, ClockFrom
from shared.settings import ServiceSettings


class BookingsSettings(ServiceSettings):
    # Setting the clock (TFT_BOOKINGS_NOW) lets a test or a demo play a later time, such as
    # a session having begun, without waiting for it; it runs on from there.
    bookings_now: datetime | None = None
    # A booking `requested` longer than this is reported (metric and log): loans' answer is
    # lost or dead-lettered. The scan runs every `bookings_unanswered_scan_seconds`.
    bookings_answer_deadline_minutes: float = Field(default=60.0, gt=0)
    bookings_unanswered_scan_seconds: float = Field(default=60.0, gt=0)

    def clock(self) -> Clock:
        return ClockFrom(self.bookings_now) if self.bookings_now else super().clock()
