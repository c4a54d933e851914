"""The documents: OpenAPI with examples that the gateway accepts, AsyncAPI, and /docs."""

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.routing import RouteContext, iter_route_contexts
from pydantic import BaseModel, TypeAdapter

from services.gateway.app import app
from services.gateway.tests.conftest import running, settings
from services.loans import domain as loans
from shared.contracts import advertised_types
from shared.contracts.requests.loans import NewReservation
from shared.contracts.topics import EVENT_TOPICS

GATEWAY = app(settings())
DOCUMENT = GATEWAY.openapi()
# Routers are included lazily since FastAPI 0.16x: iter_route_contexts walks them all.
BODIES = [
    pytest.param(route, id=f"{sorted(route.methods)[0]} {route.path}")
    for route in iter_route_contexts(GATEWAY.routes)
    if getattr(route, "body_field", None) is not None
]


@pytest.mark.parametrize("route", BODIES)
def test_each_request_body_example_is_valid(route: RouteContext):
    method = sorted(route.methods)[0].lower()
    body = DOCUMENT["paths"][route.path][method]["requestBody"]["content"]["application/json"]
    sample = body["example"]
    TypeAdapter(route.body_field.field_info.annotation).validate_python(sample)


DATED = [
    route
    for route in BODIES
    if route.values[0].path.startswith(
        tuple(
            f"/api/v1/{resource}"
            for resource in ("reservations", "offerings", "bookings", "calendar")
        )
    )
]


@pytest.mark.parametrize("route", DATED)
def test_dates_in_booking_and_reservation_examples_pass_the_date_rules(route: RouteContext):
    method = sorted(route.methods)[0].lower()
    body = DOCUMENT["paths"][route.path][method]["requestBody"]["content"]["application/json"]
    sample = TypeAdapter(route.body_field.field_info.annotation).validate_python(body["example"])
    today = date.today()
    moments = _moments(sample)
    for name, moment in moments.items():
        if isinstance(moment, datetime):  # a lesson: booked at least a day ahead
            assert moment - datetime.now(UTC) >= timedelta(days=1), (name, moment)
        else:
            assert moment >= today, (name, moment)
    for start, end in (("starts_on", "ends_on"), ("starts_at", "ends_at")):
        if start in moments:
            assert moments[end] > moments[start], (start, end)
    if isinstance(sample, NewReservation):
        loans.reservation_period(sample.starts_on, sample.ends_on, today, loans.Policy())


def _moments(sample: object) -> dict[str, date]:
    """The body's dates and moments by field name."""
    fields = vars(sample) if isinstance(sample, BaseModel) else {}
    return {name: value for name, value in fields.items() if isinstance(value, date)}


def test_every_post_documents_idempotency_and_every_route_the_edge_answers():
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            assert {"401", "429", "503"} <= set(operation["responses"]), (method, path)
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            assert ("Idempotency-Key" in headers) == (method == "post"), (method, path)


async def test_docs_page_shows_both_documents_without_anything_from_elsewhere(echo):
    async with running(echo) as client:
        page = await client.get("/docs")
        events = (await client.get("/api/v1/asyncapi.json")).json()
        published = (await client.get("/api/v1/openapi.json")).json()
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text and "cdn" not in page.text.lower()
    assert "/api/v1/bookings" in page.text and "tft.bookings.booking" in page.text
    assert events["asyncapi"].startswith("3.") and set(EVENT_TOPICS) <= set(events["channels"])
    assert {m["name"] for m in events["components"]["messages"].values()} == set(advertised_types())
    assert published["paths"].keys() == DOCUMENT["paths"].keys()
