"""The edge of the gateway: idempotency keys, rate limits, body size, CORS, headers."""

import asyncio

import httpx

from services.gateway.tests.conftest import login, running

BOOKING = "6f1c1a2e-3b7d-4c55-9a61-0a5e1c2d3e4f"
GROUP = {"name": "3B", "level": "vmbo-kb", "year": 3, "students": 24}
NEW_BOOKING = {"session_id": BOOKING, "group": GROUP}


def creating(calls: list[httpx.Request]):
    """An upstream whose POSTs create something new each time they arrive (an effect)."""

    def upstream(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(201, json={"id": f"booking-{len(calls)}"})

    return upstream


async def test_twenty_parallel_posts_with_one_key_have_one_effect(calls):
    async with running(creating(calls)) as client:
        auth = await login(client, "corlaer") | {"Idempotency-Key": "retry-me-1"}
        answers = await asyncio.gather(
            *(client.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING) for _ in range(20))
        )
        after = await client.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING)
    assert len(calls) == 1
    assert {a.status_code for a in answers} <= {201, 409}
    assert all(a.json() == {"id": "booking-1"} for a in answers if a.status_code == 201)
    assert after.status_code == 201 and after.json() == {"id": "booking-1"}
    assert after.headers["idempotent-replayed"] == "true"


async def test_same_key_with_another_body_is_422_and_runs_nothing(calls):
    async with running(creating(calls)) as client:
        auth = await login(client, "corlaer") | {"Idempotency-Key": "k-2"}
        first = await client.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING)
        other = await client.post(
            "/api/v1/bookings", headers=auth, json=NEW_BOOKING | {"group": GROUP | {"students": 5}}
        )
    assert first.status_code == 201 and other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert len(calls) == 1


async def test_a_key_still_running_gets_409(calls):
    arrived = asyncio.Event()

    def hanging(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        arrived.set()
        raise httpx.ReadTimeout("answers after the gateway gave up")

    async with running(hanging, upstream_timeout_seconds=2) as client:
        auth = await login(client, "corlaer") | {"Idempotency-Key": "k-3"}
        first = asyncio.create_task(client.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING))
        await arrived.wait()  # the first request has reached the service and waits there
        second = await client.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING)
        await first
    assert second.status_code == 409 and len(calls) == 1
    assert second.headers["content-type"] == "application/problem+json"


async def test_keys_are_scoped_per_caller_and_posts_without_key_all_run(calls):
    async with running(creating(calls)) as client:
        corlaer = await login(client, "corlaer") | {"Idempotency-Key": "shared"}
        nxt = await login(client, "nxt") | {"Idempotency-Key": "shared"}
        one = await client.post("/api/v1/bookings", headers=corlaer, json=NEW_BOOKING)
        two = await client.post("/api/v1/bookings", headers=nxt, json=NEW_BOOKING)
        plain = await login(client, "nxt")
        for _ in range(2):
            await client.post("/api/v1/bookings", headers=plain, json=NEW_BOOKING)
    assert one.json() != two.json() and len(calls) == 4


async def test_an_unavailable_service_releases_the_key_for_the_retry(calls):
    down = {"yes": True}

    def upstream(request: httpx.Request) -> httpx.Response:
        if down["yes"]:
            return httpx.Response(503, json={"title": "down"})
        return creating(calls)(request)

    async with running(upstream) as client:
        auth = await login(client, "corlaer") | {"Idempotency-Key": "k-5"}
        first = await client.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING)
        down["yes"] = False
        retry = await client.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING)
    assert first.status_code == 503 and retry.status_code == 201 and len(calls) == 1


async def test_an_invalid_key_is_400_naming_the_header(echo):
    async with running(echo) as client:
        auth = await login(client, "corlaer") | {"Idempotency-Key": "x" * 300}
        answer = await client.post("/api/v1/bookings", headers=auth, json=NEW_BOOKING)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_rate_limit_per_token_is_429_with_retry_after(echo):
    async with running(echo, rate_per_subject=0.5, burst_per_subject=3) as client:
        auth = await login(client, "nxt")
        answers = [await client.get("/api/v1/offerings", headers=auth) for _ in range(4)]
        other = await client.get("/api/v1/offerings", headers=await login(client, "corlaer"))
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1
    assert other.status_code == 200


async def test_rate_limit_per_address_covers_the_login(echo):
    async with running(echo, rate_per_address=0.5, burst_per_address=2) as client:
        answers = [
            await client.post("/api/v1/auth/token", json={"username": "nxt", "password": "wrong"})
            for _ in range(3)
        ]
    assert [a.status_code for a in answers] == [401, 401, 429]


async def test_body_over_the_limit_is_413_before_it_reaches_a_service(echo, calls):
    async with running(echo, max_body_bytes=1024) as client:
        auth = await login(client, "corlaer")
        declared = await client.post(
            "/api/v1/bookings", headers=auth, json=NEW_BOOKING | {"padding": "x" * 2000}
        )

        async def chunks():
            for _ in range(3):
                yield b" " * 600

        streamed = await client.post("/api/v1/bookings", headers=auth, content=chunks())
    assert declared.status_code == streamed.status_code == 413
    assert declared.headers["content-type"] == "application/problem+json"
    assert calls == []


async def test_cors_allows_only_the_configured_origins(echo):
    async with running(echo, cors_origins=["https://app.example.nl"]) as client:
        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Idempotency-Key",
        }
        allowed = await client.options(
            "/api/v1/bookings", headers=preflight | {"Origin": "https://app.example.nl"}
        )
        refused = await client.options(
            "/api/v1/bookings", headers=preflight | {"Origin": "https://evil.example"}
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.nl"
    assert "access-control-allow-origin" not in refused.headers


async def test_security_headers_on_api_answers_and_hsts_only_behind_tls(echo):
    async with running(echo) as client:
        plain = await client.get("/api/v1/offerings", headers=await login(client, "nxt"))
        missing = await client.get("/api/v1/nothing-here")
    async with running(echo, hsts=True) as client:
        tls = await client.get("/api/v1/auth/jwks.json")
    for answer in (plain, missing):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in answer.headers
    assert tls.headers["strict-transport-security"].startswith("max-age=")
    assert tls.headers["cache-control"].startswith("public")


async def test_an_upstream_failure_never_shows_its_hosts_or_traces():
    def upstream(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/offerings":
            return httpx.Response(
                500,
                text="<h1>Error</h1> at bookings-7.internal:8101",
                headers={"content-type": "text/html"},
            )
        return httpx.Response(500, json={"detail": "Traceback ... db.internal:5432 refused"})

    async with running(upstream) as client:
        auth = await login(client, "backoffice")
        page = await client.get("/api/v1/offerings", headers=auth)
        traced = await client.get("/api/v1/events", headers=auth)
    for answer in (page, traced):
        assert answer.status_code == 502
        assert answer.headers["content-type"] == "application/problem+json"
        assert "internal" not in answer.text and "Traceback" not in answer.text


async def test_validation_errors_list_each_field_with_a_reason_and_a_code(echo):
    async with running(echo) as client:
        answer = await client.post(
            "/api/v1/bookings",
            headers=await login(client, "corlaer"),
            json={"session_id": "not-a-uuid", "group": GROUP | {"students": 0}},
        )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    errors = {e["field"]: e for e in answer.json()["errors"]}
    assert set(errors) == {"session_id", "group.students"}
    assert errors["group.students"]["code"] == "greater_than_equal"
    assert all(e["message"] for e in errors.values())
