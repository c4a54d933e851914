"""Announcements through the gateway on the real platform: the backoffice or programme
sends one to chosen organisations, kinds and roles; each person gets it in their own inbox
and, unless they opted out, by e-mail (a real SMTP server); a deactivated person gets
nothing; admin and programme each have their own inbox; nobody else may announce."""

from uuid import uuid4

import httpx
import pytest

from tests.harness import Platform, eventually
from tests.mail import demo_address, subjects
from tests.test_directory import invite_teacher
from tests.test_faults import scalar
from tests.test_first_flow import notifications_about as inbox

pytestmark = pytest.mark.integration


def announce(platform: Platform, user: str, **body) -> httpx.Response:
    return httpx.post(
        f"{platform.gateway}/announcements",
        headers=platform.token(user),
        json={
            "title": f"Nieuwsbrief {uuid4().hex[:6]}",
            "body": "Beste partners,\n\nDit is de nieuwsbrief.",
            **body,
        },
    )


def test_an_announcement_reaches_each_chosen_person_by_their_own_preferences(platform, mail):
    teacher = platform.token("docent-corlaer")
    httpx.put(
        f"{platform.gateway}/notifications/preferences",
        headers=teacher,
        json={"opted_out": ["announcements"]},
    ).raise_for_status()
    try:
        sent = announce(platform, "backoffice", kinds=["vmbo"], roles=["school", "teacher"])
        assert sent.status_code == 201, sent.text
        told, title = sent.json(), sent.json()["title"]
        assert told["recipients"] >= 7  # the hard-tech and other vmbo demo people
        assert (told["kinds"], told["sent_by"]) == (["vmbo"], "backoffice")

        eventually(lambda: subjects(mail, demo_address("corlaer"), title))
        [own] = inbox(platform, "docent-corlaer", told["id"])  # in the inbox all the same
        assert (own["person_id"], own["state"], own["subject"]) == (
            "docent-corlaer",
            "opted_out",
            title,
        )
        assert subjects(mail, demo_address("docent-corlaer"), title) == []
        assert inbox(platform, "voorbeeld-bouw", told["id"]) == []  # a company: not chosen
        assert inbox(platform, "po-demo-1", told["id"]) == []  # a po school: not chosen

        listed = httpx.get(
            f"{platform.gateway}/announcements", headers=platform.token("programma")
        ).json()
        [shown] = [a for a in listed if a["id"] == told["id"]]
        assert shown["recipients"] == told["recipients"]
        assert sum(shown["deliveries"].values()) == told["recipients"]
        assert shown["deliveries"]["opted_out"] >= 1
    finally:
        httpx.put(f"{platform.gateway}/notifications/preferences", headers=teacher, json={})


def test_a_deactivated_person_receives_no_announcement(platform, mail):
    username = f"docent-{uuid4().hex[:6]}"
    person_id, accepted = invite_teacher(platform, username)
    assert accepted.status_code == 200, accepted.text
    known = "select count(*) from people where id = :id and active"
    eventually(lambda: scalar(platform, "notify", known, id=person_id) == 1)
    before = announce(platform, "backoffice", organisations=["corlaer"], roles=["teacher"])
    assert before.status_code == 201, before.text

    httpx.post(
        f"{platform.gateway}/people/{person_id}/deactivate", headers=platform.token("backoffice")
    ).raise_for_status()
    eventually(lambda: scalar(platform, "notify", known, id=person_id) == 0)
    after = announce(platform, "backoffice", organisations=["corlaer"], roles=["teacher"])
    assert after.status_code == 201, after.text

    sql = "select count(*) from notifications where about = :about and person_id = :person"
    assert scalar(platform, "notify", sql, about=before.json()["id"], person=person_id) == 1
    assert scalar(platform, "notify", sql, about=after.json()["id"], person=person_id) == 0
    assert after.json()["recipients"] == before.json()["recipients"] - 1
    eventually(lambda: subjects(mail, demo_address("docent-corlaer"), after.json()["title"]))
    assert subjects(mail, f"{username}@corlaer.nl", after.json()["title"]) == []


def test_admin_and_programme_each_have_their_own_inbox(platform):
    to_admins = announce(platform, "programma", roles=["admin"])
    to_programme = announce(platform, "backoffice", roles=["programme"])
    assert to_admins.status_code == to_programme.status_code == 201
    admins, programme = to_admins.json()["id"], to_programme.json()["id"]
    assert [n["person_id"] for n in inbox(platform, "admin", admins)] == ["admin"]
    assert inbox(platform, "programma", admins) == []
    assert [n["person_id"] for n in inbox(platform, "programma", programme)] == ["programma"]
    assert inbox(platform, "admin", programme) == []


@pytest.mark.parametrize(
    "user", ["corlaer", "docent-corlaer", "voorbeeld-bouw", "finance", "admin"]
)
def test_only_the_backoffice_and_programme_send_or_read_announcements(platform, user):
    assert announce(platform, user, kinds=["vmbo"]).status_code == 403
    assert (
        httpx.get(f"{platform.gateway}/announcements", headers=platform.token(user)).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "", "kinds": ["vmbo"]}, "title"),
        ({"kinds": ["school"]}, "kinds.0"),
        ({"roles": ["leerling"]}, "roles.0"),
    ],
)
def test_a_malformed_announcement_names_its_field(platform, body, field):
    refused = announce(platform, "backoffice", **body)
    assert refused.status_code == 422
    assert field in [e["field"] for e in refused.json()["errors"]]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({}, "organisations", "kies ten minste één"),
        ({"organisations": ["corlaer", "bestaat-niet"]}, "organisations", "bestaat-niet"),
        ({"organisations": ["corlaer"], "roles": ["municipality"]}, "roles", "niemand ontvangt"),
    ],
)
def test_an_announcement_to_nobody_is_refused_in_dutch(platform, body, field, words):
    refused = announce(platform, "backoffice", **body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == field and words in refused.json()["detail"]
