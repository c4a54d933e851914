"""Reads for finding things: the catalogue filtered, one offer, the agenda of sessions, and
bookings described with their offer and session so people can read them directly."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, NamedTuple
from uuid import UUID

from sqlalchemy import Row, String, cast, exists, func, or_, select

from services.bookings import domain
from services.bookings.domain import BookingRefused, BookingStatus
from services.bookings.store import (
    Booking,
    Offering,
    Session,
    booking_with_host,
    waitlist_position,
)
from shared.domain import check_agenda_range, local_bounds
from shared.http import Caller
from shared.service import Runtime

# A booking as the ORM loads it or as a Core statement returns it (the booking's hot path).
BookingRecord = Booking | Row


class Placed(NamedTuple):
    """A booking as its school sees it: with its place on the waitlist while it waits."""

    booking: BookingRecord
    waitlist_position: int | None


# Bookings that no longer hold a group on a session: the school filter passes over them.
GONE = (BookingStatus.CANCELLED, BookingStatus.REJECTED)

# The catalogue is read in Core, its offers as rows: no ORM objects to load and track for a
# read that changes nothing (the service's most frequent request).
OFFERINGS, SESSIONS = Offering.__table__, Session.__table__


@dataclass(frozen=True)
class CatalogueFilter:
    kind: str | None = None
    level: str | None = None
    profile: str | None = None
    text: str | None = None
    first: date | None = None
    last: date | None = None
    has_free_seats: bool | None = None
    theme: str | None = None


@dataclass(frozen=True)
class AgendaFilter:
    room: str | None = None
    instructor: str | None = None
    location: str | None = None
    school_id: str | None = None


@dataclass(frozen=True)
class AgendaItem:
    session: Session
    offering: Offering
    # The bookings the caller may see, in request order.
    bookings: list[Booking]


def _contains(column, text: str):
    """Case-insensitive substring match with the text's own % and _ taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def _has_session(f: CatalogueFilter, now: datetime, with_free_seats: bool):
    """The offering has a session, not cancelled, in the date range (from now on if none),
    with free seats if asked."""
    since, before = local_bounds(f.first, f.last)
    s = SESSIONS
    query = select(s.c.id).where(s.c.offering_id == OFFERINGS.c.id, s.c.cancelled_at.is_(None))
    query = query.where(s.c.starts_at >= (since or now))
    if before is not None:
        query = query.where(s.c.starts_at < before)
    if with_free_seats:
        query = query.where(s.c.seats_taken < s.c.capacity)
    return exists(query)


async def offerings(rt: Runtime, f: CatalogueFilter, limit: int, offset: int) -> list[Row]:
    """The catalogue: approved offers only (a company's proposal waits for the backoffice)."""
    o = OFFERINGS.c
    query = select(OFFERINGS).where(o.approval == domain.Approval.APPROVED)
    if f.kind is not None:
        query = query.where(o.kind == f.kind)
    if f.profile is not None:
        query = query.where(o.profile == f.profile)
    if f.theme is not None:
        query = query.where(o.theme == f.theme)
    if f.level is not None:
        # The audience is a JSON list of levels; as text each level stands in quotes.
        query = query.where(cast(o.audience, String).like(f'%"{f.level}"%'))
    if f.text:
        query = query.where(or_(_contains(o.title, f.text), _contains(o.assignment, f.text)))
    if f.first or f.last:
        query = query.where(_has_session(f, rt.clock.now(), with_free_seats=False))
    if f.has_free_seats is not None:
        free = _has_session(f, rt.clock.now(), with_free_seats=True)
        query = query.where(free if f.has_free_seats else ~free)
    async with rt.db.sessions() as tx:
        return list(await tx.execute(query.order_by(o.id).limit(limit).offset(offset)))


async def offering(rt: Runtime, caller: Caller, offering_id: str) -> Offering:
    async with rt.db.sessions() as tx:
        return visible_offering(caller, await tx.get(Offering, offering_id))


def visible_offering(caller: Caller, found: Offering | None) -> Offering:
    """The offer, if the caller may see it: a proposal is 404 to schools and other companies."""
    if found is None or not domain.may_see_offer(
        caller.role, caller.organisation, found.approval, found.host_company
    ):
        raise BookingRefused("dit aanbod bestaat niet", 404)
    return found


def _booking_scope(caller: Caller) -> tuple[str, str] | None | Literal[False]:
    """Which bookings the agenda shows the caller: a list scope, or False for none."""
    try:
        return domain.list_scope(caller.role, caller.organisation)
    except BookingRefused:
        return False


