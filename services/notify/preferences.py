"""Preferences and timing: pure rules for when and on which channel a message goes out.

A person chooses a channel per category, may opt out of what is not essential, may take a
daily digest instead of single messages, and may set quiet hours (Europe/Amsterdam wall
time) during which non-urgent messages wait. A critical message skips all of that.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from shared.backoff import Backoff
from shared.domain import AMSTERDAM, Refused

EMAIL, WEBHOOK, IN_APP = "email", "webhook", "in_app"
CHANNELS = (EMAIL, WEBHOOK, IN_APP)
# A channel that keeps failing hands the message to the next one; in-app cannot fail.
FALLBACK = {WEBHOOK: EMAIL, EMAIL: IN_APP}
DEFAULT_CHANNEL = EMAIL

ESSENTIAL = frozenset({"bookings", "loans", "events", "finance"})
CATEGORIES = ESSENTIAL | {"reminders", "announcements"}
DIGEST_AT = time(7, 0)  # the daily digest goes out at 07:00 Amsterdam time
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class QuietHours:
    """From `start` to `end` (exclusive) each day, wall time; may run past midnight."""

    start: time
    end: time

    def contain(self, moment: datetime) -> bool:
        local = moment.astimezone(AMSTERDAM).time()
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


@dataclass(frozen=True)
class Preferences:
    channels: Mapping[str, str] = field(default_factory=dict)  # category -> channel
    opted_out: frozenset[str] = frozenset()
    digest: bool = False
    quiet_hours: QuietHours | None = None

    def channel_for(self, category: str) -> str:
        return self.channels.get(category, DEFAULT_CHANNEL)


@dataclass(frozen=True)
class Plan:
    """How one message goes out: on `channel`, not before `not_before`, alone or in the
    daily digest."""

    channel: str
    not_before: datetime
    digest: bool = False


def validate(preferences: Preferences) -> None:
    """Refuse what the rules do not allow (422): unknown names, opting out of essentials."""
    unknown = (set(preferences.channels) | preferences.opted_out) - CATEGORIES
    if unknown:
        raise Refused(f"onbekende categorieën: {sorted(unknown)}", status=422, field="channels")
    bad = set(preferences.channels.values()) - set(CHANNELS)
    if bad:
        raise Refused(f"onbekende kanalen: {sorted(bad)}", status=422, field="channels")
    if preferences.opted_out & ESSENTIAL:
        raise Refused(
            f"voor essentiële categorieën kun je je niet afmelden: "
            f"{sorted(preferences.opted_out & ESSENTIAL)}",
            status=422,
            field="opted_out",
        )
    quiet = preferences.quiet_hours
    if quiet is not None and quiet.start == quiet.end:
        raise Refused(
            "stille uren hebben een begin en een einde die verschillen",
            status=422,
            field="quiet_hours",
        )


def plan(preferences: Preferences, category: str, critical: bool, now: datetime) -> Plan | None:
    """The plan for one message, or None when the person opted out of its category."""
    channel = preferences.channel_for(category)
    if critical:
        return Plan(channel, now)
    if category in preferences.opted_out:
        return None
    if preferences.digest:
        return Plan(channel, next_digest(now, preferences.quiet_hours), digest=True)
    return Plan(channel, after_quiet_hours(now, preferences.quiet_hours))


def after_quiet_hours(moment: datetime, quiet: QuietHours | None) -> datetime:
    """`moment` itself outside quiet hours, else the first moment they end (UTC)."""
    if quiet is None or not quiet.contain(moment):
        return moment
    local = moment.astimezone(AMSTERDAM)
    day = local.date()
    if quiet.start > quiet.end and local.time() >= quiet.start:
        day += timedelta(days=1)  # in the part before midnight: they end tomorrow
    end = datetime.combine(day, quiet.end, tzinfo=AMSTERDAM)
    if end.astimezone(UTC) <= moment:
        # The clocks went back and `end` exists twice: the later one is meant.
        end = end.replace(fold=1)
    at = end.astimezone(UTC)
    if at.astimezone(AMSTERDAM).time() != quiet.end:
        # `end` fell in the hour the clocks skip: the quiet hours end when the clocks jump.
        while at - _MINUTE > moment and not quiet.contain(at - _MINUTE):
            at -= _MINUTE
    # The free window was inside the skipped hour, so it did not exist today: the next one.
    return after_quiet_hours(at, quiet) if quiet.contain(at) else at


def next_digest(now: datetime, quiet: QuietHours | None) -> datetime:
    """The next daily digest moment after `now`, moved out of quiet hours."""
    local = now.astimezone(AMSTERDAM)
    at = datetime.combine(local.date(), DIGEST_AT, tzinfo=AMSTERDAM)
    if at <= local:
        at = datetime.combine(local.date() + timedelta(days=1), DIGEST_AT, tzinfo=AMSTERDAM)
    return after_quiet_hours(at.astimezone(UTC), quiet)


@dataclass(frozen=True)
class Retry:
    at: datetime


@dataclass(frozen=True)
class FallBack:
    channel: str


@dataclass(frozen=True)
class GiveUp:
    pass


def after_failure(
    channel: str,
    attempts: int,
    max_attempts: int,
    base_seconds: float,
    now: datetime,
    on_fallback: bool,
) -> Retry | FallBack | GiveUp:
    """What follows the `attempts`-th failed attempt on `channel`: a retry after an
    exponential backoff, the next channel, or giving up (a channel that was itself the
    fallback does not fall back again)."""
    if attempts < max_attempts:
        return Retry(now + timedelta(seconds=Backoff(base_seconds).delay(attempts)))
    if channel in FALLBACK and not on_fallback:
        return FallBack(FALLBACK[channel])
    return GiveUp()
