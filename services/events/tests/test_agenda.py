"""The events' part of the agenda on SQLite and PostgreSQL: the sessions of some days (at
their own times, or at their event's), the classes coming that the caller may see, and the
filters by place and school."""

from datetime import date, timedelta

import pytest

from services.events import commands, queries
from services.events.domain import PlanningRefused
from services.events.store import EventSession
from services.events.tests.scenario import (
    BACKOFFICE,
    NOW,
    group,
    migrated_runtime,
    plan_session,
    school,
)
from shared.domain import local_date


@pytest.fixture
async def rt(each_store):
    runtime = await migrated_runtime(each_store("tft_events_agenda"))
    yield runtime
    await runtime.db.dispose()


async def agenda(
    rt,
    caller=BACKOFFICE,
    first: date | None = None,
    days: int = 1,
    location: str | None = None,
    school_id: str | None = None,
):
    first = first or local_date(NOW + timedelta(days=7))
    return await queries.agenda(
        rt, caller, first, first + timedelta(days=days - 1), location, school_id, 50, 0
    )


async def test_the_agenda_has_the_sessions_of_its_days_with_the_classes_each_may_see(rt):
    session_id = await plan_session(rt, capacity=30)
    for second, (name, school_id) in enumerate((("3B", "corlaer"), ("2A", "nxt"))):
        await commands.register(
            rt, school(school_id), session_id, group(10, name), now=NOW + timedelta(seconds=second)
        )

    [(session, event, groups)] = await agenda(rt)
    assert (session.id, event.title) == (session_id, "Girls Day")
    assert [(g.school_id, g.group_name) for g in groups] == [("corlaer", "3B"), ("nxt", "2A")]
    [(_, _, own)] = await agenda(rt, school("nxt"))
    assert [g.school_id for g in own] == ["nxt"]
    assert await agenda(rt, first=local_date(NOW + timedelta(days=8))) == []


async def test_a_session_of_its_own_times_and_place_is_found_by_them(rt):
    session_id = await plan_session(rt, capacity=30)
    async with rt.db.transaction() as tx:
        session = await tx.get(EventSession, session_id)
        session.starts_at = NOW + timedelta(days=9)
        session.ends_at = session.starts_at + timedelta(hours=1)
        session.location = "Werkplaats Voorbeeld Bouw"

    assert await agenda(rt) == []
    later = local_date(NOW + timedelta(days=9))
    assert [s.id for s, _, _ in await agenda(rt, first=later)] == [session_id]
    assert await agenda(rt, first=later, location="Hotspot T is for Tech") == []
    assert len(await agenda(rt, first=later, location="Werkplaats Voorbeeld Bouw")) == 1
    assert await agenda(rt, first=later, school_id="corlaer") == []


async def test_more_than_93_days_is_refused_in_dutch(rt):
    with pytest.raises(PlanningRefused, match="hoogstens 93 dagen"):
        await agenda(rt, days=94)