async def agenda(
    rt: Runtime, caller: Caller, first: date, last: date, f: AgendaFilter, limit: int, offset: int
) -> list[AgendaItem]:
    """Sessions of all offers starting in [first, last] (Amsterdam days), by start time,
    cancelled ones left out, each with the bookings the caller may see: all for the
    backoffice, a school only its own."""
    check_agenda_range(first, last, BookingRefused)
    since, before = local_bounds(first, last)
    query = (
        select(Session, Offering)
        .join(Offering)
        .where(
            Session.starts_at >= since, Session.starts_at < before, Session.cancelled_at.is_(None)
        )
    )
    for column, wanted in (
        (Session.room, f.room),
        (Session.instructor, f.instructor),
        (Offering.location, f.location),
    ):
        if wanted is not None:
            query = query.where(column == wanted)
    if f.school_id is not None:
        query = query.where(
            exists(
                select(Booking.id).where(
                    Booking.session_id == Session.id,
                    Booking.school_id == f.school_id,
                    Booking.status.not_in(GONE),
                )
            )
        )
    async with rt.db.sessions() as tx:
        rows = (
            await tx.execute(
                query.order_by(Session.starts_at, Offering.title, Session.id)
                .limit(limit)
                .offset(offset)
            )
        ).all()
        booked = await _visible_bookings(tx, caller, [s.id for s, _ in rows])
    return [AgendaItem(s, o, booked.get(s.id, [])) for s, o in rows]


def _in_scope(query, scope: tuple[str, str] | None):
    """Bookings (joined to their session and offering) the caller's list scope shows."""
    if scope is None:
        return query
    kind, organisation = scope
    column = Booking.school_id if kind == "school" else Offering.host_company
    return query.where(column == organisation)


def _with_session_and_offering():
    return select(Booking).join(Session, Booking.session_id == Session.id).join(Offering)


async def _visible_bookings(
    tx, caller: Caller, session_ids: Sequence[UUID]
) -> dict[UUID, list[Booking]]:
    scope = _booking_scope(caller)
    if scope is False or not session_ids:
        return {}
    query = _in_scope(
        _with_session_and_offering().where(Booking.session_id.in_(session_ids)), scope
    )
    found: dict[UUID, list[Booking]] = defaultdict(list)
    for b in await tx.scalars(query.order_by(Booking.created_at, Booking.id)):
        found[b.session_id].append(b)
    return found


async def bookings_between(
    rt: Runtime,
    caller: Caller,
    school_id: str | None,
    status: str | None,
    first: date,
    last: date,
    limit: int,
    offset: int,
) -> list[Placed]:
    """The caller's bookings on sessions starting in [first, last] (Amsterdam days), by
    session time: what a planning of those days shows."""
    check_agenda_range(first, last, BookingRefused)
    since, before = local_bounds(first, last)
    query = _filtered(caller, school_id, status)
    return await _placed(
        rt, query.where(Session.starts_at >= since, Session.starts_at < before), limit, offset
    )


def _filtered(caller: Caller, school_id: str | None, status: str | None):
    """The bookings the caller's list scope shows, of the school and in the status asked."""
    query = _in_scope(
        _with_session_and_offering(), domain.list_scope(caller.role, caller.organisation)
    )
    for column, wanted in ((Booking.school_id, school_id), (Booking.status, status)):
        if wanted is not None:
            query = query.where(column == wanted)
    return query


async def _placed(rt: Runtime, query, limit: int, offset: int) -> list[Placed]:
    async with rt.db.sessions() as tx:
        found = await tx.scalars(
            query.order_by(Session.starts_at, Booking.created_at, Booking.id)
            .limit(limit)
            .offset(offset)
        )
        return [Placed(b, await waitlist_position(tx, b)) for b in found]


async def get_visible(rt: Runtime, caller: Caller, booking_id: UUID) -> Placed:
    """The booking, if the caller may see it; 404 otherwise, so an id tells no one else
    that it exists."""
    async with rt.db.sessions() as tx:
        found = await booking_with_host(tx, booking_id)
        if found is None or not domain.may_see(
            caller.role, caller.organisation, found[0].school_id, found[1]
        ):
            raise BookingRefused("deze boeking bestaat niet", 404)
        return Placed(found[0], await waitlist_position(tx, found[0]))


async def list_visible(
    rt: Runtime, caller: Caller, school_id: str | None, status: str | None, limit: int, offset: int
) -> list[Placed]:
    """The caller's bookings by session time: a school its own, a company those it hosts."""
    return await _placed(rt, _filtered(caller, school_id, status), limit, offset)


async def where_and_what(
    rt: Runtime, session_ids: set[UUID]
) -> dict[UUID, tuple[Session, Offering]]:
    """Each session with its offering, in one query: what a booking list reads next to each
    booking."""
    if not session_ids:
        return {}
    async with rt.db.sessions() as tx:
        rows = await tx.execute(
            select(Session, Offering).join(Offering).where(Session.id.in_(session_ids))
        )
        return {s.id: (s, o) for s, o in rows}


async def unanswered(rt: Runtime, before: datetime, shown: int) -> tuple[int, list[UUID]]:
    """How many bookings have waited for loans' answer since before `before`, and the ids
    of the longest waiting `shown` of them."""
    waiting = (Booking.status == BookingStatus.REQUESTED, Booking.updated_at < before)
    async with rt.db.sessions() as tx:
        count = await tx.scalar(select(func.count()).select_from(Booking).where(*waiting))
        ids = await tx.scalars(
            select(Booking.id).where(*waiting).order_by(Booking.updated_at, Booking.id).limit(shown)
        )
        return count or 0, list(ids)
