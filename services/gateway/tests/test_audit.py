import json

import httpx

from services.gateway.tests.conftest import login, running

BOOKING = "6f1c1a2e-3b7d-4c55-9a61-0a5e1c2d3e4f"
NEW_BOOKING = {
    "session_id": BOOKING,
    "group": {"name": "3B", "level": "vmbo-kb", "year": 3, "students": 24},
}


async def test_state_changing_calls_are_audited_with_who_what_and_result(tmp_path):
    audit = tmp_path / "audit.jsonl"

    def upstream(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, json={"id": BOOKING})

    async with running(upstream, audit_path=audit) as client:
        school = await login(client, "corlaer")
        await client.get("/api/v1/offerings", headers=school)  # a read: not audited
        created = await client.post(
            "/api/v1/bookings", json=NEW_BOOKING, headers=school | {"X-Request-ID": "req-audit-1"}
        )
        refused = await client.post(f"/api/v1/bookings/{BOOKING}/complete", headers=school)
        anonymous = await client.post("/api/v1/bookings", json=NEW_BOOKING)
        listed = await client.get("/api/v1/audit", headers=await login(client, "admin"))
        denied = await client.get("/api/v1/audit", headers=school)
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    audited = [
        (e["actor"], e["method"], e["path"], e["status"])
        for e in lines
        if e["path"] != "/api/v1/auth/token"
    ]
    assert audited == [
        ("corlaer", "POST", "/api/v1/bookings", created.status_code),
        ("corlaer", "POST", f"/api/v1/bookings/{BOOKING}/complete", refused.status_code),
        (None, "POST", "/api/v1/bookings", anonymous.status_code),
    ]
    first = next(e for e in lines if e["request_id"] == "req-audit-1")
    assert (first["role"], first["organisation"], first["status"]) == ("school", "corlaer", 201)
    assert first["at"].endswith("+00:00")
    assert listed.status_code == 200 and listed.json()[0] == lines[-1]
    assert denied.status_code == 403
