"""Loan rules, free of I/O: periods, free units of a kit, alternatives, and who may act."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared.domain import AMSTERDAM, BACKOFFICE, SCHOOL, Refused, sees_school
from shared.dutch import dutch_date, equipment_noun


class ItemStatus(StrEnum):
    """Stored: available, in repair or retired. Checked out is shown, never stored: it follows
    from the item's loans (a kit may be out to two schools at once)."""

    AVAILABLE = "available"
    CHECKED_OUT = "checked_out"
    IN_REPAIR = "in_repair"
    RETIRED = "retired"


class ReservationStatus(StrEnum):
    RESERVED = "reserved"
    CHECKED_OUT = "checked_out"
    RETURNED = "returned"
    RELEASED = "released"


# Statuses whose units are taken for the period. Keep in step with the exclusion constraint
# (migration 0003).
HOLDING = frozenset({ReservationStatus.RESERVED, ReservationStatus.CHECKED_OUT})


# Defaults while the backoffice has set no policy of its own (table loan_policy).
# A school plans its loans for the coming school year, not further.
HORIZON_DAYS = 365
# Three weeks: long enough for a project period at school, short enough that one school does
# not keep a kit from the others for a whole term.
MAX_DAYS = 21


class LoanRefused(Refused):
    title = "Loan refused"


class Unavailable(LoanRefused):
    """The units asked are not free (or not lendable) for the period; 409."""


@dataclass(frozen=True)
class Period:
    """Whole days, both ends inclusive: equipment goes out for days, not hours."""

    starts_on: date
    ends_on: date

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise LoanRefused("een periode eindigt niet vóór haar begin", 422)

    def overlaps(self, other: "Period") -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def moved_to(self, starts_on: date) -> "Period":
        """The same number of days, starting on `starts_on`."""
        return Period(starts_on, starts_on + (self.ends_on - self.starts_on))


@dataclass(frozen=True)
class Claim:
    """Units of one item held by a reservation for its period."""

    period: Period
    quantity: int


def lesson_period(starts_at: datetime, ends_at: datetime) -> Period:
    # An end at local midnight belongs to the day before: the kit is back by then.
    last_moment = ends_at - timedelta(microseconds=1) if ends_at > starts_at else ends_at
    return Period(starts_at.astimezone(AMSTERDAM).date(), last_moment.astimezone(AMSTERDAM).date())


def units_free(quantity: int, claims: Iterable[Claim], period: Period) -> int:
    """Units of a kit free on every day of `period`.

    Claims that never overlap each other may share units, so what counts is the busiest
    day, not the sum: that day is the period's first day or a day some claim starts.
    """
    return max(0, quantity - units_held(claims, period))


@dataclass(frozen=True)
class Stock:
    """An item of a category with its units free for a period."""

    item_id: str
    quantity: int
    free: int


def item_for_lesson(stock: Sequence[Stock]) -> Stock | None:
    """A lesson uses a whole kit (one class set): the first item with all its units free."""
    return next((s for s in stock if s.quantity > 0 and s.free == s.quantity), None)


def no_kit_reason(category: str, period: Period) -> str:
    """Why a lesson's equipment could not be reserved, in the words the school reads."""
    days = (
        f"op {dutch_date(period.starts_on)}"
        if period.starts_on == period.ends_on
        else f"van {dutch_date(period.starts_on)} tot en met {dutch_date(period.ends_on)}"
    )
    return f"Er is {days} geen {equipment_noun(category)} vrij voor deze les."


def nearest(starts: Iterable[tuple[date | None, str]]) -> tuple[date, str] | None:
    """Of (later start, item id) options, the earliest start; None when none has one."""
    return min(((day, item_id) for day, item_id in starts if day is not None), default=None)


def visible_school(role: str, organisation: str) -> str | None:
    """Whose reservations a caller may list: one school's, or everyone's (None)."""
    if role == BACKOFFICE:
        return None
    if role == SCHOOL and organisation:
        return organisation
    raise LoanRefused(f"de rol {role} mag geen reserveringen zien", 403)


def free_stock(stock: Sequence[Stock], wanted: int) -> Stock | None:
    """The first item with at least `wanted` units free."""
    return next((s for s in stock if s.free >= wanted), None)


def lendable(status: str, loanable: bool) -> bool:
    """Whether an item may leave the hotspot: in service and not stationary."""
    return status == ItemStatus.AVAILABLE and loanable


def require_free(free: int, wanted: int) -> None:
    if wanted > free:
        raise Unavailable(f"maar {free} stuk(s) vrij in deze periode, {wanted} gevraagd")


