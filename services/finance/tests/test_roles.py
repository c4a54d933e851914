"""Who may do what with whose declaration, checked by the finance service itself on the
caller its token names (the gateway checks roles before; these are the object-level checks)."""

import pytest

from services.finance.tests.test_declarations import (
    COORDINATOR,
    FINANCE,
    MATERIAL,
    OTHER_SCHOOL,
    post,
)
from shared.tests.callers import as_caller

PROGRAMME = as_caller("finance", "programme", "tft", "pm")
BACKOFFICE = as_caller("finance", "backoffice", "tft", "bo")
COMPANY = as_caller("finance", "company", "voorbeeld-bouw", "c")
# A coordinator of a school whose id happens to be a company's organisation: role decides.
CORLAER_AS_COMPANY = as_caller("finance", "company", "corlaer", "jan")


@pytest.fixture
async def submitted(client):
    """corlaer's submitted 2026-Q4 declaration with one line."""
    declaration = (
        await client.post("/declarations", json={"quarter": "2026-Q4"}, headers=COORDINATOR)
    ).json()["id"]
    [line] = [(await post(client, declaration, "lines", COORDINATOR, MATERIAL)).json()]
    await post(client, declaration, "submit", COORDINATOR)
    return declaration, line["id"]


@pytest.mark.parametrize("headers", [OTHER_SCHOOL, COMPANY, CORLAER_AS_COMPANY])
async def test_nobody_but_the_school_and_the_readers_sees_a_declaration(client, submitted, headers):
    declaration, _ = submitted
    for path in (f"/declarations/{declaration}", f"/declarations/{declaration}/audit"):
        assert (await client.get(path, headers=headers)).status_code == 403
    lines = await client.get(
        "/declaration-lines", headers=headers, params={"school_id": "corlaer", "quarter": "2026-Q4"}
    )
    assert lines.status_code == 403


@pytest.mark.parametrize("headers", [COORDINATOR, FINANCE, BACKOFFICE, PROGRAMME])
async def test_the_school_finance_backoffice_and_programme_read_it(client, submitted, headers):
    declaration, _ = submitted
    for path in (f"/declarations/{declaration}", f"/declarations/{declaration}/audit"):
        assert (await client.get(path, headers=headers)).status_code == 200
    listed = (
        await client.get("/declarations", params={"quarter": "2026-Q4"}, headers=headers)
    ).json()
    assert [d["id"] for d in listed] == [declaration]


@pytest.mark.parametrize("headers", [OTHER_SCHOOL, COMPANY, BACKOFFICE, PROGRAMME, FINANCE])
async def test_only_the_school_itself_changes_or_submits_its_declaration(
    client, submitted, headers
):
    declaration, line = submitted
    await post(client, declaration, "reject", FINANCE, {"reason": "bon ontbreekt"})
    correction = {"corrects_line_id": line, "amount_cents": -1, "description": "Fout"}
    for step, body in (("lines", MATERIAL), ("corrections", correction), ("submit", None)):
        assert (await post(client, declaration, step, headers, body)).status_code == 403


@pytest.mark.parametrize("headers", [COORDINATOR, OTHER_SCHOOL, COMPANY, BACKOFFICE, PROGRAMME])
async def test_only_finance_approves_rejects_and_pays(client, submitted, headers):
    declaration, _ = submitted
    for step, body in (
        ("approve", None),
        ("reject", {"reason": "nee"}),
        ("pay", {"batch": "b", "paid_on": "2027-01-01"}),
    ):
        assert (await post(client, declaration, step, headers, body)).status_code == 403
    assert (await post(client, declaration, "approve", FINANCE)).status_code == 200
    assert (
        await post(client, declaration, "pay", headers, {"batch": "b", "paid_on": "2027-01-01"})
    ).status_code == 403


async def test_an_unknown_declaration_is_not_found_for_anyone(client):
    unknown = "0b7e4c1e-4d2a-4b7f-9a61-0a5e1c2d3e4f"
    for headers in (COORDINATOR, FINANCE):
        assert (await client.get(f"/declarations/{unknown}", headers=headers)).status_code == 404
