"""Loan rules, free of I/O: periods, free units of a kit, and who sees which reservations."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared.domain import AMSTERDAM, BACKOFFICE, SCHOOL, Refused


class ItemStatus(StrEnum):
    AVAILABLE = "available"
    IN_REPAIR = "in_repair"
    RETIRED = "retired"


class ReservationStatus(StrEnum):
    RESERVED = "reserved"
    RELEASED = "released"


# Statuses whose units are taken for the period; later ones (picked up, ...) join here.
HOLDING = frozenset({ReservationStatus.RESERVED})


class LoanRefused(Refused):
    title = "Loan refused"


@dataclass(frozen=True)
class Period:
    """Whole days, both ends inclusive: equipment goes out for days, not hours."""

    starts_on: date
    ends_on: date

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise LoanRefused("a period must not end before it starts", 422)

    def overlaps(self, other: "Period") -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Claim:
    """Units of one item held by a reservation for its period."""

    period: Period
    quantity: int


def lesson_period(starts_at: datetime, ends_at: datetime) -> Period:
    # An end at local midnight belongs to the day before: the kit is back by then.
    last_moment = ends_at - timedelta(microseconds=1) if ends_at > starts_at else ends_at
    return Period(starts_at.astimezone(AMSTERDAM).date(),
                  last_moment.astimezone(AMSTERDAM).date())


def units_free(quantity: int, claims: Iterable[Claim], period: Period) -> int:
    """Units of a kit free on every day of `period`.

    Claims that never overlap each other may share units, so what counts is the busiest
    day, not the sum: that day is the period's first day or a day some claim starts.
    """
    overlapping = [c for c in claims if c.period.overlaps(period)]
    busiest_candidates = {period.starts_on} | {
        c.period.starts_on for c in overlapping if period.contains(c.period.starts_on)
    }
    busiest = max(
        sum(c.quantity for c in overlapping if c.period.contains(day))
        for day in busiest_candidates
    )
    return max(0, quantity - busiest)


@dataclass(frozen=True)
class Stock:
    """An item of a category with its units free for a period."""

    item_id: str
    quantity: int
    free: int


def item_for_lesson(stock: Sequence[Stock]) -> Stock | None:
    """A lesson uses a whole kit (one class set): the first item with all its units free."""
    return next((s for s in stock if s.quantity > 0 and s.free == s.quantity), None)


def visible_school(role: str, organisation: str) -> str | None:
    """Whose reservations a caller may list: one school's, or everyone's (None)."""
    if role == BACKOFFICE:
        return None
    if role == SCHOOL and organisation:
        return organisation
    raise LoanRefused(f"role {role!r} may not see reservations", 403)
