"""The statements of the hot paths, counted on both stores: an added query fails here
rather than showing up as a slower bench (issue 16). Lower a count when you save one."""

import asyncio

import httpx

from services.bookings import commands
from services.bookings.app import SPEC
from services.bookings.settings import BookingsSettings
from services.bookings.tests.scenario import group, plan_session, school, staged
from services.bookings.tests.test_saga import answer, asked, reserved
from shared.service import create_app
from shared.store.migrations import upgrade
from shared.tests.callers import TRUST_TEST_KEY, as_caller
from shared.tests.statements import statements

CORLAER = as_caller("bookings", "school", "corlaer")
BOOKING = 5
OFFERINGS = 1
APPLIED_RESERVATION = 11
CANCELLATION_PROMOTING = 10


async def serving(url: str):
    """The app as the gateway calls it, without lifespan: the routes need only the store."""
    await asyncio.to_thread(upgrade, "bookings", url)
    app = create_app(
        SPEC,
        BookingsSettings(
            service="bookings", database_url=url, outbox_relay=False, **TRUST_TEST_KEY
        ),
    )
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://b", headers=CORLAER
    )
    return app.state.runtime, client


async def test_a_booking_and_a_read_of_offers_cost_their_counted_statements(each_store):
    rt, http = await serving(each_store("bookings_statements"))
    try:
        session_id = await plan_session(rt, capacity=30)
        with statements(rt.db.engine) as booking:
            answered = await http.post(
                "/bookings", json={"session_id": str(session_id), "group": group(25).model_dump()}
            )
        assert answered.status_code == 201, answered.text
        with statements(rt.db.engine) as read:
            offers = await http.get("/offerings", params={"limit": 50})
        assert offers.status_code == 200 and offers.json()
    finally:
        await http.aclose()
        await rt.db.dispose()
    assert len(booking) == BOOKING, "\n".join(booking)
    assert len(read) == OFFERINGS, "\n".join(read)


async def test_an_applied_equipment_reservation_costs_its_counted_statements(rt):
    session_id = await plan_session(rt, capacity=30, equipment=("robot",))
    await commands.book(rt, school(), session_id, group(25))
    [request] = await asked(rt)
    with statements(rt.db.engine) as applied:
        await answer(rt, reserved(request))
    assert [p["booking_id"] for p in await staged(rt, "confirmed")], "the booking is confirmed"
    assert len(applied) == APPLIED_RESERVATION, "\n".join(applied)


async def test_a_cancellation_that_seats_the_next_group_costs_its_counted_statements(rt):
    session_id = await plan_session(rt, capacity=25)
    leaving = await commands.book(rt, school("corlaer"), session_id, group(25))
    waiting = await commands.book(rt, school("element"), session_id, group(25))
    with statements(rt.db.engine) as cancelled:
        await commands.cancel(rt, school("corlaer"), leaving.booking.id)
    promoted = [e["booking_id"] for e in await staged(rt, "confirmed") if e["from_waitlist"]]
    assert promoted == [str(waiting.booking.id)]
    assert len(cancelled) == CANCELLATION_PROMOTING, "\n".join(cancelled)
