"""A service of several replicas behind one gateway: requests take turns over them, pass
one that is gone (its connection refused) or not ready, and the service stays available."""

import asyncio

import httpx

from services.gateway.tests.conftest import login, running
from services.gateway.tests.test_edge import NEW_BOOKING

BOOKINGS = {"bookings": 2}  # seen at :8101 and :8111


def ports(calls: list[httpx.Request], path: str) -> list[int | None]:
    return [c.url.port for c in calls if c.url.path == path]


async def test_requests_take_turns_over_the_replicas_and_pass_one_that_is_gone(echo, calls):
    servers: dict = {}
    async with running(echo, replicas=BOOKINGS, servers=servers) as client:
        auth = await login(client, "corlaer")
        before = [await client.get("/api/v1/offerings", headers=auth) for _ in range(4)]
        taking_turns = ports(calls, "/offerings")
        await servers["bookings"][0].close()  # its port refuses connections from now
        calls.clear()
        after = [await client.get("/api/v1/offerings", headers=auth) for _ in range(4)]
        booked = await client.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING)
    assert [a.status_code for a in before + after] == [200] * 8
    assert taking_turns == [8101, 8111, 8101, 8111]
    assert booked.status_code == 200  # a refused POST was never sent: the next replica has it
    assert ports(calls, "/offerings") == [8111] * 4 and ports(calls, "/bookings") == [8111]


async def test_a_replica_that_is_not_ready_is_passed_over(calls):
    heard = asyncio.Event()  # a second probe: the gateway has read the first one's answer

    def upstream(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if request.url.path == "/readyz":
            if ports(calls, "/readyz").count(8101) >= 2:
                heard.set()
            return httpx.Response(503 if request.url.port == 8101 else 200, json={})
        return httpx.Response(200, json=[])

    async with running(upstream, replicas=BOOKINGS, upstream_probe_seconds=0.05) as client:
        auth = await login(client, "corlaer")
        await asyncio.wait_for(heard.wait(), 30)
        answers = [await client.get("/api/v1/offerings", headers=auth) for _ in range(4)]
    assert [a.status_code for a in answers] == [200] * 4
    assert ports(calls, "/offerings") == [8111] * 4


async def test_a_service_is_refused_at_once_only_when_every_replicas_breaker_is_open(calls):
    def upstream(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if request.url.port in (8101, 8111):
            raise httpx.ConnectError("reset")  # the fakes drop the connection: no answer
        return httpx.Response(200, json=[])

    options = {"breaker_failures": 1, "breaker_open_seconds": 60}
    async with running(upstream, replicas=BOOKINGS, **options) as client:
        auth = await login(client, "corlaer")
        failing = [await client.get("/api/v1/offerings", headers=auth) for _ in range(2)]
        reached = ports(calls, "/offerings")
        refused = await client.get("/api/v1/offerings", headers=auth)
    assert [a.status_code for a in failing] == [503, 503]
    # aiohttp tries a GET twice itself; the second request went to the other replica
    assert sorted(set(reached)) == [8101, 8111] and reached[0] == 8101
    assert refused.status_code == 503 and ports(calls, "/offerings") == reached
    assert 1 <= int(refused.headers["retry-after"]) <= 60
