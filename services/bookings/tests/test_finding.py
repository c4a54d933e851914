"""Finding things on SQLite and PostgreSQL: the catalogue's filters, one offer, the agenda of
sessions with the bookings each caller may see, and bookings read with their offer and place."""

from datetime import timedelta

import pytest
from pydantic import TypeAdapter
from sqlalchemy import select

from services.bookings import api, catalogue, commands, queries
from services.bookings.domain import BookingRefused
from services.bookings.store import Offering
from services.bookings.tests.scenario import (
    BACKOFFICE,
    group,
    migrated_runtime,
    school,
    two_hours_on_an_open_day,
)
from shared.domain import local_date
from shared.http import Caller
from shared.tests.callers import as_caller


@pytest.fixture
async def rt(each_store):
    runtime = await migrated_runtime(each_store("tft_bookings_finding"))
    yield runtime
    await runtime.db.dispose()


@pytest.fixture
async def client(rt, api_client):
    return await api_client("bookings", api.routes, rt)


def headers(caller) -> dict[str, str]:
    return as_caller("bookings", caller.role, caller.organisation, caller.actor)


async def offer(
    rt,
    offering_id: str,
    title: str,
    kind: str = "inspiration_lesson",
    audience: tuple[str, ...] = ("vmbo-kb",),
    profile: str = "PIE",
    location: str = "Hotspot Amersfoort",
    assignment: str | None = None,
    theme: str | None = None,
) -> str:
    await catalogue.publish_offering(
        rt,
        BACKOFFICE,
        Offering(
            id=offering_id,
            kind=kind,
            title=title,
            audience=list(audience),
            profile=profile,
            location=location,
            equipment=[],
            assignment=assignment,
            theme=theme,
        ),
        [],
    )
    return offering_id


async def session_of(rt, offering_id: str, days_ahead: int = 14, capacity: int = 30):
    starts, ends = two_hours_on_an_open_day(days_ahead)
    return await catalogue.plan_session(
        rt,
        BACKOFFICE,
        offering_id,
        starts,
        ends,
        f"Lab {offering_id}",
        f"Instructeur {offering_id}",
        capacity,
    )


async def found(rt, **filters) -> list[str]:
    return [o.id for o in await queries.offerings(rt, queries.CatalogueFilter(**filters), 50, 0)]


async def test_the_catalogue_read_as_rows_answers_as_the_orm_objects_did(rt):
    await offer(rt, "robotica", "Inspiratieles Robotica", assignment="Een robot", theme="ai")
    await offer(rt, "cnc", "Keuzevak CNC-techniek", kind="elective", profile="BWI")
    await catalogue.publish_offering(
        rt,
        BACKOFFICE,
        Offering(
            id="stage-pie",
            kind="internship",
            title="Stage PIE",
            audience=["vmbo-kb", "vmbo-gl"],
            profile="PIE",
            location="Bedrijf",
            equipment=["laptop"],
            internship_year=3,
            period_starts_on=local_date(two_hours_on_an_open_day(7)[0]),
            period_ends_on=local_date(two_hours_on_an_open_day(70)[0]),
            core_task="B",
            withdrawn=True,
        ),
        [],
    )
    rows = await queries.offerings(rt, queries.CatalogueFilter(), 50, 0)
    async with rt.db.sessions() as tx:
        objects = list(await tx.scalars(select(Offering).order_by(Offering.id)))
    answer = TypeAdapter(list[api.OfferingOut])
    assert len(rows) == 3
    assert answer.dump_json(answer.validate_python(rows)) == answer.dump_json(
        answer.validate_python(objects)
    )


async def test_the_catalogue_filters_by_kind_level_profile_and_text(rt):
    await offer(
        rt,
        "robotica",
        "Inspiratieles Robotica",
        audience=("vmbo-kb", "vmbo-gl"),
        assignment="Een robot van 1000 onderdelen",
    )
    await offer(
        rt,
        "cnc",
        "Keuzevak CNC-techniek",
        kind="elective",
        profile="BWI",
        audience=("vmbo-bb",),
        assignment="Een onderdeel frezen met 100% precisie",
    )
    await offer(rt, "po-lessen", "Lessenserie techniek", kind="po_series", audience=("po",))

    assert await found(rt, kind="elective") == ["cnc"]
    assert await found(rt, level="vmbo-gl") == ["robotica"]
    assert await found(rt, level="po") == ["po-lessen"]
    assert await found(rt, profile="BWI") == ["cnc"]
    assert await found(rt, text="ROBOT") == ["robotica"]
    assert await found(rt, text="frezen") == ["cnc"]  # the assignment describes the offer
    assert await found(rt, text="100%") == ["cnc"]  # % is a character, not a wildcard
    assert await found(rt, text="techniek", kind="po_series") == ["po-lessen"]


