"""ETag and If-Match on the bookings service's PUT and PATCH (shared/store/versions.py): a GET
tells the version, a write on a stale one is 412 in Dutch, and of concurrent writers with the
same ETag exactly one wins, on both stores."""

import asyncio
from collections import Counter

import pytest

from services.bookings import api
from services.bookings.tests.scenario import migrated_runtime, new_offering
from shared.tests.callers import as_caller
from shared.tests.racing import warm

BACKOFFICE = as_caller("bookings", "backoffice", "backoffice", "planner")
QUOTA = "/calendar/quotas/etag-school/2031"
WRITERS = 8


@pytest.fixture
async def client(rt, api_client):
    return await api_client("bookings", api.routes, rt)


async def test_a_write_on_the_version_read_succeeds_and_a_stale_one_is_refused(client):
    created = await client.put(QUOTA, headers=BACKOFFICE, json={"max_sessions": 4})
    assert created.status_code == 200 and created.headers["etag"] == '"1"'
    read = await client.get(QUOTA, headers=BACKOFFICE)
    assert (read.json()["max_sessions"], read.headers["etag"]) == (4, '"1"')

    changed = await client.put(
        QUOTA, headers={**BACKOFFICE, "If-Match": '"1"'}, json={"max_sessions": 5}
    )
    assert changed.status_code == 200 and changed.headers["etag"] == '"2"'
    stale = await client.put(
        QUOTA, headers={**BACKOFFICE, "If-Match": '"1"'}, json={"max_sessions": 9}
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["detail"].startswith("Iemand anders heeft dit intussen gewijzigd")
    assert "etag" not in stale.headers
    assert (await client.get(QUOTA, headers=BACKOFFICE)).json()["max_sessions"] == 5


async def test_without_if_match_a_write_works_as_before_and_moves_the_version(client):
    await client.put(QUOTA, headers=BACKOFFICE, json={"max_sessions": 4})
    again = await client.put(QUOTA, headers=BACKOFFICE, json={"max_sessions": 6})
    assert (again.status_code, again.headers["etag"]) == (200, '"2"')
    assert (
        await client.put(QUOTA, headers={**BACKOFFICE, "If-Match": "*"}, json={"max_sessions": 7})
    ).headers["etag"] == '"3"'


@pytest.mark.parametrize("if_match", ['W/"1"', '"one"', '"7", "8"'])
async def test_a_weak_unknown_or_other_tag_does_not_match(client, if_match):
    await client.put(QUOTA, headers=BACKOFFICE, json={"max_sessions": 4})
    refused = await client.put(
        QUOTA, headers={**BACKOFFICE, "If-Match": if_match}, json={"max_sessions": 5}
    )
    assert refused.status_code == 412
    listed = await client.put(
        QUOTA, headers={**BACKOFFICE, "If-Match": '"7", "1"'}, json={"max_sessions": 5}
    )
    assert listed.status_code == 200


async def test_if_match_on_what_does_not_exist_yet_is_refused(client):
    refused = await client.put(
        QUOTA, headers={**BACKOFFICE, "If-Match": "*"}, json={"max_sessions": 4}
    )
    assert refused.status_code == 412
    assert (await client.get(QUOTA, headers=BACKOFFICE)).status_code == 404


async def test_rules_that_hold_their_defaults_have_version_0_until_first_set(client):
    defaults = await client.get("/calendar/rules", headers=BACKOFFICE)
    assert defaults.headers["etag"] == '"0"'
    body = {"min_lead_days": 3, "free_cancellation_days": 7}
    first = await client.put(
        "/calendar/rules", headers={**BACKOFFICE, "If-Match": '"0"'}, json=body
    )
    assert (first.status_code, first.headers["etag"]) == (200, '"1"')
    assert (
        await client.put("/calendar/rules", headers={**BACKOFFICE, "If-Match": '"0"'}, json=body)
    ).status_code == 412


async def test_an_offering_patch_carries_its_version(rt, client):
    offering_id = await new_offering(rt)
    read = await client.get(f"/offerings/{offering_id}", headers=BACKOFFICE)
    edited = await client.patch(
        f"/offerings/{offering_id}",
        headers={**BACKOFFICE, "If-Match": read.headers["etag"]},
        json={"title": "Robotica en AI"},
    )
    assert (edited.status_code, edited.headers["etag"]) == (200, '"2"')
    lost = await client.patch(
        f"/offerings/{offering_id}",
        headers={**BACKOFFICE, "If-Match": read.headers["etag"]},
        json={"title": "Drones"},
    )
    assert lost.status_code == 412
    assert (await client.get(f"/offerings/{offering_id}", headers=BACKOFFICE)).json()[
        "title"
    ] == "Robotica en AI"


@pytest.fixture
async def each_rt(each_store):
    runtime = await migrated_runtime(each_store("tft_bookings_etags"))
    await warm(runtime.db)
    yield runtime
    await runtime.db.dispose()


@pytest.mark.integration
async def test_of_writers_with_the_same_etag_exactly_one_wins(each_rt, api_client):
    client = await api_client("bookings", api.routes, each_rt)
    etag = (await client.put(QUOTA, headers=BACKOFFICE, json={"max_sessions": 1})).headers["etag"]

    answers = await asyncio.gather(
        *(
            client.put(
                QUOTA, headers={**BACKOFFICE, "If-Match": etag}, json={"max_sessions": 10 + n}
            )
            for n in range(WRITERS)
        )
    )

    await only_the_winner_stands(client, QUOTA, answers, '"2"')


@pytest.mark.integration
async def test_of_writers_setting_defaults_for_the_first_time_exactly_one_wins(each_rt, api_client):
    client = await api_client("bookings", api.routes, each_rt)
    etag = (await client.get("/calendar/rules", headers=BACKOFFICE)).headers["etag"]

    answers = await asyncio.gather(
        *(
            client.put(
                "/calendar/rules",
                headers={**BACKOFFICE, "If-Match": etag},
                json={"min_lead_days": n, "free_cancellation_days": 7},
            )
            for n in range(WRITERS)
        )
    )

    await only_the_winner_stands(client, "/calendar/rules", answers, '"1"')


async def only_the_winner_stands(client, path: str, answers: list, etag: str) -> None:
    assert Counter(a.status_code for a in answers) == {200: 1, 412: WRITERS - 1}
    winner = next(a for a in answers if a.status_code == 200)
    now = await client.get(path, headers=BACKOFFICE)
    assert now.json() == winner.json()
    assert now.headers["etag"] == winner.headers["etag"] == etag