@dataclass(frozen=True)
class HotspotCalendar:
    """What bookings tells of its calendar with a request: the days the hotspot is closed,
    up to `until` (None: every day is open, without end)."""

    closed: frozenset[date] = frozenset()
    until: date | None = None

    def first_open_from(self, day: date) -> date | None:
        while day in self.closed:
            day += timedelta(days=1)
        return None if self.until is not None and day > self.until else day


def next_free_start(
    quantity: int,
    claims: Sequence[Claim],
    period: Period,
    wanted: int,
    calendar: HotspotCalendar = HotspotCalendar(),
) -> date | None:
    """For a period that is taken: the first later start, on a day the hotspot is open,
    from which `wanted` units are free for as many days.

    Moving the start later only frees units when the window leaves a claim behind, so the
    candidates are the first open days from the days after claims end. None if `wanted`
    exceeds the item's units or nothing is free within the calendar.
    """
    if wanted > quantity:
        return None
    ends = sorted(
        {
            c.period.ends_on + timedelta(days=1)
            for c in claims
            if c.period.ends_on >= period.starts_on
        }
    )
    for after_claim in ends:
        day = calendar.first_open_from(after_claim)
        if day is None:
            return None
        if units_free(quantity, claims, period.moved_to(day)) >= wanted:
            return day
    return None


def require_backoffice(role: str, action: str) -> None:
    if role != BACKOFFICE:
        raise LoanRefused(f"alleen de backoffice {action}", 403)


def require_own(role: str, organisation: str, school_id: str) -> None:
    # Not 403: a school must not learn which reservations other schools hold.
    if not sees_school(role, organisation, school_id):
        raise LoanRefused("deze reservering bestaat niet", 404)


def shown_status(stored: str, units_out: int) -> ItemStatus:
    """An item in service with units out shows as checked out."""
    if stored == ItemStatus.AVAILABLE and units_out > 0:
        return ItemStatus.CHECKED_OUT
    return ItemStatus(stored)


def require_collectable(status: str, item_status: str, period: Period, today: date) -> None:
    """A reservation is checked out on a day of its period, with its item in service."""
    if status != ReservationStatus.RESERVED:
        raise LoanRefused(f"een reservering met status {status} kan niet worden uitgeleend")
    if item_status != ItemStatus.AVAILABLE:
        # A damaged item stays at the hotspot until the backoffice marks it repaired.
        raise Unavailable(f"het item heeft status {item_status}, het wordt niet uitgeleend")
    if not period.contains(today):
        raise LoanRefused(
            f"de reservering loopt van {period.starts_on} tot {period.ends_on}; "
            f"ze kan niet op {today} worden uitgeleend"
        )


def require_back_in_time(quantity: int, out: int, wanted: int) -> None:
    """An overdue loan still holds its units: the next one waits until they are back."""
    if out + wanted > quantity:
        raise Unavailable(
            f"{out} stuk(s) zijn nog niet terug; {quantity - out} hier, {wanted} uit te lenen"
        )


def require_out(status: str) -> None:
    if status != ReservationStatus.CHECKED_OUT:
        raise LoanRefused(f"een reservering met status {status} kan niet worden teruggebracht")


def require_in_repair(status: str) -> None:
    if status != ItemStatus.IN_REPAIR:
        raise LoanRefused(f"het item heeft status {status}, niet in reparatie")


def require_retirable(status: str, holding_ahead: int, units_out: int) -> None:
    """Retiring never breaks a promise: no loan out, no reservation ahead."""
    if status == ItemStatus.RETIRED:
        raise LoanRefused("het item is al afgeschreven")
    if units_out:
        raise LoanRefused(f"{units_out} stuk(s) zijn uitgeleend; neem ze eerst terug")
    if holding_ahead:
        raise LoanRefused(
            f"{holding_ahead} reservering(en) houden het item vanaf vandaag vast; "
            "annuleer ze of neem ze eerst terug"
        )


def days_overdue(ends_on: date, today: date) -> int:
    """Whole days a loan is late: zero on its last day, one the day after."""
    return max(0, (today - ends_on).days)


def require_cancellable(status: str, booking_id: object | None) -> None:
    if status == ReservationStatus.CHECKED_OUT:
        raise LoanRefused("een uitgeleende reservering wordt teruggebracht, niet geannuleerd")
    require_changeable(status, booking_id)


def require_changeable(status: str, booking_id: object | None) -> None:
    if status not in HOLDING:
        raise LoanRefused(f"een reservering met status {status} kan niet worden gewijzigd")
    if booking_id is not None:
        # The booking owns this reservation: changing it here would leave the two apart.
        raise LoanRefused("deze reservering hoort bij een boeking; wijzig de boeking")


