"""The gateway's documents: OpenAPI for /api/v1 (with examples and the edge's headers and
answers), AsyncAPI for the platform's Kafka topics, and /docs, a plain page rendering both
(server-side HTML: no scripts, no CDN; the machine may have no internet).
"""

import html
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from shared.contracts import advertised_types
from shared.contracts.topics import EVENT_TOPICS, dead_letter_topic
from shared.domain import AMSTERDAM

API_PREFIX = "/api/v1"
SAMPLE_UUID = "6f1c1a2e-3b7d-4c55-9a61-0a5e1c2d3e4f"
SAMPLE_STRINGS = ("voorbeeld", "vmbo-kb", "2026-Q1", "corlaer", "drone")
# Fields that end what a field of the same body starts (ends_on, period_ends_on, closes_at).
ENDS = re.compile(r"(^|_)(ends|closes)(_|$)")
# Examples a generated one cannot guess (rules across fields).
EXAMPLE_OVERRIDES: dict[str, dict[str, Any]] = {
    "Login": {"username": "corlaer", "password": "demo"},
    "NewBooking": {
        "session_id": SAMPLE_UUID,
        "group": {"name": "3B", "level": "vmbo-kb", "year": 3, "students": 24},
    },
}
# What the edge answers on any route, besides the route's own answers.
EDGE_ANSWERS = {
    "400": "Invalid header (e.g. Idempotency-Key)",
    "401": "No valid bearer token",
    "403": "The caller's role or organisation may not do this",
    "413": "Request body too large",
    "422": "Invalid request: `errors` lists each field and why",
    "429": "Too many requests: see Retry-After",
    "502": "The service behind the gateway failed",
    "503": "The service behind the gateway is down (or its breaker is open): see Retry-After",
    "504": "The service behind the gateway did not answer in time",
}
IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A retry with the same key and body gets the first answer and runs "
    "nothing; 409 while the first still runs; 422 with another body. "
    "Kept 24 h, per caller.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    "example": "2f0c5a4e-booking-3b",
}

IF_MATCH_PARAMETER = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of the GET (or of the last write) this change starts from: a "
    "change by someone else since then gets 412. Without it the write "
    "happens whatever the current version.",
    "schema": {"type": "string"},
    "example": '"3"',
}
ETAG_HEADER = {
    "ETag": {
        "description": "The version of this resource, for If-Match",
        "schema": {"type": "string"},
        "example": '"3"',
    }
}


def install_openapi(app: FastAPI) -> None:
    """`app.openapi()` returns the document below (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title="TFT platform API", version="1.0.0", description=__doc__, routes=app.routes
            )
            app.openapi_schema = complete(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def complete(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if "example" not in schema and not name.endswith("Error"):
            schema["example"] = EXAMPLE_OVERRIDES.get(name) or example(schema, schemas)
    for path, item in document["paths"].items():
        if not path.startswith(API_PREFIX):
            continue
        for method, operation in item.items():
            answers = operation.setdefault("responses", {})
            for status, description in EDGE_ANSWERS.items():
                answers.setdefault(status, _problem(description))
            if method == "post":
                operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
            if method in ("put", "patch"):
                _versioned(operation, IF_MATCH_PARAMETER)
            if method == "get" and ("put" in item or "patch" in item):
                _versioned(operation)
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                body.setdefault("example", example(body["schema"], schemas))
                answers.setdefault("415", _problem("The body is not JSON (Content-Type)"))
    return document


def _versioned(operation: dict[str, Any], *parameters: dict[str, Any]) -> None:
    """A GET answers with the ETag a PUT or PATCH of the same path matches with If-Match."""
    operation.setdefault("parameters", []).extend(parameters)
    answers = operation["responses"]
    answers.setdefault("200", {"description": "Successful Response"}).setdefault(
        "headers", {}
    ).update(ETAG_HEADER)
    if parameters:
        answers.setdefault(
            "412", _problem("Changed by someone else since the ETag in If-Match: GET it again")
        )


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
        },
    }


def example(schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0) -> Any:
    """A plausible value for `schema`: enough to show a front end the shape of a body."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return EXAMPLE_OVERRIDES.get(name) or example(schemas[name], schemas, depth + 1)
    for key in ("example", "default", "const"):
        if schema.get(key) is not None:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    options = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    if options:
        chosen = next((o for o in options if o.get("type") != "null"), options[0])
        return example(chosen, schemas, depth + 1)
    return _SAMPLERS.get(schema.get("type", "object"), lambda s, c, d: None)(schema, schemas, depth)


def _object(schema: dict[str, Any], schemas: dict[str, Any], depth: int) -> Any:
    if depth > 6:
        return {}
    required = set(schema.get("required", ()))
    values = {
        name: _ending(name, example(field, schemas, depth + 1))
        for name, field in schema.get("properties", {}).items()
        if name in required or "anyOf" not in field
    }  # optional nullable fields stay out
    return {name: value for name, value in values.items() if value is not None or name in required}


def sample_day() -> date:
    """Two weeks from the day the document is built, on a Tuesday: a day the date rules take
    (not past, lessons booked ahead, within the loan horizon)."""
    day = date.today() + timedelta(days=14)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def _sample_start() -> datetime:
    return datetime.combine(sample_day(), time(9), AMSTERDAM)


def _ending(name: str, value: Any) -> Any:
    """An end two days (a date) or two hours (a moment) after the sample start."""
    if not ENDS.search(name):
        return value
    if value == sample_day().isoformat():
        return (sample_day() + timedelta(days=2)).isoformat()
    if value == _sample_start().isoformat():
        return (_sample_start() + timedelta(hours=2)).isoformat()
    return value


