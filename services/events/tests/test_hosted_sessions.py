"""What a host sees of its sessions, on a migrated SQLite store: the classes registered and
their numbers; a company only its own sessions."""

from datetime import timedelta

import pytest

from services.events import commands, queries
from services.events.tests.scenario import (
    BACKOFFICE,
    NOW,
    group,
    plan_session,
    school,
)
from shared.domain import Refused
from shared.http import Caller


def company(organisation: str) -> Caller:
    return Caller(actor=f"contact@{organisation}", role="company", organisation=organisation)


async def test_a_company_sees_its_sessions_with_the_classes_coming_and_waiting(rt):
    session_id = await plan_session(rt, capacity=30)  # hosted by voorbeeld-bouw
    for second, (school_id, name, students) in enumerate(
        (("corlaer", "3B", 20), ("element", "4K", 8), ("nxt", "3A", 12))
    ):
        await commands.register(
            rt,
            school(school_id),
            session_id,
            group(students, name),
            now=NOW + timedelta(seconds=second),
        )
    cancelled = await commands.register(rt, school("trivium"), session_id, group(2, "2C"), now=NOW)
    await commands.cancel(rt, school("trivium"), cancelled.registration.id, now=NOW)

    [(session, groups)] = await queries.hosted_sessions(rt, company("voorbeeld-bouw"), None, 50, 0)

    assert session.id == session_id
    assert [(g.school_id, g.group_name, g.students, g.status) for g in groups] == [
        ("corlaer", "3B", 20, "confirmed"),
        ("element", "4K", 8, "confirmed"),
        ("nxt", "3A", 12, "waitlisted"),
    ]


async def test_a_company_sees_no_other_hosts_sessions_whatever_it_asks(rt):
    await plan_session(rt, capacity=30)
    assert (
        await queries.hosted_sessions(rt, company("voorbeeld-ict"), "voorbeeld-bouw", 50, 0) == []
    )
    assert len(await queries.hosted_sessions(rt, BACKOFFICE, "voorbeeld-bouw", 50, 0)) == 1
    with pytest.raises(Refused) as a_school:
        await queries.hosted_sessions(rt, school(), None, 50, 0)
    assert a_school.value.status == 403
