"""A session's capacity changed while schools register, on SQLite and on PostgreSQL: the
seats taken are those of the groups holding them and never exceed the capacity, and a
change that would drop below them is refused as a rule (under the session's lock), not by
the database's CHECK constraint."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.events import commands
from services.events.domain import HOLDS_SEATS, PlanningRefused
from services.events.store import EventSession, Registration
from services.events.tests.scenario import (
    BACKOFFICE,
    NOW,
    group,
    migrated_runtime,
    plan_session,
    school,
)
from shared.contracts.requests.events import EventSessionChange

pytestmark = pytest.mark.integration

GROUPS = 40


@pytest.fixture
async def rt(each_store):
    runtime = await migrated_runtime(each_store("tft_events_planning_concurrency"))
    yield runtime
    await runtime.db.dispose()


async def _seats(rt, session_id) -> tuple[int, int, int]:
    """(capacity, seats taken, students of the groups holding seats)."""
    async with rt.db.sessions() as tx:
        session = await tx.get(EventSession, session_id)
        holding = await tx.scalar(
            select(func.coalesce(func.sum(Registration.students), 0)).where(
                Registration.session_id == session_id, Registration.status.in_(HOLDS_SEATS)
            )
        )
        return session.capacity, session.seats_taken, holding


async def test_capacity_changes_during_registrations_never_overbook(rt):
    session_id = await plan_session(rt, capacity=30)

    async def change(capacity: int):
        await asyncio.sleep(0)  # let some registrations go first
        return await commands.change_session(
            rt,
            BACKOFFICE,
            session_id,
            EventSessionChange(capacity=capacity),
            now=NOW + timedelta(minutes=1),
        )

    outcomes = await asyncio.gather(
        *(
            commands.register(rt, school(f"school-{i}"), session_id, group(2, f"G{i}"), now=NOW)
            for i in range(GROUPS)
        ),
        change(20),
        change(30),
        change(24),
        return_exceptions=True,
    )

    crashes = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, PlanningRefused)
    ]
    assert crashes == []
    refused = [o for o in outcomes if isinstance(o, PlanningRefused)]
    assert all(r.status == 409 for r in refused)
    capacity, taken, holding = await _seats(rt, session_id)
    assert taken == holding <= capacity
