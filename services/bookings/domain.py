"""Booking rules, free of I/O: what may be booked, by whom, and what each change tells."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from shared.contracts.common import Group
from shared.domain import Refused, sees_school

# A lesson needs preparation at the hotspot (room, instructor, materials).
MIN_LEAD_TIME = timedelta(days=1)


class BookingStatus(StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


class BookingRefused(Refused):
    title = "Booking refused"


@dataclass(frozen=True)
class SessionFacts:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seats_taken: int

    @property
    def seats_left(self) -> int:
        return self.capacity - self.seats_taken

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


def check_bookable(session: SessionFacts, group: Group, now: datetime) -> None:
    if session.starts_at - now < MIN_LEAD_TIME:
        raise BookingRefused("sessions must be booked at least one day ahead", 422)
    if group.students > session.capacity:
        raise BookingRefused(
            f"the group ({group.students}) is larger than the session ({session.capacity})", 422
        )
    if group.students > session.seats_left:
        raise BookingRefused(f"only {session.seats_left} seats left for {group.students} students")


def may_see(role: str, organisation: str, booking_school: str) -> bool:
    return sees_school(role, organisation, booking_school)


def cancel(status: BookingStatus) -> BookingStatus:
    if status not in (BookingStatus.CONFIRMED, BookingStatus.REQUESTED, BookingStatus.WAITLISTED):
        raise BookingRefused(f"a {status} booking cannot be cancelled")
    return BookingStatus.CANCELLED


def complete(status: BookingStatus) -> BookingStatus:
    if status is not BookingStatus.CONFIRMED:
        raise BookingRefused(f"a {status} booking cannot be completed")
    return BookingStatus.COMPLETED


def releases_seats(old: BookingStatus, new: BookingStatus) -> bool:
    return old is BookingStatus.CONFIRMED and new is BookingStatus.CANCELLED
