"""A company reads its own co-financing of a year, for the yearly talk the plan describes
("jaarlijks achteraf met de deelnemende bedrijven besproken"); nobody else's."""

import pytest

from services.finance.tests.test_declarations import COORDINATOR, FINANCE, post
from services.finance.tests.test_roles import BACKOFFICE, COMPANY, PROGRAMME


def contribution(company: str, form: str, **amount) -> dict:
    return {
        "kind": "cofinancing",
        "core_task": "D",
        "description": f"Bijdrage {company}",
        "company": company,
        "form": form,
        **amount,
    }


@pytest.fixture
async def contributions(client):
    """corlaer's 2026-Q4 declaration: hours of voorbeeld-bouw, cash of voorbeeld-bouw and
    of voorbeeld-metaal."""
    await client.put("/rates/company-expert", json={"hourly_rate_cents": 7_500}, headers=FINANCE)
    declaration = (
        await client.post("/declarations", json={"quarter": "2026-Q4"}, headers=COORDINATOR)
    ).json()["id"]
    for line in (
        contribution("voorbeeld-bouw", "in-kind", role="company-expert", minutes=120),
        contribution("voorbeeld-bouw", "cash", amount_cents=50_000),
        contribution("voorbeeld-metaal", "cash", amount_cents=70_000),
    ):
        added = await post(client, declaration, "lines", COORDINATOR, line)
        assert added.status_code == 201, added.text


async def test_a_company_reads_only_its_own_contributions_with_their_totals(client, contributions):
    own = await client.get("/cofinancing", params={"year": 2026}, headers=COMPANY)

    assert own.status_code == 200, own.text
    body = own.json()
    assert (body["company"], body["year"]) == ("voorbeeld-bouw", 2026)
    assert [(line["form"], line["quarter"]) for line in body["lines"]] == [
        ("in-kind", "2026-Q4"),
        ("cash", "2026-Q4"),
    ]
    assert body["cash_cents"] == 50_000 and body["in_kind_cents"] == 15_000
    assert body["total_cents"] == 65_000
    other = await client.get(
        "/cofinancing", headers=COMPANY, params={"year": 2026, "organisation": "voorbeeld-metaal"}
    )
    assert other.status_code == 403
    assert (await client.get("/cofinancing", params={"year": 2025}, headers=COMPANY)).json()[
        "lines"
    ] == []


@pytest.mark.parametrize("headers", [FINANCE, BACKOFFICE, PROGRAMME])
async def test_the_programme_reads_any_company_it_names(client, contributions, headers):
    named = await client.get(
        "/cofinancing", headers=headers, params={"year": 2026, "organisation": "voorbeeld-metaal"}
    )
    assert named.json()["total_cents"] == 70_000
    unnamed = await client.get("/cofinancing", params={"year": 2026}, headers=headers)
    assert (unnamed.status_code, unnamed.json()["field"]) == (422, "organisation")


async def test_a_school_reads_no_companys_cofinancing(client, contributions):
    answer = await client.get(
        "/cofinancing", headers=COORDINATOR, params={"organisation": "voorbeeld-bouw"}
    )
    assert answer.status_code == 403