def _string(schema: dict[str, Any], _schemas: Any, _depth: int) -> str:
    formats = {
        "uuid": SAMPLE_UUID,
        "date-time": _sample_start().isoformat(),
        "date": sample_day().isoformat(),
        "email": "info@voorbeeld.nl",
        "time": "09:00:00",
        "uri": "https://voorbeeld.nl/",
    }
    if schema.get("format") in formats:
        return formats[schema["format"]]
    low, high = schema.get("minLength", 1), schema.get("maxLength", 80)
    # Patterns may ask for a length of their own ("{22,100}"): try a few.
    padded = [("voorbeeld" * 12)[:n] for n in (max(low, min(high, 9)), 16, 24, 32, 48)]
    pattern = schema.get("pattern")
    fits = [
        s
        for s in (*SAMPLE_STRINGS, *padded)
        if low <= len(s) <= high and (pattern is None or re.search(pattern, s))
    ]
    return fits[0] if fits else padded[0]  # the tests check each request example


def _number(schema: dict[str, Any], _schemas: Any, _depth: int) -> int:
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
    return min(max(low, 1), schema.get("maximum", low + 1 if low >= 1 else 1))


def _array(schema: dict[str, Any], schemas: dict[str, Any], depth: int) -> list:
    item = example(schema.get("items", {}), schemas, depth + 1)
    return [item] * max(1, schema.get("minItems", 1))


_SAMPLERS: dict[str, Callable[[dict[str, Any], dict[str, Any], int], Any]] = {
    "object": _object,
    "string": _string,
    "integer": _number,
    "number": _number,
    "boolean": lambda *_: True,
    "array": _array,
}


def asyncapi() -> dict[str, Any]:
    """AsyncAPI 3.0 of the platform's topics, from the registry of integration events:
    each topic a channel, each event type a message, sent by the service that owns it."""
    events = sorted(advertised_types().items())
    channels: dict[str, Any] = {
        topic: {
            "address": topic,
            "messages": {},
            "description": f"Dead letters of this topic go to `{dead_letter_topic(topic)}`.",
        }
        for topic in EVENT_TOPICS
    }
    operations: dict[str, Any] = {}
    components: dict[str, Any] = {"messages": {}, "schemas": {}}
    for event_type, model in events:
        name = model.__name__
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components["schemas"].update(schema.pop("$defs", {}))
        components["schemas"][name] = schema
        components["messages"][name] = {
            "name": event_type,
            "title": name,
            "contentType": "application/json",
            "summary": (model.__doc__ or "").strip().split("\n")[0] or event_type,
            "payload": {"$ref": f"#/components/schemas/{name}"},
            "headers": {
                "type": "object",
                "properties": {
                    "event_type": {"const": event_type},
                    "event_id": {"type": "string"},
                    "correlation_id": {"type": "string"},
                },
            },
        }
        channel = channels.setdefault(model.topic, {"address": model.topic, "messages": {}})
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
        service = event_type.split(".")[2]
        operations[f"{service}.send.{name}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{model.topic}"},
            "messages": [{"$ref": f"#/channels/{model.topic}/messages/{name}"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "TFT platform events",
            "version": "1.0.0",
            "description": "Integration events between the services, on Kafka. "
            "Keyed by aggregate id; consumers are idempotent.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": components,
    }


def page(openapi: dict[str, Any], events: dict[str, Any]) -> HTMLResponse:
    """/docs: both documents as one readable page, with links to the JSON."""
    e = html.escape
    rows = []
    for path, item in openapi["paths"].items():
        for method, op in item.items():
            rows.append(
                f"<tr><td><code>{e(method.upper())}</code></td><td><code>{e(path)}"
                f"</code></td><td>{e(', '.join(op.get('tags', [])))}</td>"
                f"<td>{e(op.get('summary', ''))}</td></tr>"
            )
    topics = []
    for topic, channel in events["channels"].items():
        names = ", ".join(sorted(channel["messages"])) or "-"
        topics.append(f"<tr><td><code>{e(topic)}</code></td><td>{e(names)}</td></tr>")
    body = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>TFT platform API</title><style>
body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}
table{{border-collapse:collapse;width:100%}}td{{border-bottom:1px solid #ddd;padding:.25rem}}
</style></head><body><h1>TFT platform API</h1>
<p>HTTP: <a href="{API_PREFIX}/openapi.json">OpenAPI document</a> (examples included).
Events: <a href="{API_PREFIX}/asyncapi.json">AsyncAPI document</a>.
Tokens: <code>POST {API_PREFIX}/auth/token</code> (demo mode), keys at
<a href="{API_PREFIX}/auth/jwks.json">JWKS</a>. Every POST takes an
<code>Idempotency-Key</code>.</p>
<h2>Routes</h2><table>{"".join(rows)}</table>
<h2>Topics</h2><table>{"".join(topics)}</table></body></html>"""
    response = HTMLResponse(body)
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    )
    return response


def install_docs(app: FastAPI) -> None:
    """Replaces FastAPI's Swagger UI and ReDoc (they load from a CDN) with `page`."""
    cdn = {app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url}
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in cdn]
    events = asyncapi()

    @app.get(f"{API_PREFIX}/asyncapi.json", include_in_schema=False)
    async def asyncapi_document() -> dict[str, Any]:
        return events

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return page(app.openapi(), events)
