"""A web app whose gateway is an in-process stand-in (httpx.MockTransport): for unit tests
of the front end's own mechanisms. The browser tests in tests/test_web.py use the real one."""

import base64
import json
from collections.abc import Callable

import httpx
import pytest
import sqlalchemy
from fastapi.testclient import TestClient

from shared.store.db import Database, create_engine
from web.app import create_app
from web.gateway import Gateway
from web.sessions import SessionStore
from web.settings import WebSettings
from web.store import metadata


def fake_token(role: str, org: str) -> str:
    claims = base64.urlsafe_b64encode(json.dumps({"role": role, "org": org}).encode())
    return f"e30.{claims.decode().rstrip('=')}.sig"


class FakeGateway:
    """Answers /api/v1 like the gateway for the accounts `corlaer`, `finance`, `backoffice`
    and `voorbeeld-bouw` (password `demo`); records what it was asked."""

    def __init__(self) -> None:
        self.calls: list[httpx.Request] = []
        self.expired_tokens: set[str] = set()
        # More paths a test answers: path -> response, or what makes it of the request.
        self.answers: dict[str, httpx.Response | Callable[[httpx.Request], httpx.Response]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        path = request.url.path.removeprefix("/api/v1")
        if path == "/auth/token":
            body = json.loads(request.content)
            if body["username"] == "geraden":  # tried too often: the gateway's throttle
                return httpx.Response(
                    429,
                    json={
                        "title": "Too many requests",
                        "status": 429,
                        "retry_after": 90,
                        "detail": "te veel aanmeldpogingen; probeer het na de pauze opnieuw",
                    },
                )
            accounts = {
                "corlaer": ("school", "corlaer"),
                "finance": ("finance", "finance"),
                "backoffice": ("backoffice", "hotspot"),
                "voorbeeld-bouw": ("company", "voorbeeld-bouw"),
            }
            if body["username"] not in accounts or body["password"] != "demo":
                return httpx.Response(401, json={"title": "Unauthenticated", "status": 401})
            return httpx.Response(
                200,
                json={
                    "access_token": fake_token(*accounts[body["username"]]),
                    "token_type": "bearer",
                    "expires_in": 3600,
                },
            )
        if request.headers.get("authorization", "").removeprefix("Bearer ") in self.expired_tokens:
            return httpx.Response(401, json={"title": "Unauthenticated", "status": 401})
        if path in self.answers:
            answer = self.answers[path]
            return answer(request) if callable(answer) else answer
        if path in ("/bookings", "/registrations", "/reservations", "/notifications"):
            return httpx.Response(200, json=[])
        if path == "/offerings":
            return httpx.Response(200, json=[])
        return httpx.Response(404, json={"title": "Not found", "status": 404})


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sessions_url(tmp_path) -> str:
    """The web's own store (SQLite) with its tables; the clients of a test share it."""
    path = tmp_path / "web.db"
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    engine.dispose()
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def make_client(gateway, clock, sessions_url) -> Callable[..., TestClient]:
    def make(secure: bool = False) -> TestClient:
        settings = WebSettings(web_secure_cookies=secure, web_session_idle_minutes=30)
        app = create_app(
            settings,
            Gateway("http://gateway", 5, httpx.MockTransport(gateway)),
            SessionStore(Database(create_engine(sessions_url)), 30 * 60, clock=clock),
        )
        return TestClient(
            app, base_url="https://web" if secure else "http://web", follow_redirects=False
        )

    return make


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()
