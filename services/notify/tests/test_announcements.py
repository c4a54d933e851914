"""Announcements: who is in the audience (pure rules), and on PostgreSQL with a real SMTP
server, a message to each active person of it by their own preferences."""

import pytest
from sqlalchemy import select

from services.notify import commands, directory
from services.notify.audience import AnnouncementRefused, Audience
from services.notify.delivery import Dispatcher, channels_from
from services.notify.preferences import Preferences
from services.notify.store import Notification
from services.notify.tests.conftest import address, directory_says
from services.notify.tests.test_delivery import prefer
from shared.contracts.directory import OrganisationRegisteredV1, PersonDeactivatedV1


def audience(organisations=(), kinds=(), roles=()) -> Audience:
    return Audience(frozenset(organisations), frozenset(kinds), frozenset(roles))


def test_kinds_and_organisations_add_up_and_roles_narrow_them():
    chosen = audience(organisations=["voorbeeld-bouw"], kinds=["vmbo"], roles=["school"])
    assert chosen.includes("corlaer", "vmbo", "school")
    assert not chosen.includes("corlaer", "vmbo", "teacher")
    assert chosen.includes("voorbeeld-bouw", "company", "school") is True
    assert not chosen.includes("po-demo-1", "po", "school")
    everyone_with_a_role = audience(roles=["teacher"])
    assert everyone_with_a_role.includes("po-demo-1", "po", "teacher")


def test_an_audience_needs_a_choice_and_known_organisations():
    with pytest.raises(AnnouncementRefused) as nothing:
        audience().check([])
    assert (nothing.value.status, nothing.value.extra["field"]) == (422, "organisations")
    with pytest.raises(AnnouncementRefused) as unknown:
        audience(organisations=["corlaer", "nergens"]).check(["corlaer"])
    assert "nergens" in unknown.value.reason


async def announce(notify, chosen: Audience) -> str:
    async with notify.db.transaction() as tx:
        for organisation, kind in (("corlaer", "vmbo"), ("backoffice", "hotspot")):
            await directory.keep_organisation(
                tx,
                OrganisationRegisteredV1(
                    organisation_id=organisation, name=organisation, kind=kind
                ),
                notify.clock.now(),
            )
        sent = await commands.send_announcement(
            notify,
            tx,
            "programma",
            chosen,
            "Nieuwsbrief maart",
            "Beste partners, ...",
            notify.clock.now(),
        )
        return str(sent.id)


@pytest.mark.integration
async def test_each_person_hears_an_announcement_by_their_own_choice(notify, mailbox):
    await prefer(notify, "docent-corlaer", Preferences(opted_out=frozenset({"announcements"})))
    about = await announce(notify, audience(kinds=["vmbo"]))
    await Dispatcher(notify, channels_from(notify.settings)).dispatch_due()
    async with notify.db.sessions() as tx:
        told = {
            m.person_id: m.state
            for m in await tx.scalars(select(Notification).where(Notification.about == about))
        }
    # In the teacher's inbox all the same; the backoffice is no vmbo school.
    assert told == {"corlaer": "delivered", "docent-corlaer": "opted_out"}
    [mail] = mailbox.mails
    assert mail["To"] == address("corlaer") and mail["Subject"] == "Nieuwsbrief maart"
    assert "Beste partners" in mail.get_content()


@pytest.mark.integration
async def test_a_deactivated_person_gets_no_announcement(notify, mailbox):
    await directory_says(notify, PersonDeactivatedV1, "docent-corlaer")
    about = await announce(notify, audience(organisations=["corlaer"]))
    async with notify.db.sessions() as tx:
        told = await tx.scalars(select(Notification.person_id).where(Notification.about == about))
        assert sorted(told) == ["corlaer"]
    with pytest.raises(AnnouncementRefused) as nobody:
        await announce(notify, audience(organisations=["corlaer"], roles=["teacher"]))
    assert nobody.value.status == 422
