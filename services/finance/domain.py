"""Finance rules, free of I/O: quarters, money and who may read a school's declaration."""

from datetime import datetime
from enum import StrEnum

from shared.domain import AMSTERDAM, BACKOFFICE, FINANCE, SCHOOL

QUARTER_PATTERN = r"^\d{4}-Q[1-4]$"

# The role whose time a hotspot lesson costs, as a key in the default rates.
INSTRUCTOR = "instructor"
# Demo default, not an agreed tariff: the finance role will maintain the real rate in the
# default_rates table, which wins over this value once it holds a row for the instructor.
DEFAULT_INSTRUCTOR_RATE_CENTS = 7500


class DeclarationStatus(StrEnum):
    DRAFT = "draft"


class LineKind(StrEnum):
    HOURS = "hours"


def quarter_of(moment: datetime) -> str:
    """The quarter ("2026-Q4") of the local date in Amsterdam, where the lesson took place.

    A lesson on 31 December at 23:30 local time is 22:30 UTC the same day, but one on
    1 January at 00:30 local is still 31 December in UTC: the local date decides.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the quarter needs an aware time")
    local = moment.astimezone(AMSTERDAM)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def amount_cents(minutes: int, hourly_rate_cents: int) -> int:
    """The one rounding rule for time: minutes * rate / 60, rounded half up to whole cents.

    Integer arithmetic only (no floats, no Decimal context): floor((m * r + 30) / 60) is
    floor(m * r / 60 + 1/2), so an exact half cent rounds up. Each line is rounded once;
    totals are sums of rounded lines, so a declaration adds up to what its lines show.
    """
    if minutes < 0 or hourly_rate_cents < 0:
        raise ValueError("minutes and rates are never negative")
    return (minutes * hourly_rate_cents + 30) // 60


def hours_line_description(offering_title: str, group_name: str) -> str:
    return f"Technieklessen hotspot: {offering_title} ({group_name})"


def may_read_declaration(role: str, organisation: str, school_id: str) -> bool:
    """Finance and the backoffice read every school's lines; a school only its own."""
    if role in (FINANCE, BACKOFFICE):
        return True
    return role == SCHOOL and organisation == school_id
