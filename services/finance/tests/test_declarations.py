"""The declaration workflow through the internal API, on a migrated SQLite store."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from services.finance import handlers
from services.finance.store import messaging
from services.finance.tests.test_handlers import completed, envelope_of
from shared.tests.callers import as_caller

COORDINATOR = as_caller("finance", "school", "corlaer", "jan")
OTHER_SCHOOL = as_caller("finance", "school", "element", "piet")
FINANCE = as_caller("finance", "finance", "finance", "fatima")
# The coordinator's own finance account: a second hat, the same person.
JAN_AT_FINANCE = as_caller("finance", "finance", "finance", "jan")

MATERIAL = {
    "kind": "material",
    "core_task": "C",
    "description": "Filament 3D-printers",
    "amount_cents": 12_345,
    "supplier": "Printshop Amersfoort",
    "invoice_reference": "F-2026-118",
}
TEACHER_HOURS = {
    "kind": "hours",
    "core_task": "A",
    "description": "Begeleiding keuzevak",
    "role": "teacher",
    "minutes": 90,
}


@pytest.fixture
async def declaration(client):
    await client.put("/rates/teacher", json={"hourly_rate_cents": 5001}, headers=FINANCE)
    answer = await client.post("/declarations", json={"quarter": "2026-Q4"}, headers=COORDINATOR)
    assert answer.status_code == 200 and answer.json()["status"] == "draft"
    return answer.json()["id"]


async def post(client, declaration_id, step, headers, body=None):
    return await client.post(f"/declarations/{declaration_id}/{step}", json=body, headers=headers)


async def with_lines(client, declaration_id):
    for line in (MATERIAL, TEACHER_HOURS):
        assert (await post(client, declaration_id, "lines", COORDINATOR, line)).status_code == 201


async def outbox_types(rt) -> list[str]:
    async with rt.db.sessions() as tx:
        return [
            r.event_type
            for r in (
                await tx.execute(select(messaging.outbox).order_by(messaging.outbox.c.seq))
            ).all()
        ]


async def test_a_school_adds_material_and_staff_hours_and_the_totals_add_up(client, declaration):
    await with_lines(client, declaration)
    body = (await client.get(f"/declarations/{declaration}", headers=COORDINATOR)).json()
    material, hours = body["lines"]
    assert (material["supplier"], material["invoice_reference"]) == (
        "Printshop Amersfoort",
        "F-2026-118",
    )
    # 90 minutes at EUR 50.01 is 7501.5 cents: the one rounding rule rounds the half up.
    assert (hours["role"], hours["hourly_rate_cents"], hours["amount_cents"]) == (
        "teacher",
        5001,
        7502,
    )
    assert body["totals_per_core_task"] == {"A": 7502, "C": 12_345}
    assert body["total_cents"] == 19_847 == sum(line["amount_cents"] for line in body["lines"])
    assert hours["added_by"] == "jan" and hours["source_event_id"] is None


async def test_hours_of_a_role_without_a_rate_are_refused(client, declaration):
    answer = await post(
        client, declaration, "lines", COORDINATOR, TEACHER_HOURS | {"role": "tutor"}
    )
    assert answer.status_code == 422 and "tutor" in answer.json()["detail"]


async def test_another_school_neither_reads_nor_adds(client, declaration):
    assert (
        await client.get(f"/declarations/{declaration}", headers=OTHER_SCHOOL)
    ).status_code == 403
    assert (await post(client, declaration, "lines", OTHER_SCHOOL, MATERIAL)).status_code == 403
    listed = await client.get("/declarations", headers=OTHER_SCHOOL)
    assert listed.status_code == 200 and listed.json() == []
    assert (
        await client.get("/declarations", params={"school_id": "corlaer"}, headers=OTHER_SCHOOL)
    ).status_code == 403


async def test_submit_approve_pay_with_events_and_an_audit_trail(client, rt, declaration):
    await with_lines(client, declaration)
    submitted = await post(client, declaration, "submit", COORDINATOR)
    assert submitted.status_code == 200 and submitted.json()["submitted_by"] == "jan"

    locked = await post(client, declaration, "lines", COORDINATOR, MATERIAL)
    assert locked.status_code == 409
    assert (await post(client, declaration, "approve", JAN_AT_FINANCE)).status_code == 403
    assert (
        await post(
            client, declaration, "pay", FINANCE, {"batch": "2027-01", "paid_on": "2027-01-15"}
        )
    ).status_code == 409

    assert (await post(client, declaration, "approve", FINANCE)).json()["status"] == "approved"
    paid = await post(
        client, declaration, "pay", FINANCE, {"batch": "2027-01", "paid_on": "2027-01-15"}
    )
    assert (paid.json()["status"], paid.json()["payment_batch"], paid.json()["paid_on"]) == (
        "paid",
        "2027-01",
        "2027-01-15",
    )

    trail = (await client.get(f"/declarations/{declaration}/audit", headers=COORDINATOR)).json()
    assert [(e["actor"], e["action"], e["from_status"], e["to_status"]) for e in trail] == [
        ("jan", "submitted", "draft", "submitted"),
        ("fatima", "approved", "submitted", "approved"),
        ("fatima", "paid", "approved", "paid"),
    ]
    assert {e["total_cents"] for e in trail} == {19_847}
    assert await outbox_types(rt) == [
        f"nl.tisfortech.finance.declaration.{verb}.v1" for verb in ("submitted", "approved", "paid")
    ]
    async with rt.db.sessions() as tx:
        ids = [r.event_id for r in (await tx.execute(select(messaging.outbox))).all()]
    assert [e["event_id"] for e in trail] == ids


async def test_a_rejected_declaration_goes_back_to_the_school(client, rt, declaration):
    await with_lines(client, declaration)
    await post(client, declaration, "submit", COORDINATOR)
    assert (await post(client, declaration, "reject", FINANCE, {"reason": "  "})).status_code == 422
    rejected = await post(
        client, declaration, "reject", FINANCE, {"reason": "Factuur F-2026-118 ontbreekt"}
    )
    assert (rejected.json()["status"], rejected.json()["rejection_reason"]) == (
        "rejected",
        "Factuur F-2026-118 ontbreekt",
    )
    assert (await post(client, declaration, "lines", COORDINATOR, MATERIAL)).status_code == 201
    assert (await post(client, declaration, "submit", COORDINATOR)).json()["status"] == "submitted"
    async with rt.db.sessions() as tx:
        [rejection] = [
            json.loads(r.payload)
            for r in (await tx.execute(select(messaging.outbox))).all()
            if r.event_type.endswith("rejected.v1")
        ]
    assert rejection["reason"] == "Factuur F-2026-118 ontbreekt"


async def test_only_finance_decides_and_pays(client, declaration):
    await post(client, declaration, "submit", COORDINATOR)
    for step, body in (
        ("approve", None),
        ("reject", {"reason": "nee"}),
        ("pay", {"batch": "b", "paid_on": "2027-01-01"}),
    ):
        assert (await post(client, declaration, step, COORDINATOR, body)).status_code == 403


async def budget(client, amount_cents, hard_limit):
    answer = await client.put(
        "/budget/2026/A",
        headers=FINANCE,
        json={"amount_cents": amount_cents, "hard_limit": hard_limit},
    )
    assert answer.status_code == 200


async def test_approving_past_a_soft_budget_warns(client, declaration):
    await with_lines(client, declaration)
    await budget(client, 7_000, hard_limit=False)
    await post(client, declaration, "submit", COORDINATOR)
    approved = await post(client, declaration, "approve", FINANCE)
    assert approved.status_code == 200
    warning = "kerntaak A komt € 5,02 boven het jaarbudget"
    assert approved.json()["budget_warnings"] == [warning]
    trail = (await client.get(f"/declarations/{declaration}/audit", headers=FINANCE)).json()
    assert trail[-1]["detail"] == warning


async def test_approving_past_a_hard_limit_is_refused(client, declaration):
    await with_lines(client, declaration)
    await budget(client, 7_000, hard_limit=True)
    await post(client, declaration, "submit", COORDINATOR)
    refused = await post(client, declaration, "approve", FINANCE)
    assert refused.status_code == 409 and "harde budgetgrens" in refused.json()["detail"]
    shown = await client.get(f"/declarations/{declaration}", headers=FINANCE)
    assert shown.json()["status"] == "submitted"
    await budget(client, 7_502, hard_limit=True)  # exactly the budget is within it
    assert (await post(client, declaration, "approve", FINANCE)).json()["budget_warnings"] == []
    budget_lines = (await client.get("/budget", params={"year": 2026}, headers=FINANCE)).json()
    assert budget_lines == [
        {
            "core_task": "A",
            "year": 2026,
            "amount_cents": 7_502,
            "hard_limit": True,
            "per_quarter": {"2026-Q1": 1876, "2026-Q2": 1876, "2026-Q3": 1875, "2026-Q4": 1875},
        }
    ]


async def test_budget_and_rates_are_finances_to_set(client):
    assert (
        await client.put("/budget/2026/A", headers=COORDINATOR, json={"amount_cents": 1})
    ).status_code == 403
    assert (
        await client.put("/rates/teacher", headers=COORDINATOR, json={"hourly_rate_cents": 1})
    ).status_code == 403


async def test_a_late_lesson_lands_on_the_next_open_declaration(client, rt, declaration):
    await post(client, declaration, "submit", COORDINATOR)
    event = completed(starts_at=datetime(2026, 11, 5, 9, 0, tzinfo=UTC))
    async with rt.db.transaction() as tx:
        await handlers.booking_completed(rt)(tx, event, envelope_of(event))

    q4 = (await client.get(f"/declarations/{declaration}", headers=FINANCE)).json()
    assert q4["lines"] == []
    [q1] = (
        await client.get("/declarations", params={"quarter": "2027-Q1"}, headers=COORDINATOR)
    ).json()
    [line] = (await client.get(f"/declarations/{q1['id']}", headers=COORDINATOR)).json()["lines"]
    assert (line["quarter"], line["late_for_quarter"]) == ("2027-Q1", "2026-Q4")
    assert q1["status"] == "draft" and q1["total_cents"] == line["amount_cents"] == 15_000


async def test_a_school_flags_a_late_invoice_on_a_later_declaration(client, declaration):
    late = await post(
        client, declaration, "lines", COORDINATOR, MATERIAL | {"late_for_quarter": "2026-Q3"}
    )
    assert late.status_code == 201 and late.json()["late_for_quarter"] == "2026-Q3"
    assert (
        await post(
            client, declaration, "lines", COORDINATOR, MATERIAL | {"late_for_quarter": "2026-Q4"}
        )
    ).status_code == 422


IN_KIND = {
    "kind": "cofinancing",
    "core_task": "B",
    "description": "Gastles metselen",
    "company": "voorbeeld-bouw",
    "form": "in-kind",
    "role": "company-expert",
    "minutes": 120,
}
CASH = {
    "kind": "cofinancing",
    "core_task": "C",
    "description": "Bijdrage Plastic fantastic",
    "company": "voorbeeld-bouw",
    "form": "cash",
    "amount_cents": 250_000,
}


async def test_cofinancing_in_kind_and_cash_counts_in_the_total_but_is_not_payable(
    client, declaration
):
    await client.put("/rates/company-expert", json={"hourly_rate_cents": 8_000}, headers=FINANCE)
    await with_lines(client, declaration)
    for line in (IN_KIND, CASH):
        assert (await post(client, declaration, "lines", COORDINATOR, line)).status_code == 201
    body = (await client.get(f"/declarations/{declaration}", headers=COORDINATOR)).json()
    in_kind, cash = body["lines"][2:]
    assert (in_kind["company"], in_kind["cofinancing_form"], in_kind["amount_cents"]) == (
        "voorbeeld-bouw",
        "in-kind",
        16_000,
    )
    assert (cash["cofinancing_form"], cash["minutes"], cash["amount_cents"]) == ("cash", 0, 250_000)
    assert body["cofinancing_cents"] == 266_000 and body["payable_cents"] == 19_847
    assert body["total_cents"] == 285_847 == sum(line["amount_cents"] for line in body["lines"])


@pytest.mark.parametrize(
    "line",
    [
        IN_KIND | {"amount_cents": 100},
        {k: v for k, v in IN_KIND.items() if k != "minutes"},
        CASH | {"role": "company-expert", "minutes": 60},
        {k: v for k, v in CASH.items() if k != "amount_cents"},
        CASH | {"company": "Voorbeeld Bouw"},
    ],
)
async def test_cofinancing_is_either_hours_or_money(client, declaration, line):
    assert (await post(client, declaration, "lines", COORDINATOR, line)).status_code == 422


async def approved_line(client, declaration) -> dict:
    """The teacher hours of an approved declaration (7 502 cents)."""
    await with_lines(client, declaration)
    await post(client, declaration, "submit", COORDINATOR)
    await post(client, declaration, "approve", FINANCE)
    body = (await client.get(f"/declarations/{declaration}", headers=FINANCE)).json()
    return body["lines"][1]


async def next_declaration(client) -> str:
    answer = await client.post("/declarations", json={"quarter": "2027-Q1"}, headers=COORDINATOR)
    return answer.json()["id"]


async def test_an_approved_line_is_corrected_by_a_new_line_never_edited(client, declaration):
    hours = await approved_line(client, declaration)
    q1 = await next_declaration(client)
    correction = {
        "corrects_line_id": hours["id"],
        "amount_cents": -2_500,
        "description": "Een half uur te veel geschreven",
    }
    made = await post(client, q1, "corrections", COORDINATOR, correction)
    assert made.status_code == 201
    line = made.json()
    assert (line["corrects_line_id"], line["amount_cents"], line["kind"], line["core_task"]) == (
        hours["id"],
        -2_500,
        "hours",
        "A",
    )
    assert line["late_for_quarter"] == "2026-Q4" and line["added_by"] == "jan"

    approved = (await client.get(f"/declarations/{declaration}", headers=FINANCE)).json()
    assert approved["total_cents"] == 19_847 and approved["lines"][1] == hours
    corrected = (await client.get(f"/declarations/{q1}", headers=FINANCE)).json()
    assert corrected["total_cents"] == -2_500 == corrected["totals_per_core_task"]["A"]
    assert approved["total_cents"] + corrected["total_cents"] == 19_847 - 2_500


async def test_corrections_never_take_a_line_below_zero(client, declaration):
    hours = await approved_line(client, declaration)
    q1 = await next_declaration(client)

    def correction(cents):
        return {"corrects_line_id": hours["id"], "amount_cents": cents, "description": "Fout"}

    assert (
        await post(client, q1, "corrections", COORDINATOR, correction(-7_000))
    ).status_code == 201
    too_much = await post(client, q1, "corrections", COORDINATOR, correction(-503))
    assert too_much.status_code == 422 and "onder nul" in too_much.json()["detail"]
    assert (await post(client, q1, "corrections", COORDINATOR, correction(-502))).status_code == 201
    assert (await post(client, q1, "corrections", COORDINATOR, correction(0))).status_code == 422


async def test_a_correction_names_an_original_line_of_the_schools_own(client, declaration):
    hours = await approved_line(client, declaration)
    q1 = await next_declaration(client)
    first = await post(
        client,
        q1,
        "corrections",
        COORDINATOR,
        {"corrects_line_id": hours["id"], "amount_cents": 100, "description": "Te weinig"},
    )
    of_a_correction = await post(
        client,
        q1,
        "corrections",
        COORDINATOR,
        {"corrects_line_id": first.json()["id"], "amount_cents": -100, "description": "Toch"},
    )
    assert of_a_correction.status_code == 422

    other = (
        await client.post("/declarations", json={"quarter": "2027-Q1"}, headers=OTHER_SCHOOL)
    ).json()["id"]
    someone_elses = await post(
        client,
        other,
        "corrections",
        OTHER_SCHOOL,
        {"corrects_line_id": hours["id"], "amount_cents": 100, "description": "Van corlaer"},
    )
    assert someone_elses.status_code == 404
    on_their_declaration = await post(
        client,
        other,
        "corrections",
        COORDINATOR,
        {"corrects_line_id": hours["id"], "amount_cents": 100, "description": "Op element"},
    )
    assert on_their_declaration.status_code == 403


async def test_a_submitted_declaration_takes_no_corrections(client, declaration):
    hours = await approved_line(client, declaration)
    refused = await post(
        client,
        declaration,
        "corrections",
        COORDINATOR,
        {"corrects_line_id": hours["id"], "amount_cents": -1, "description": "Op de goedgekeurde"},
    )
    assert refused.status_code == 409


async def test_payment_pays_out_the_total_less_cofinancing(client, rt, declaration):
    await client.put("/rates/company-expert", json={"hourly_rate_cents": 8_000}, headers=FINANCE)
    await with_lines(client, declaration)
    await post(client, declaration, "lines", COORDINATOR, CASH)
    await post(client, declaration, "submit", COORDINATOR)
    await post(client, declaration, "approve", FINANCE)
    await post(client, declaration, "pay", FINANCE, {"batch": "2027-01", "paid_on": "2027-01-15"})
    async with rt.db.sessions() as tx:
        [paid] = [
            json.loads(r.payload)
            for r in (await tx.execute(select(messaging.outbox))).all()
            if r.event_type.endswith("paid.v1")
        ]
    assert (paid["total_cents"], paid["payable_cents"]) == (19_847 + 250_000, 19_847)
    trail = (await client.get(f"/declarations/{declaration}/audit", headers=FINANCE)).json()
    assert trail[-1]["detail"] == "batch 2027-01, paid on 2027-01-15, 19847 cents"
