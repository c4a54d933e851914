import pytest

from services.gateway.auth import Accounts, Principal, Unauthenticated
from services.gateway.tests.conftest import running, settings

SCHOOLS = ("lodenstein", "corlaer", "element", "nxt", "trivium")


def test_demo_accounts_exist_only_in_demo_mode():
    with pytest.raises(Unauthenticated):
        Accounts.for_settings(settings(demo=False)).authenticate("backoffice", "demo")
    demo = Accounts.for_settings(settings(demo=True))
    assert demo.authenticate("backoffice", "demo") == Principal("backoffice", "backoffice",
                                                                "backoffice")
    assert demo.authenticate("finance", "demo").role == "finance"
    for school in SCHOOLS:
        assert demo.authenticate(school, "demo") == Principal(school, "school", school)


def test_demo_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("TFT_DEMO_PASSWORD", "s3cret")
    accounts = Accounts.for_settings(settings())
    assert accounts.authenticate("nxt", "s3cret").organisation == "nxt"
    with pytest.raises(Unauthenticated):
        accounts.authenticate("nxt", "demo")


@pytest.mark.parametrize("username,password", [("corlaer", "wrong"), ("nobody", "demo")])
async def test_wrong_credentials_get_401_problem(echo, username, password):
    async with running(echo) as client:
        answer = await client.post("/api/v1/auth/token",
                                   json={"username": username, "password": password})
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"].startswith("Bearer")


async def test_no_login_at_all_without_demo_mode(echo):
    async with running(echo, demo=False) as client:
        answer = await client.post("/api/v1/auth/token",
                                   json={"username": "backoffice", "password": "demo"})
    assert answer.status_code == 401


async def test_token_response_shape(echo):
    async with running(echo) as client:
        answer = await client.post("/api/v1/auth/token",
                                   json={"username": "finance", "password": "demo"})
    body = answer.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert answer.headers["cache-control"] == "no-store"


def test_demo_passwords_are_kept_as_argon2id_hashes():
    accounts = Accounts.for_settings(settings())
    _, hashed = accounts._accounts["corlaer"]  # noqa: SLF001 - what is kept, not how it is used
    assert hashed.startswith("$argon2id$") and "demo" not in hashed
