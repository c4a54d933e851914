import httpx
import jwt
import pytest

from services.gateway.auth import ISSUER, REQUEST_TOKEN_SECONDS, TokenService
from services.gateway.keys import SigningKey
from services.gateway.tests.conftest import login, running, sent_caller
from services.gateway.upstream import XLSX, Upstreams
from shared.auth import ALGORITHM, GatewayTokens, InvalidToken, KeySet
from shared.http import Caller

BOOKING = "6f1c1a2e-3b7d-4c55-9a61-0a5e1c2d3e4f"


async def test_forwards_identity_and_request_ids_not_client_headers(echo, calls):
    async with running(echo) as client:
        auth = await login(client, "corlaer")
        answer = await client.get(
            "/api/v1/offerings?limit=5",
            headers=auth
            | {"X-Request-ID": "req-1", "X-TFT-Role": "backoffice", "X-TFT-Organisation": "x"},
        )
    assert answer.status_code == 200 and answer.json() == {"path": "/offerings"}
    sent = calls[0]
    assert sent_caller(sent) == Caller("corlaer", "school", "corlaer")
    assert not [name for name in sent.headers if name.lower().startswith("x-tft-")]
    assert sent.headers["X-Request-ID"] == sent.headers["X-Correlation-ID"] == "req-1"
    assert sent.headers["authorization"] != auth["Authorization"]  # not the caller's own
    assert dict(sent.url.params) == {"limit": "5", "offset": "0"}
    assert answer.headers["X-Request-ID"] == "req-1"


async def test_each_call_carries_a_token_for_that_service_alone_that_it_verifies(calls):
    """The service's own check (shared.auth) accepts it against the gateway's JWKS, with the
    school the backoffice acts for; another service refuses it."""

    def upstream(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={"kind": "vmbo"} if request.method == "GET" else {})

    async with running(upstream) as client:
        auth = await login(client, "backoffice")
        booked = await client.post(
            "/api/v1/bookings",
            headers=auth,
            json={
                "session_id": BOOKING,
                "school_id": "nxt",
                "group": {"name": "3B", "level": "vmbo-kb", "year": 3, "students": 24},
            },
        )
        jwks = (await client.get("/.well-known/jwks.json")).json()
    assert booked.status_code == 200, booked.text
    [asked_directory, sent] = calls
    token = sent.headers["authorization"].removeprefix("Bearer ")
    keys = KeySet("", ALGORITHM, fixed=jwks)
    bookings = GatewayTokens(keys, "bookings", ISSUER)
    assert await bookings.verify(token) == Caller("backoffice", "backoffice", "backoffice")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["obo"] == "nxt" and claims["exp"] - claims["iat"] == REQUEST_TOKEN_SECONDS
    assert (
        jwt.decode(
            asked_directory.headers["authorization"].removeprefix("Bearer "),
            options={"verify_signature": False},
        )["aud"]
        == "directory"
    )
    with pytest.raises(InvalidToken, match="Audience"):
        await GatewayTokens(keys, "finance", ISSUER).verify(token)


async def test_generated_request_id_reaches_the_upstream(echo, calls):
    async with running(echo) as client:
        answer = await client.get("/api/v1/events", headers=await login(client, "nxt"))
    assert calls[0].headers["X-Request-ID"] == answer.headers["X-Request-ID"]


async def test_upstream_status_and_problem_body_are_passed_back():
    problem = {
        "type": "about:blank",
        "title": "Not possible",
        "status": 404,
        "detail": "deze boeking bestaat niet",
    }

    def upstream(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            404,
            json=problem,
            headers={"content-type": "application/problem+json", "server": "internal-host-7"},
        )

    async with running(upstream) as client:
        answer = await client.get(
            f"/api/v1/bookings/{BOOKING}", headers=await login(client, "lodenstein")
        )
    assert answer.status_code == 404 and answer.json() == problem
    assert answer.headers["content-type"] == "application/problem+json"
    assert "server" not in answer.headers


