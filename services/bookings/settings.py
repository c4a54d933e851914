"""Settings of the bookings service: its clock."""

from datetime import UTC, datetime

from shared.settings import ServiceSettings


class BookingsSettings(ServiceSettings):
    # Pinning the moment (TFT_BOOKINGS_NOW) lets a test or a demo play a later time, such as
    # a session having begun, without waiting for it.
    bookings_now: datetime | None = None

    def now(self) -> datetime:
        return self.bookings_now or datetime.now(UTC)