async def test_the_catalogue_filters_by_theme_through_the_api(rt, client):
    await offer(rt, "robotica", "Inspiratieles Robotica", theme="robotics")
    await offer(rt, "kv-bouw", "Keuzevak Circulair bouwen", kind="elective", theme="construction")
    await offer(rt, "gastles", "Gastles")  # no theme in particular

    def themed(theme: str):
        return client.get("/offerings", params={"theme": theme}, headers=headers(school()))

    robotics = (await themed("robotics")).json()
    assert [(o["id"], o["theme"]) for o in robotics] == [("robotica", "robotics")]
    assert [o["id"] for o in (await themed("construction")).json()] == ["kv-bouw"]
    assert (await themed("ict")).json() == []
    assert (await themed("breien")).status_code == 422  # not one of the plan's themes
    every = (await client.get("/offerings", headers=headers(school()))).json()
    assert {o["id"]: o["theme"] for o in every}["gastles"] is None


async def test_the_catalogue_filters_by_date_range_and_free_seats(rt):
    full = await session_of(rt, await offer(rt, "vol", "Vol"), capacity=1)
    await commands.book(rt, school("corlaer"), full.id, group(1))
    later = await session_of(rt, await offer(rt, "later", "Later"), days_ahead=60)
    await offer(rt, "zonder", "Zonder sessies")
    day = local_date(full.starts_at)

    assert await found(rt, first=day, last=day) == ["vol"]
    assert await found(rt, first=local_date(later.starts_at)) == ["later"]
    assert await found(rt, has_free_seats=True) == ["later"]
    assert await found(rt, has_free_seats=False) == ["vol", "zonder"]
    assert await found(rt, first=day, last=day, has_free_seats=True) == []


async def test_one_offer_with_its_core_task_and_an_unknown_one_is_404(rt, client):
    await offer(rt, "robotica", "Inspiratieles Robotica")
    answer = await client.get("/offerings/robotica", headers=headers(school()))
    assert answer.status_code == 200
    assert answer.json()["kind"] == "inspiration_lesson" and answer.json()["core_task"]
    missing = await client.get("/offerings/bestaat-niet", headers=headers(school()))
    assert missing.status_code == 404 and missing.json()["detail"] == "dit aanbod bestaat niet"


async def test_catalogue_filters_reach_the_store_through_the_api(rt, client):
    await offer(rt, "robotica", "Inspiratieles Robotica")
    await offer(rt, "cnc", "Keuzevak CNC", kind="elective")
    answer = await client.get("/offerings", params={"kind": "elective"}, headers=headers(school()))
    assert [o["id"] for o in answer.json()] == ["cnc"]
    wrong = await client.get("/offerings", params={"level": "kleuter"}, headers=headers(school()))
    assert wrong.status_code == 422


async def test_the_agenda_shows_the_backoffice_every_booking_and_a_school_its_own(rt, client):
    session = await session_of(rt, await offer(rt, "robotica", "Inspiratieles Robotica"))
    other = await session_of(rt, await offer(rt, "cnc", "Keuzevak CNC", location="Corlaer"))
    await commands.book(rt, school("corlaer"), session.id, group(10, "3B"))
    await commands.book(rt, school("nxt"), session.id, group(5, "2A"))
    day = local_date(session.starts_at).isoformat()
    span = {"from": day, "to": day}

    seen = (await client.get("/sessions", params=span, headers=headers(BACKOFFICE))).json()
    assert [s["offering_title"] for s in seen] == ["Inspiratieles Robotica", "Keuzevak CNC"]
    first = seen[0]
    assert (first["seats_left"], first["room"], first["instructor"], first["location"]) == (
        15,
        "Lab robotica",
        "Instructeur robotica",
        "Hotspot Amersfoort",
    )
    assert {b["school_id"] for b in first["bookings"]} == {"corlaer", "nxt"}

    mine = (await client.get("/sessions", params=span, headers=headers(school("nxt")))).json()
    assert [b["school_id"] for b in mine[0]["bookings"]] == ["nxt"]
    assert "corlaer" not in str(mine)

    def ids(answer):
        return [s["id"] for s in answer.json()]

    by_school = await client.get(
        "/sessions", params=span | {"school_id": "corlaer"}, headers=headers(BACKOFFICE)
    )
    assert ids(by_school) == [str(session.id)]
    by_location = await client.get(
        "/sessions", params=span | {"location": "Corlaer"}, headers=headers(BACKOFFICE)
    )
    assert ids(by_location) == [str(other.id)]
    by_room = await client.get(
        "/sessions", params=span | {"room": "Lab robotica"}, headers=headers(BACKOFFICE)
    )
    assert ids(by_room) == [str(session.id)]
    by_instructor = await client.get(
        "/sessions", params=span | {"instructor": "Instructeur cnc"}, headers=headers(BACKOFFICE)
    )
    assert ids(by_instructor) == [str(other.id)]


