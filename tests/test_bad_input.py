"""Bad input gets a 4xx with a Dutch problem detail, on both stores: each service's own HTTP
API (what the gateway forwards to) on a migrated SQLite and PostgreSQL store, and the whole
platform behind the gateway on PostgreSQL."""

import asyncio
import importlib

import httpx
import pytest

from shared.service import create_app
from shared.store.migrations import upgrade
from shared.tests.callers import TRUST_TEST_KEY, as_caller
from tests.harness import Platform

# Callers as (role, organisation); `as_caller` signs a token for the service called.
BACKOFFICE = ("backoffice", "backoffice")
FINANCE = ("finance", "finance")
# Every list of every service, and who may read it.
LISTS = [
    ("bookings", "/offerings", BACKOFFICE),
    ("bookings", "/bookings", BACKOFFICE),
    ("events", "/events", BACKOFFICE),
    ("events", "/registrations", BACKOFFICE),
    ("events", "/attendees", BACKOFFICE),
    ("events", "/hosted-sessions", BACKOFFICE),
    ("finance", "/declarations", FINANCE),
    ("finance", "/declaration-lines?school_id=corlaer&quarter=2026-Q4", FINANCE),
    ("loans", "/items", BACKOFFICE),
    ("loans", "/damage-reports", BACKOFFICE),
    ("loans", "/reservations", BACKOFFICE),
    ("notify", "/notifications", BACKOFFICE),
    ("notify", "/notifications/failed", BACKOFFICE),
]
BEYOND_ANY_STORE = 2**63  # one past a 64-bit integer, the largest either store holds
INVALID = "het verzoek heeft ongeldige velden"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A factory: the URL of a new, migrated store of `service` of the parametrized kind."""

    async def make(service: str) -> str:
        if request.param == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp_path / service}.db"
        else:
            url = request.getfixturevalue("fresh_database")(f"tft_bad_input_{service}")
        await asyncio.to_thread(upgrade, service, url)  # alembic runs a loop of its own
        return url

    return make


def _client(service: str, database_url: str) -> httpx.AsyncClient:
    """The service's app as it is served, without its lifespan (no Kafka needed to answer)."""
    spec = importlib.import_module(f"services.{service}.app").SPEC
    app = create_app(
        spec, spec.settings(service=service, database_url=database_url, **TRUST_TEST_KEY)
    )
    # A crash must come back as the 500 the service answers, not raise in the test.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url=f"http://{service}")


def _field_errors(answer: httpx.Response) -> dict[str, str]:
    return {e["field"]: e["code"] for e in answer.json().get("errors", [])}


@pytest.mark.integration
@pytest.mark.parametrize(("service", "path", "caller"), LISTS)
async def test_an_offset_past_the_bound_is_refused_and_the_bound_itself_answers(
    store_url, service, path, caller
):
    joiner = "&" if "?" in path else "?"
    async with _client(service, await store_url(service)) as client:
        headers = as_caller(service, *caller)
        at_bound = await client.get(f"{path}{joiner}offset=1000000", headers=headers)
        beyond = await client.get(f"{path}{joiner}offset={BEYOND_ANY_STORE}", headers=headers)
    assert (at_bound.status_code, at_bound.json()) == (200, [])
    assert beyond.status_code == 422, beyond.text
    assert beyond.json()["detail"] == INVALID
    assert _field_errors(beyond) == {"query.offset": "less_than_equal"}


@pytest.mark.integration
async def test_a_nul_byte_in_a_text_field_is_refused_naming_the_field(store_url):
    closure = {"starts_on": "2027-03-01", "ends_on": "2027-03-01", "name": "Studie\x00dag"}
    async with _client("bookings", await store_url("bookings")) as client:
        backoffice = as_caller("bookings", *BACKOFFICE)
        refused = await client.post("/calendar/closed-periods", headers=backoffice, json=closure)
        listed = await client.get(
            "/calendar/closed-periods?from=2027-03-01&to=2027-03-01", headers=backoffice
        )
    assert refused.status_code == 422, refused.text
    assert _field_errors(refused) == {"name": "control_character"}
    assert listed.json() == []


@pytest.mark.integration
async def test_multi_line_text_keeps_its_newlines_but_not_other_control_characters(store_url):
    async with _client("loans", await store_url("loans")) as client:
        backoffice = as_caller("loans", *BACKOFFICE)
        items = (await client.get("/items", headers=backoffice)).json()
        check_out = f"/reservations/{'0' * 8}-0000-0000-0000-{'0' * 12}/check-out"
        kept = await client.post(
            check_out,
            headers=backoffice,
            json={"condition_note": "doos 1: compleet\r\n\tdoos 2: compleet"},
        )
        refused = await client.post(
            check_out,
            headers=backoffice,
            json={"condition_note": "doos 1: compleet\n\tdoos 2: \x1b[31mkapot"},
        )
    assert items == []  # no reservation exists: a valid body gets as far as the 404
    assert kept.status_code == 404, kept.text
    assert refused.status_code == 422, refused.text
    assert _field_errors(refused) == {"condition_note": "control_character"}


@pytest.mark.integration
async def test_a_body_that_is_not_json_gets_415_with_a_dutch_detail(store_url):
    closure = '{"starts_on": "2027-03-01", "ends_on": "2027-03-01", "name": "Studiedag"}'
    async with _client("bookings", await store_url("bookings")) as client:
        backoffice = as_caller("bookings", *BACKOFFICE)
        as_text = await client.post(
            "/calendar/closed-periods",
            content=closure,
            headers={**backoffice, "Content-Type": "text/plain"},
        )
        as_json = await client.post(
            "/calendar/closed-periods",
            content=closure,
            headers={**backoffice, "Content-Type": "application/json"},
        )
    assert as_text.status_code == 415, as_text.text
    assert as_text.json()["detail"].startswith("stuur de gegevens als JSON")
    assert as_json.status_code == 201, as_json.text


@pytest.mark.integration
def test_the_gateway_refuses_bad_input_with_a_4xx_and_a_dutch_detail(platform: Platform):
    backoffice, school = platform.token("backoffice"), platform.token("corlaer")
    huge = httpx.get(
        f"{platform.gateway}/offerings", headers=backoffice, params={"offset": BEYOND_ANY_STORE}
    )
    nul = httpx.post(
        f"{platform.gateway}/calendar/closed-periods",
        headers=backoffice,
        json={"starts_on": "2027-03-01", "ends_on": "2027-03-01", "name": "Studie\x00dag"},
    )
    text = httpx.post(
        f"{platform.gateway}/calendar/closed-periods",
        headers={**backoffice, "Content-Type": "text/plain"},
        content='{"starts_on": "2027-03-01", "ends_on": "2027-03-01", "name": "Studiedag"}',
    )
    forbidden = httpx.post(
        f"{platform.gateway}/calendar/closed-periods",
        headers=school,
        json={"starts_on": "2027-03-01", "ends_on": "2027-03-01", "name": "Studiedag"},
    )
    assert (huge.status_code, _field_errors(huge)) == (422, {"query.offset": "less_than_equal"})
    assert huge.json()["detail"] == INVALID
    assert (nul.status_code, _field_errors(nul)) == (422, {"name": "control_character"})
    assert text.status_code == 415, text.text
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == "de rol school mag dit niet"
