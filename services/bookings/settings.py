"""Settings of the bookings service: its clock and the deadline for loans' answer."""

from datetime import UTC, datetime

from pydantic import Field

from shared.settings import ServiceSettings


class BookingsSettings(ServiceSettings):
    # Pinning the moment (TFT_BOOKINGS_NOW) lets a test or a demo play a later time, such as
    # a session having begun, without waiting for it.
    bookings_now: datetime | None = None
    # A booking `requested` longer than this is reported (metric and log): loans' answer is
    # lost or dead-lettered. The scan runs every `bookings_unanswered_scan_seconds`.
    bookings_answer_deadline_minutes: float = Field(default=60.0, gt=0)
    bookings_unanswered_scan_seconds: float = Field(default=60.0, gt=0)

    def now(self) -> datetime:
        return self.bookings_now or datetime.now(UTC)
