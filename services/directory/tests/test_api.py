"""The directory's HTTP API on both stores: organisations, invitations, signing in and
deactivation, with the events each change stages."""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from services.directory import commands, demo
from services.directory.store import messaging
from shared.contracts.requests.directory import NewInvitation
from shared.http import Caller
from shared.tests.callers import as_caller, as_gateway
from shared.tests.clock import ManualClock

BACKOFFICE = as_caller("directory", "backoffice", "backoffice")
CORLAER = as_caller("directory", "school", "corlaer")
# The gateway asking for itself (sign-in, standing, accepting an invitation): no caller.
GATEWAY = as_gateway("directory")
TEACHER = {
    "organisation_id": "corlaer",
    "role": "teacher",
    "name": "Sanne de Vries",
    "email": "s.devries@corlaer.nl",
}


async def _events(client: httpx.AsyncClient) -> list[str]:
    async with client.runtime.db.sessions() as tx:  # type: ignore[attr-defined]
        return list(
            await tx.scalars(select(messaging.outbox.c.event_type).order_by(messaging.outbox.c.seq))
        )


async def _sign_in(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(
        "/sign-in", headers=GATEWAY, json={"username": username, "password": password}
    )


async def test_demo_seeds_every_kind_of_organisation_and_people_once(directory):
    await demo.load(directory.runtime)  # a second start adds nothing
    everything = (await directory.get("/organisations?limit=500", headers=CORLAER)).json()
    kinds = {o["kind"] for o in everything}
    assert kinds == {
        "vmbo",
        "pro",
        "vso",
        "havo",
        "mbo",
        "po",
        "po_board",
        "company",
        "municipality",
        "hotspot",
        "central",
    }
    assert (
        len(everything)
        == len({o["id"] for o in everything})
        == len(demo.organisations(datetime.now(UTC)))
    )
    people = (await directory.get("/people?limit=500", headers=BACKOFFICE)).json()
    assert sorted(p["id"] for p in people) == sorted(p.username for p in demo.DEMO_PEOPLE)


async def test_organisations_by_kind_profile_text_and_page(directory):
    async def ids(query: str) -> list[str]:
        answer = await directory.get(f"/organisations?{query}", headers=CORLAER)
        return [o["id"] for o in answer.json()]

    assert set(await ids("profile=Groen")) == {"yuverta", "aeres-vmbo-nijkerk"}
    assert "hooghe-landt" in await ids("profile=T%26T")
    assert {"po-demo-1", "po-demo-2", "po-demo-3"} == set(await ids("kind=po"))
    assert "corlaer" in await ids("text=nijkerk") and "nxt" not in await ids("text=nijkerk")
    every_vmbo = await ids("kind=vmbo&limit=500")
    assert await ids("kind=vmbo&limit=3&offset=3") == every_vmbo[3:6]
    corlaer = (await directory.get("/organisations/corlaer", headers=CORLAER)).json()
    assert corlaer["types"] == ["hard-tech", "TL", "D&P"] and "BWI" in corlaer["profiles"]
    po = (await directory.get("/organisations/po-demo-1", headers=CORLAER)).json()
    assert po["board_id"] == "po-board-02"
    assert (await directory.get("/organisations/nope", headers=CORLAER)).status_code == 404


async def test_the_backoffice_adds_and_edits_organisations_and_nobody_else(directory):
    school = {
        "id": "po-zonnewijzer",
        "name": "Basisschool De Zonnewijzer",
        "kind": "po",
        "municipality": "Leusden",
        "board_id": "po-board-03",
    }
    assert (await directory.post("/organisations", json=school, headers=CORLAER)).status_code == 403
    added = await directory.post("/organisations", json=school, headers=BACKOFFICE)
    assert added.status_code == 201 and added.json()["board_id"] == "po-board-03"
    again = await directory.post("/organisations", json=school, headers=BACKOFFICE)
    assert again.status_code == 409
    not_a_board = await directory.post(
        "/organisations", headers=BACKOFFICE, json=school | {"id": "po-x", "board_id": "corlaer"}
    )
    assert not_a_board.status_code == 422
    edited = await directory.put(
        "/organisations/po-zonnewijzer",
        headers=BACKOFFICE,
        json={k: v for k, v in school.items() if k != "id"}
        | {"name": "Basisschool De Zonnewijzer Leusden"},
    )
    assert edited.json()["name"] == "Basisschool De Zonnewijzer Leusden"
    # corlaer has a coordinator and a teacher: it cannot become a company.
    to_company = await directory.put(
        "/organisations/corlaer", headers=BACKOFFICE, json={"name": "Corlaer BV", "kind": "company"}
    )
    assert to_company.status_code == 422
    assert (await _events(directory))[-2:] == [
        "nl.tisfortech.directory.organisation.registered.v1",
        "nl.tisfortech.directory.organisation.changed.v1",
    ]


async def test_the_historical_demo_accounts_sign_in_as_before(directory):
    expected = {
        "backoffice": ("backoffice", "backoffice"),
        "finance": ("finance", "finance"),
        "programma": ("programme", "tft"),
        "admin": ("admin", "tft"),
        "corlaer": ("school", "corlaer"),
        "trivium": ("school", "trivium"),
        "voorbeeld-bouw": ("company", "voorbeeld-bouw"),
    }
    for username, (role, organisation) in expected.items():
        answer = await _sign_in(directory, username, "demo")
        assert answer.json() == {"subject": username, "role": role, "organisation": organisation}
    assert (await _sign_in(directory, "corlaer", "wrong")).status_code == 401
    assert (await _sign_in(directory, "nobody", "demo")).status_code == 401


async def test_an_invited_teacher_accepts_and_signs_in(directory):
    invited = await directory.post("/people/invitations", json=TEACHER, headers=BACKOFFICE)
    assert invited.status_code == 201, invited.text
    person, code = invited.json()["person"], invited.json()["code"]
    assert person["status"] == "invited" and person["username"] is None
    standing = await directory.get(f"/people/{person['id']}/standing", headers=GATEWAY)
    assert standing.json()["active"] is False
    accepted = await directory.post(
        "/invitations/accept",
        headers=GATEWAY,
        json={"code": code, "username": "sanne.devries", "password": "een-lang-wachtwoord"},
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    signed_in = await _sign_in(directory, "sanne.devries", "een-lang-wachtwoord")
    assert signed_in.json() == {
        "subject": person["id"],
        "role": "teacher",
        "organisation": "corlaer",
    }
    reused = await directory.post(
        "/invitations/accept",
        headers=GATEWAY,
        json={"code": code, "username": "sanne2", "password": "een-lang-wachtwoord"},
    )
    assert reused.status_code == 409
    assert (await _events(directory))[-2:] == [
        "nl.tisfortech.directory.person.invited.v1",
        "nl.tisfortech.directory.person.activated.v1",
    ]


async def test_who_may_invite_and_into_which_role(directory):
    refused = await directory.post("/people/invitations", json=TEACHER, headers=CORLAER)
    assert refused.status_code == 403
    wrong_role = await directory.post(
        "/people/invitations", headers=BACKOFFICE, json=TEACHER | {"role": "company"}
    )
    assert wrong_role.status_code == 422 and wrong_role.json()["field"] == "role"
    unknown = await directory.post(
        "/people/invitations", headers=BACKOFFICE, json=TEACHER | {"organisation_id": "nope"}
    )
    assert unknown.status_code == 422


async def test_an_expired_invitation_sets_no_password(directory):
    rt = directory.runtime
    who = Caller("backoffice", "backoffice", "backoffice")
    real = rt.clock
    rt.clock = ManualClock(real.now() - timedelta(days=8))  # invited eight days ago
    try:
        invited = await commands.invite(rt, who, NewInvitation(**TEACHER))
    finally:
        rt.clock = real
    answer = await directory.post(
        "/invitations/accept",
        headers=GATEWAY,
        json={"code": invited.code, "username": "te.laat", "password": "een-lang-wachtwoord"},
    )
    assert answer.status_code == 410 and "verlopen" in answer.json()["detail"]
    assert (await _sign_in(directory, "te.laat", "een-lang-wachtwoord")).status_code == 401


async def test_one_code_accepted_twice_at_once_activates_the_person_once(directory):
    code = (await directory.post("/people/invitations", json=TEACHER, headers=BACKOFFICE)).json()[
        "code"
    ]
    answers = await asyncio.gather(
        *(
            directory.post(
                "/invitations/accept",
                headers=GATEWAY,
                json={"code": code, "username": name, "password": "een-lang-wachtwoord"},
            )
            for name in ("eerste", "tweede")
        )
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    winner = next(a.json()["username"] for a in answers if a.status_code == 200)
    loser = ({"eerste", "tweede"} - {winner}).pop()
    assert (await _sign_in(directory, winner, "een-lang-wachtwoord")).status_code == 200
    assert (await _sign_in(directory, loser, "een-lang-wachtwoord")).status_code == 401
    activated = [e for e in await _events(directory) if e.endswith("person.activated.v1")]
    assert len(activated) == len(demo.DEMO_PEOPLE) + 1


async def test_a_user_name_is_taken_once(directory):
    code = (await directory.post("/people/invitations", json=TEACHER, headers=BACKOFFICE)).json()[
        "code"
    ]
    taken = await directory.post(
        "/invitations/accept",
        headers=GATEWAY,
        json={"code": code, "username": "corlaer", "password": "een-lang-wachtwoord"},
    )
    assert taken.status_code == 409 and taken.json()["field"] == "username"


async def test_a_deactivated_person_signs_in_no_more(directory):
    invited = (await directory.post("/people/invitations", json=TEACHER, headers=BACKOFFICE)).json()
    answer = await directory.post("/people/docent-corlaer/deactivate", headers=CORLAER)
    assert answer.status_code == 403
    answer = await directory.post("/people/docent-corlaer/deactivate", headers=BACKOFFICE)
    assert answer.json()["status"] == "deactivated"
    standing = await directory.get("/people/docent-corlaer/standing", headers=GATEWAY)
    assert standing.json()["active"] is False
    assert (await _sign_in(directory, "docent-corlaer", "demo")).status_code == 401
    again = await directory.post("/people/docent-corlaer/deactivate", headers=BACKOFFICE)
    assert again.status_code == 409
    # Deactivated before accepting: the invitation is dead too.
    await directory.post(f"/people/{invited['person']['id']}/deactivate", headers=BACKOFFICE)
    late = await directory.post(
        "/invitations/accept",
        headers=GATEWAY,
        json={"code": invited["code"], "username": "sanne", "password": "een-lang-wachtwoord"},
    )
    assert late.status_code == 409
    assert (await _events(directory))[-1] == "nl.tisfortech.directory.person.deactivated.v1"


async def test_a_school_sees_its_own_people_only(directory):
    own = (await directory.get("/people", headers=CORLAER)).json()
    assert {p["organisation_id"] for p in own} == {"corlaer"}
    assert {p["id"] for p in own} == {"corlaer", "docent-corlaer"}
    other = await directory.get("/people?organisation_id=nxt", headers=CORLAER)
    assert other.status_code == 403
    assert (await directory.get("/people/nxt", headers=CORLAER)).status_code == 404
    assert (await directory.get("/people/nxt", headers=BACKOFFICE)).status_code == 200