async def test_the_agenda_refuses_more_than_93_days_in_dutch(rt, client):
    session = await session_of(rt, await offer(rt, "robotica", "Inspiratieles Robotica"))
    first = local_date(session.starts_at)
    fits = await client.get(
        "/sessions",
        headers=headers(BACKOFFICE),
        params={"from": first.isoformat(), "to": (first + timedelta(days=92)).isoformat()},
    )
    assert fits.status_code == 200 and len(fits.json()) == 1
    too_long = await client.get(
        "/sessions",
        headers=headers(BACKOFFICE),
        params={"from": first.isoformat(), "to": (first + timedelta(days=93)).isoformat()},
    )
    assert too_long.status_code == 422 and "93 dagen" in too_long.json()["detail"]


async def test_a_booking_reads_with_its_offer_session_and_place(rt, client):
    session = await session_of(
        rt, await offer(rt, "robotica", "Inspiratieles Robotica"), capacity=10
    )
    await commands.book(rt, school("nxt"), session.id, group(10))
    waiting = await commands.book(rt, school("corlaer"), session.id, group(4))

    one = (
        await client.get(f"/bookings/{waiting.booking.id}", headers=headers(school("corlaer")))
    ).json()
    listed = (await client.get("/bookings", headers=headers(school("corlaer")))).json()
    assert listed == [one]
    assert one["offering_title"] == "Inspiratieles Robotica"
    assert one["offering_kind"] == "inspiration_lesson"
    assert (one["location"], one["room"]) == ("Hotspot Amersfoort", "Lab robotica")
    assert one["starts_at"].startswith(session.starts_at.date().isoformat())
    assert (one["status"], one["waitlist_position"], one["group"]["name"]) == (
        "waitlisted",
        1,
        "3B",
    )


async def test_a_schools_bookings_of_some_days_only(rt, client):
    soon = await session_of(rt, await offer(rt, "robotica", "Inspiratieles Robotica"))
    later = await session_of(rt, await offer(rt, "cnc", "Keuzevak CNC"), days_ahead=60)
    for session in (soon, later):
        await commands.book(rt, school("corlaer"), session.id, group(10))
    await commands.book(rt, school("nxt"), soon.id, group(5))
    day = local_date(soon.starts_at).isoformat()

    mine = await client.get(
        "/bookings", params={"from": day, "to": day}, headers=headers(school("corlaer"))
    )
    assert [(b["school_id"], b["session_id"]) for b in mine.json()] == [("corlaer", str(soon.id))]
    half = await client.get("/bookings", params={"from": day}, headers=headers(BACKOFFICE))
    assert half.status_code == 422 and half.json()["detail"] == "geef from en to samen op"


async def test_a_teacher_books_for_the_own_school_and_sees_the_schools_bookings(rt, client):
    session = await session_of(rt, await offer(rt, "robotica", "Inspiratieles Robotica"))
    teacher = Caller(actor="docent-corlaer", role="teacher", organisation="corlaer")
    booked = await commands.book(rt, teacher, session.id, group(10, "2B"))
    await commands.book(rt, school("corlaer"), session.id, group(5, "3A"))
    await commands.book(rt, school("nxt"), session.id, group(5, "1C"))
    assert (booked.booking.school_id, booked.booking.booked_by) == ("corlaer", "docent-corlaer")

    seen = (await client.get("/bookings", headers=headers(teacher))).json()
    assert sorted(b["group"]["name"] for b in seen) == ["2B", "3A"]  # the school's, not nxt's
    with pytest.raises(BookingRefused):
        await commands.book(rt, teacher, session.id, group(5), school_id="nxt")
