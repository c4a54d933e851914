"""Personal registrations for the annual meeting through the use cases, on a migrated SQLite
store (the local run's)."""

from datetime import timedelta

import pytest

from services.events import attendees
from services.events.domain import RegistrationRefused
from services.events.store import Event
from services.events.tests.scenario import (
    BACKOFFICE,
    NOW,
    person,
    plan_session,
    schedule_meeting,
    school,
    staged,
)


async def persons_registered(rt, event_id: str) -> int:
    async with rt.db.sessions() as tx:
        return (await tx.get(Event, event_id)).seats_taken


async def test_persons_fill_the_meeting_and_the_next_is_refused(rt):
    meeting = await schedule_meeting(rt, capacity=2)
    await attendees.register(rt, person("anna"), meeting, "Anna de Vries", "anna@bouw.nl", now=NOW)
    await attendees.register(
        rt, school("corlaer"), meeting, "Piet Jansen", "piet@corlaer.nl", now=NOW
    )
    with pytest.raises(RegistrationRefused, match="vol") as full:
        await attendees.register(rt, person("kees"), meeting, "Kees", "kees@ict.nl", now=NOW)
    assert full.value.status == 409
    assert await persons_registered(rt, meeting) == 2


async def test_one_registration_per_address_and_event_whatever_its_case(rt):
    meeting = await schedule_meeting(rt, capacity=10)
    await attendees.register(rt, person(), meeting, "Anna", "anna@bouw.nl", now=NOW)
    with pytest.raises(RegistrationRefused, match=" al ") as twice:
        await attendees.register(rt, person(), meeting, "Anna", " Anna@Bouw.NL", now=NOW)
    assert twice.value.status == 409
    assert await persons_registered(rt, meeting) == 1


async def test_the_person_cancels_and_the_place_is_free_again(rt):
    meeting = await schedule_meeting(rt, capacity=1)
    anna = await attendees.register(rt, person("anna"), meeting, "Anna", "anna@bouw.nl", now=NOW)
    with pytest.raises(RegistrationRefused) as other:
        await attendees.cancel(rt, person("kees"), anna.id, now=NOW)
    assert other.value.status == 404

    cancelled = await attendees.cancel(rt, person("anna"), anna.id, now=NOW)

    assert cancelled.status == "cancelled"
    assert await persons_registered(rt, meeting) == 0
    again = await attendees.register(rt, person("anna"), meeting, "Anna", "anna@bouw.nl", now=NOW)
    assert (again.id, again.status) == (anna.id, "registered")
    [event] = await staged(rt, "cancelled", aggregate="attendee")
    assert (event["attendee_id"], event["cancelled_by"]) == (str(anna.id), "company")


async def test_events_tell_who_registered_by_id_only_never_name_or_address(rt):
    meeting = await schedule_meeting(rt, capacity=5)
    anna = await attendees.register(rt, person(), meeting, "Anna de Vries", "anna@bouw.nl", now=NOW)
    [event] = await staged(rt, "registered", aggregate="attendee")
    assert event["attendee_id"] == str(anna.id)
    assert not {"Anna de Vries", "anna@bouw.nl"} & {str(v) for v in event.values()}


async def test_a_person_sees_own_registrations_and_the_backoffice_all(rt):
    meeting = await schedule_meeting(rt, capacity=5)
    await attendees.register(rt, person("anna"), meeting, "Anna", "anna@bouw.nl", now=NOW)
    await attendees.register(rt, person("kees"), meeting, "Kees", "kees@ict.nl", now=NOW)
    own = await attendees.list_visible(rt, person("anna"), meeting, 50, 0)
    assert [a.email for a in own] == ["anna@bouw.nl"]
    everyone = await attendees.list_visible(rt, BACKOFFICE, meeting, 50, 0)
    assert sorted(a.email for a in everyone) == ["anna@bouw.nl", "kees@ict.nl"]


async def test_no_personal_registration_for_a_pupils_event_nor_after_the_start(rt):
    await plan_session(rt, capacity=30, event_id="girls-day-2027-04-08")
    with pytest.raises(RegistrationRefused, match="groepen") as pupils:
        await attendees.register(rt, person(), "girls-day-2027-04-08", "Anna", "a@b.nl", now=NOW)
    assert pupils.value.status == 422
    meeting = await schedule_meeting(rt, capacity=5)
    with pytest.raises(RegistrationRefused, match="gesloten"):
        await attendees.register(
            rt, person(), meeting, "Anna", "a@b.nl", now=NOW + timedelta(days=7)
        )