@dataclass(frozen=True)
class Policy:
    """How far ahead and for how long the hotspot lends equipment; the backoffice sets it."""

    horizon_days: int = HORIZON_DAYS
    max_days: int = MAX_DAYS

    def last_day(self, today: date) -> date:
        """The latest day a reservation may run to."""
        return today + timedelta(days=self.horizon_days)


def _invalid(field: str, code: str, detail: str) -> LoanRefused:
    """A 422 naming the field at fault, shaped like the HTTP layer's field errors."""
    return LoanRefused(detail, 422, errors=[{"field": field, "message": detail, "code": code}])


def reservation_period(starts_on: date, ends_on: date, today: date, policy: Policy) -> Period:
    """The period of a new reservation: from today on (equipment waits on the shelf, so the
    same day is fine), in order, and within the policy."""
    if starts_on < today:
        raise _invalid(
            "starts_on",
            "in_past",
            f"Een reservering begint vandaag ({today:%d-%m-%Y}) of later, niet in het verleden.",
        )
    if ends_on < starts_on:
        raise _invalid(
            "ends_on",
            "before_start",
            "De laatste dag van een reservering ligt niet voor de eerste dag.",
        )
    period = Period(starts_on, ends_on)
    _require_within(period, today, policy)
    return period


def extended(period: Period, ends_on: date) -> Period:
    if ends_on <= period.ends_on:
        raise _invalid(
            "ends_on",
            "not_later",
            f"Een verlenging eindigt na de huidige laatste dag ({period.ends_on:%d-%m-%Y}).",
        )
    return Period(period.starts_on, ends_on)


def require_extension_allowed(longer: Period, today: date, policy: Policy) -> None:
    """An extension ends today or later and keeps the whole loan within the policy."""
    if longer.ends_on < today:
        raise _invalid(
            "ends_on",
            "in_past",
            f"Een verlenging eindigt vandaag ({today:%d-%m-%Y}) of later, niet in het verleden.",
        )
    _require_within(longer, today, policy)


def _require_within(period: Period, today: date, policy: Policy) -> None:
    last_day = policy.last_day(today)
    if period.ends_on > last_day:
        raise _invalid(
            "ends_on",
            "beyond_horizon",
            f"Apparatuur wordt ten hoogste {policy.horizon_days} dagen vooruit "
            f"gereserveerd: de laatste dag is uiterlijk {last_day:%d-%m-%Y}.",
        )
    if period.days > policy.max_days:
        raise _invalid(
            "ends_on",
            "too_long",
            f"Apparatuur wordt ten hoogste {policy.max_days} dagen achter elkaar "
            f"geleend, verlengingen meegerekend; deze periode duurt "
            f"{period.days} dagen.",
        )


# Managing the inventory: what the backoffice may change of an item.


def units_held(claims: Iterable[Claim], period: Period) -> int:
    """Units held on the busiest day of `period`."""
    overlapping = [c for c in claims if c.period.overlaps(period)]
    days = {period.starts_on} | {
        c.period.starts_on for c in overlapping if period.contains(c.period.starts_on)
    }
    return max(sum(c.quantity for c in overlapping if c.period.contains(day)) for day in days)


def require_changeable_item(status: str) -> None:
    if status == ItemStatus.RETIRED:
        raise LoanRefused("Dit item is afgeschreven en kan niet meer worden gewijzigd.")


def require_units_kept(quantity: int, held_ahead: int, out: int) -> None:
    """A kit keeps the units promised from today on and those not back yet."""
    needed = max(held_ahead, out)
    if quantity < needed:
        raise LoanRefused(
            f"Er zijn {needed} eenheden uitgeleend of gereserveerd; het aantal "
            f"kan niet lager worden dan dat ({quantity} gevraagd)."
        )


def require_lendable_kept(loanable: bool, loans_ahead: int) -> None:
    """Stationary equipment never leaves: not while schools have it reserved to take away."""
    if not loanable and loans_ahead:
        raise LoanRefused(
            f"{loans_ahead} reservering(en) van scholen houden dit item vanaf "
            "vandaag vast: annuleer die eerst, of laat het uitleenbaar."
        )


class DeskStatus(StrEnum):
    """A reservation as the loans desk sorts it: out loans split in on time and overdue."""

    RESERVED = "reserved"
    OUT = "out"
    OVERDUE = "overdue"
    RETURNED = "returned"
    RELEASED = "released"


def desk_status(status: str, ends_on: date, today: date) -> DeskStatus:
    if status == ReservationStatus.CHECKED_OUT:
        return DeskStatus.OVERDUE if ends_on < today else DeskStatus.OUT
    return DeskStatus(status)
