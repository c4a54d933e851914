"""Booking rules, free of I/O: what may be booked, by whom, and what each change tells."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from shared.contracts.common import Group
from shared.domain import Refused, first_groups_that_fit, sees_school

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

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass(frozen=True)
class Slot:
    """Where, with whom and when a session takes place: what two sessions may not share."""

    room: str
    instructor: str
    starts_at: datetime
    ends_at: datetime


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    # Half-open periods: a session may start the minute the previous one ends.
    return a_start < b_end and b_start < a_end


def clash(planned: Slot, other: Slot) -> str | None:
    """What the two sessions would have in two places at once ("room" or "instructor")."""
    if not overlaps(planned.starts_at, planned.ends_at, other.starts_at, other.ends_at):
        return None
    if planned.room == other.room:
        return "room"
    if planned.instructor == other.instructor:
        return "instructor"
    return None


def clash_refused(resource: str, slot: Slot, other_session: object = None) -> BookingRefused:
    value = slot.room if resource == "room" else slot.instructor
    return BookingRefused(
        f"{resource} {value!r} is already in a session at that time", 409,
        conflict={"resource": resource, "value": value,
                  "session_id": str(other_session) if other_session else None})


def check_bookable(session: SessionFacts, group: Group, now: datetime) -> None:
    """Whether a group may ask for the session at all. Free seats are not checked here:
    the store takes them atomically, and a group that finds none joins the waitlist."""
    if session.starts_at - now < MIN_LEAD_TIME:
        raise BookingRefused("sessions must be booked at least one day ahead", 422)
    if group.students > session.capacity:
        raise BookingRefused(
            f"the group ({group.students}) is larger than the session ({session.capacity})", 422
        )


BookingId = TypeVar("BookingId", bound=Hashable)


def promotions(free_seats: int, waiting: Sequence[tuple[BookingId, int]]) -> list[BookingId]:
    """The waiting groups (id, students), in waitlist order, that freed seats confirm."""
    return first_groups_that_fit(free_seats, waiting)


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


def seated(needs_equipment: bool) -> BookingStatus:
    """A seated group is confirmed at once, unless loans must first reserve its equipment."""
    return BookingStatus.REQUESTED if needs_equipment else BookingStatus.CONFIRMED


def awaits_equipment(status: BookingStatus) -> bool:
    """Whether loans' answer still decides the booking. Any other status means the booking
    moved on (cancelled meanwhile): the answer changes nothing here, and a reservation made
    for it is released by the cancellation loans receives."""
    return status is BookingStatus.REQUESTED


def releases_seats(old: BookingStatus, new: BookingStatus) -> bool:
    # A requested booking holds its seats while loans answers.
    return (old in (BookingStatus.CONFIRMED, BookingStatus.REQUESTED)
            and new is BookingStatus.CANCELLED)
