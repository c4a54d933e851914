"""The calendar the backoffice keeps: closed periods, per-school exceptions, booking rules and
per-school quotas. Everyone reads it; only the backoffice changes it."""

from datetime import date
from uuid import UUID, uuid4

from sqlalchemy import delete, select

from services.bookings.domain import BookingRefused, Rules
from services.bookings.store import (
    RULES_ROW,
    BookingRules,
    ClosedPeriod,
    SchoolDay,
    SchoolQuota,
    closures_between,
    current_rules,
)
from shared.domain import BACKOFFICE
from shared.http import Caller
from shared.seed import CLOSED_PERIODS
from shared.service import Runtime
from shared.store.db import rows_changed
from shared.store.versions import claim, tag_defaults, tagged


async def closures(rt: Runtime, first: date, last: date) -> list[ClosedPeriod]:
    async with rt.db.sessions() as tx:
        return await closures_between(tx, first, last)


async def add_closure(
    rt: Runtime, caller: Caller, starts_on: date, ends_on: date, name: str, kind: str
) -> ClosedPeriod:
    caller.require(BACKOFFICE)
    if ends_on < starts_on:
        raise BookingRefused(
            "een gesloten periode eindigt op of na haar eerste dag", 422, field="ends_on"
        )
    closure = ClosedPeriod(id=uuid4(), starts_on=starts_on, ends_on=ends_on, name=name, kind=kind)
    async with rt.db.transaction() as tx:
        tx.add(closure)
    return closure


async def remove_closure(rt: Runtime, caller: Caller, closure_id: UUID) -> None:
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        if not await rows_changed(tx, delete(ClosedPeriod).where(ClosedPeriod.id == closure_id)):
            raise BookingRefused("deze gesloten periode bestaat niet", 404)


async def school_days(
    rt: Runtime, school_id: str | None, first: date, last: date
) -> list[SchoolDay]:
    query = select(SchoolDay).where(SchoolDay.day >= first, SchoolDay.day <= last)
    if school_id is not None:
        query = query.where(SchoolDay.school_id == school_id)
    async with rt.db.sessions() as tx:
        return list(await tx.scalars(query.order_by(SchoolDay.day, SchoolDay.school_id)))


async def school_day(rt: Runtime, school_id: str, day: date) -> SchoolDay:
    async with rt.db.sessions() as tx:
        found = await tx.get(SchoolDay, (school_id, day))
    if found is None:
        raise BookingRefused("geen uitzondering voor deze school op deze dag", 404)
    return tagged(found)


async def set_school_day(
    rt: Runtime, caller: Caller, school_id: str, day: date, is_open: bool, reason: str
) -> SchoolDay:
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        await claim(tx, SchoolDay, school_id=school_id, day=day)
        return await tx.merge(SchoolDay(school_id=school_id, day=day, open=is_open, reason=reason))


async def remove_school_day(rt: Runtime, caller: Caller, school_id: str, day: date) -> None:
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        if not await rows_changed(
            tx, delete(SchoolDay).where(SchoolDay.school_id == school_id, SchoolDay.day == day)
        ):
            raise BookingRefused("geen uitzondering voor deze school op deze dag", 404)


async def rules(rt: Runtime) -> Rules:
    async with rt.db.sessions() as tx:
        row = await tx.get(BookingRules, RULES_ROW)
        tag_defaults(row)
        return await current_rules(tx)


async def set_rules(rt: Runtime, caller: Caller, new: Rules) -> Rules:
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        await claim(tx, BookingRules, id=RULES_ROW)
        await tx.merge(
            BookingRules(
                id=RULES_ROW,
                min_lead_days=new.min_lead_days,
                free_cancellation_days=new.free_cancellation_days,
            )
        )
    return new


async def quotas(rt: Runtime, school_year: int | None) -> list[SchoolQuota]:
    query = select(SchoolQuota).order_by(SchoolQuota.school_year, SchoolQuota.school_id)
    if school_year is not None:
        query = query.where(SchoolQuota.school_year == school_year)
    async with rt.db.sessions() as tx:
        return list(await tx.scalars(query))


async def quota(rt: Runtime, school_id: str, school_year: int) -> SchoolQuota:
    async with rt.db.sessions() as tx:
        found = await tx.get(SchoolQuota, (school_id, school_year))
    if found is None:
        raise BookingRefused("geen quotum voor deze school en dit schooljaar", 404)
    return tagged(found)


async def set_quota(
    rt: Runtime, caller: Caller, school_id: str, school_year: int, max_sessions: int
) -> SchoolQuota:
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        await claim(tx, SchoolQuota, school_id=school_id, school_year=school_year)
        return await tx.merge(
            SchoolQuota(school_id=school_id, school_year=school_year, max_sessions=max_sessions)
        )


async def remove_quota(rt: Runtime, caller: Caller, school_id: str, school_year: int) -> None:
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        if not await rows_changed(
            tx,
            delete(SchoolQuota).where(
                SchoolQuota.school_id == school_id, SchoolQuota.school_year == school_year
            ),
        ):
            raise BookingRefused("geen quotum voor deze school en dit schooljaar", 404)


async def seed_closures(rt: Runtime) -> None:
    """The holidays of region midden and the public holidays, once (shared.seed.calendar)."""
    async with rt.db.transaction() as tx:
        if await tx.scalar(select(ClosedPeriod.id).limit(1)) is not None:
            return
        tx.add_all(
            ClosedPeriod(
                id=uuid4(), starts_on=c.starts_on, ends_on=c.ends_on, name=c.name, kind=c.kind
            )
            for c in CLOSED_PERIODS
        )
