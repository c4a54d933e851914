"""The demo data on a migrated SQLite store: every series it plans is whole."""

from collections import Counter

import pytest
from sqlalchemy import select

from services.bookings import catalogue, demo
from services.bookings.api import OfferingOut
from services.bookings.domain import BookingRefused
from services.bookings.store import Offering, Session
from shared import seed


async def test_every_demo_series_has_the_whole_set_of_its_offer(rt):
    await demo.load(rt)

    async with rt.db.sessions() as tx:
        lessons = dict((await tx.execute(select(Offering.id, Offering.sessions_per_booking))).all())
        rows = (
            await tx.execute(
                select(Session.series_id, Session.offering_id).where(Session.series_id.is_not(None))
            )
        ).all()
    per_series = Counter(rows)
    assert per_series, "the demo plans series"
    assert {(offering, n) for (_, offering), n in per_series.items()} == {
        (offering, lessons[offering]) for _, offering in per_series
    }


async def test_a_demo_seed_short_of_a_lesson_is_refused(rt, monkeypatch):
    short = tuple(
        s for s in seed.DEMO_SESSIONS if not (s.offering_id == "mk-robotica" and s.index == 2)
    )
    monkeypatch.setattr(seed, "DEMO_SESSIONS", short)

    with pytest.raises(BookingRefused, match="masterklas bestaat uit 4 lessen"):
        await demo.load(rt)


async def test_each_demo_offer_shows_the_core_task_the_plan_puts_it_under(rt):
    await demo.load(rt)

    shown = {
        o.id: OfferingOut.model_validate(o).core_task
        for o in await catalogue.list_offerings(rt, 100, 0)
    }

    assert {
        k: shown[k]
        for k in (
            "mk-robotica",
            "mk-plastic-fantastic",
            "kv-1313",
            "bedrijfsbezoek-bouw",
            "stage-bouw-2026",
            "po-lessenserie-robotica",
            "mbo-module-techniek",
        )
    } == {
        "mk-robotica": "B",
        "mk-plastic-fantastic": "C",
        "kv-1313": "A",
        "bedrijfsbezoek-bouw": "D",
        "stage-bouw-2026": "A",
        "po-lessenserie-robotica": "B",
        "mbo-module-techniek": "A",
    }