async def test_body_is_validated_and_forwarded_with_the_upstream_status(calls):
    def upstream(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(201, json={"id": BOOKING})

    group = {"name": "3B", "level": "vmbo-kb", "year": 3, "students": 24}
    async with running(upstream) as client:
        auth = await login(client, "corlaer")
        bad = await client.post(
            "/api/v1/bookings",
            headers=auth,
            json={"session_id": BOOKING, "group": group | {"students": 0}},
        )
        good = await client.post(
            "/api/v1/bookings", headers=auth, json={"session_id": BOOKING, "group": group}
        )
    assert bad.status_code == 422 and len(calls) == 1
    assert good.status_code == 201
    assert calls[0].url.path == "/bookings"
    sent = httpx.Response(200, content=calls[0].content).json()
    assert {k: v for k, v in sent.items() if v is not None} == {
        "session_id": BOOKING,
        "group": group,
    }


@pytest.mark.parametrize(
    "failure,status",
    [
        (httpx.ConnectError("refused by 10.0.3.7"), 503),
        (httpx.ReadTimeout("bookings.internal timed out"), 504),
    ],
)
async def test_unreachable_or_slow_upstream_is_503_or_504_naming_the_service(failure, status):
    def upstream(request: httpx.Request) -> httpx.Response:
        raise failure

    async with running(upstream, upstream_timeout_seconds=0.3) as client:
        answer = await client.get("/api/v1/offerings", headers=await login(client, "nxt"))
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["service"] == "bookings"
    assert "10.0.3.7" not in answer.text and "internal" not in answer.text


async def test_non_json_upstream_answer_is_502():
    async with running(lambda request: httpx.Response(500, text="<html>oops</html>")) as client:
        answer = await client.get("/api/v1/equipment", headers=await login(client, "nxt"))
    assert answer.status_code == 502 and answer.json()["service"] == "loans"


async def test_routes_reach_their_service(echo, calls):
    async with running(echo) as client:
        auth = await login(client, "backoffice")
        for path in (
            "/notifications",
            "/finance/budget?year=2025",
            "/equipment",
            "/equipment/drone-1/availability?from=2025-01-06&to=2025-01-07",
            "/availability?category=drone&from=2025-01-06&to=2025-01-07",
            "/reservations",
            "/events/girlsday-2025",
            f"/bookings/{BOOKING}/complete",
            f"/reservations/{BOOKING}/cancel",
        ):
            method = "POST" if path.endswith(("complete", "cancel")) else "GET"
            assert (await client.request(method, "/api/v1" + path, headers=auth)).is_success
    assert [(c.url.host, c.url.path) for c in calls] == [
        ("127.0.0.1", "/notifications"),
        ("127.0.0.1", "/budget"),
        ("127.0.0.1", "/items"),
        ("127.0.0.1", "/items/drone-1/availability"),
        ("127.0.0.1", "/availability"),
        ("127.0.0.1", "/reservations"),
        ("127.0.0.1", "/events/girlsday-2025"),
        ("127.0.0.1", f"/bookings/{BOOKING}/complete"),
        ("127.0.0.1", f"/reservations/{BOOKING}/cancel"),
    ]
    assert [c.url.port for c in calls] == [8105, 8104, 8102, 8102, 8102, 8102, 8103, 8101, 8102]


async def test_reservation_bodies_are_validated_and_forwarded(calls):
    def upstream(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(201, json={"id": BOOKING})

    wish = {"item_id": "tft-h2-001", "starts_on": "2028-01-10", "ends_on": "2028-01-12"}
    async with running(upstream) as client:
        auth = await login(client, "corlaer")
        bad = await client.post("/api/v1/reservations", headers=auth, json=wish | {"quantity": 0})
        good = await client.post("/api/v1/reservations", headers=auth, json=wish)
        extend = await client.post(
            f"/api/v1/reservations/{BOOKING}/extend", headers=auth, json={"ends_on": "2028-01-14"}
        )
    assert bad.status_code == 422 and good.status_code == 201 and extend.is_success
    assert [c.url.path for c in calls] == ["/reservations", f"/reservations/{BOOKING}/extend"]
    assert httpx.Response(200, content=calls[0].content).json() == wish | {
        "quantity": 1,
        "school_id": None,
    }


async def test_missing_or_bad_token_is_401_with_challenge(echo, calls):
    async with running(echo) as client:
        missing = await client.get("/api/v1/offerings")
        bad = await client.get("/api/v1/offerings", headers={"Authorization": "Bearer nope"})
    for answer in (missing, bad):
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert answer.headers["content-type"] == "application/problem+json"
    assert calls == []


@pytest.mark.parametrize(
    "username,method,path",
    [
        ("corlaer", "POST", f"/bookings/{BOOKING}/complete"),
        ("corlaer", "POST", "/offerings/cnc/sessions"),
        ("finance", "POST", "/bookings"),
        ("finance", "POST", f"/bookings/{BOOKING}/cancel"),
        ("finance", "POST", "/reservations"),
        ("finance", "POST", f"/reservations/{BOOKING}/extend"),
        ("corlaer", "GET", "/finance/declaration-lines?school_id=lodenstein"),
    ],
)
async def test_role_checks_refuse_before_forwarding(echo, calls, username, method, path):
    async with running(echo) as client:
        answer = await client.request(
            method, "/api/v1" + path, json={}, headers=await login(client, username)
        )
    assert answer.status_code == 403 and calls == []


async def test_a_school_reads_its_own_declaration_lines(echo, calls):
    async with running(echo) as client:
        answer = await client.get(
            "/api/v1/finance/declaration-lines?quarter=2025-Q1",
            headers=await login(client, "trivium"),
        )
    assert answer.status_code == 200
    assert dict(calls[0].url.params) == {"school_id": "trivium", "quarter": "2025-Q1"}


async def test_path_ids_cannot_walk_upstream_paths(echo, calls):
    async with running(echo) as client:
        answer = await client.get("/api/v1/events/..", headers=await login(client, "nxt"))
    assert answer.status_code in (404, 422) and calls == []


async def test_openapi_is_published_under_the_api_prefix(echo):
    async with running(echo) as client:
        answer = await client.get("/api/v1/openapi.json")
    paths = answer.json()["paths"]
    assert "/api/v1/bookings" in paths and "/api/v1/openapi.json" not in paths
    body = paths["/api/v1/bookings"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("NewBooking")


async def test_clients_are_pooled_per_service_and_closed_with_the_app():
    upstreams = Upstreams(
        {"bookings": "http://b", "loans": "http://l"},
        1.0,
        tokens=TokenService(SigningKey.generate(), 60),
    )
    async with upstreams.lifespan(None):
        clients = dict(upstreams._clients)
        assert set(clients) == {"bookings", "loans"}
    assert all(c.closed for c in clients.values()) and upstreams._clients == {}


async def test_an_open_breaker_answers_503_at_once_while_other_services_work(calls):
    def upstream(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if request.url.port == 8101:  # bookings is down
            raise httpx.ConnectError("refused")
        return httpx.Response(200, json=[])

    async with running(upstream, breaker_failures=2, breaker_open_seconds=60) as client:
        auth = await login(client, "nxt")
        failing = [await client.get("/api/v1/offerings", headers=auth) for _ in range(2)]
        reached = len(calls)
        refused = await client.get("/api/v1/offerings", headers=auth)
        reached_after_refusal = len(calls)
        others = await client.get("/api/v1/events", headers=auth)
    assert [a.status_code for a in failing] == [503, 503]
    assert refused.status_code == 503 and refused.json()["service"] == "bookings"
    assert reached_after_refusal == reached  # refused at the gateway, bookings not called
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert others.status_code == 200 and calls[-1].url.port == 8103


@pytest.mark.parametrize(
    "content,content_type",
    [
        (b"a,b\n1,2\n", "text/csv; charset=utf-8"),
        (b"PK\x03\x04 spreadsheet", XLSX),
    ],
)
async def test_report_downloads_are_relayed_with_their_type_and_file_name(content, content_type):
    disposition = 'attachment; filename="x.csv"'

    def upstream(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content=content,
            headers={"content-type": content_type, "content-disposition": disposition},
        )

    async with running(upstream) as client:
        answer = await client.get("/api/v1/notifications", headers=await login(client, "nxt"))
    assert answer.status_code == 200 and answer.content == content
    assert answer.headers["content-type"] == content_type
    assert answer.headers["content-disposition"] == disposition


async def test_an_html_answer_is_still_not_relayed():
    def upstream(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, text="<p>internal page</p>", headers={"content-type": "text/html"}
        )

    async with running(upstream) as client:
        answer = await client.get("/api/v1/notifications", headers=await login(client, "nxt"))
    assert answer.status_code == 502 and "internal" not in answer.text


async def test_the_clients_idempotency_key_goes_to_the_service_with_its_post(echo, calls):
    # The service records it with the effect: a retry after a lost answer acts only once.
    async with running(echo) as client:
        auth = await login(client, "corlaer")
        await client.post(
            "/api/v1/reservations",
            headers=auth | {"Idempotency-Key": "k-7"},
            json={"item_id": "tft-rob-001", "starts_on": "2027-05-03", "ends_on": "2027-05-03"},
        )
        await client.get("/api/v1/reservations", headers=auth | {"Idempotency-Key": "k-8"})
    posted, read = calls[-2:]
    assert posted.method == "POST" and posted.headers["Idempotency-Key"] == "k-7"
    assert "Idempotency-Key" not in read.headers
