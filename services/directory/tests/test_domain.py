"""The directory's rules, without a store."""

from datetime import UTC, datetime, timedelta

import pytest

from services.directory import domain
from services.directory.domain import DirectoryRefused, InvitationState, PersonStatus

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _invitation(
    expires_in: timedelta, accepted: bool = False, status: PersonStatus = PersonStatus.INVITED
) -> InvitationState:
    return InvitationState(NOW + expires_in, NOW if accepted else None, status)


def test_an_invitation_is_usable_until_it_expires():
    domain.check_invitation(_invitation(timedelta(seconds=1)), NOW)
    for expired in (timedelta(0), timedelta(days=-1)):
        with pytest.raises(DirectoryRefused) as refused:
            domain.check_invitation(_invitation(expired), NOW)
        assert refused.value.status == 410 and "verlopen" in refused.value.reason


@pytest.mark.parametrize(
    "state",
    [
        _invitation(timedelta(days=1), accepted=True),
        _invitation(timedelta(days=1), status=PersonStatus.DEACTIVATED),
    ],
    ids=["accepted", "person deactivated"],
)
def test_an_invitation_is_used_once_and_never_for_a_deactivated_person(state):
    with pytest.raises(DirectoryRefused) as refused:
        domain.check_invitation(state, NOW)
    assert refused.value.status == 409


def test_an_unknown_code_is_not_found():
    with pytest.raises(DirectoryRefused) as refused:
        domain.check_invitation(None, NOW)
    assert refused.value.status == 404


@pytest.mark.parametrize(
    "kind,role",
    [
        ("vmbo", "school"),
        ("vmbo", "teacher"),
        ("po", "teacher"),
        ("havo", "school"),
        ("company", "company"),
        ("municipality", "municipality"),
        ("hotspot", "backoffice"),
        ("central", "programme"),
        ("central", "finance"),
        ("central", "admin"),
    ],
)
def test_roles_an_organisation_of_each_kind_has(kind, role):
    domain.check_role(kind, role)


@pytest.mark.parametrize(
    "kind,role",
    [
        ("vmbo", "company"),
        ("company", "teacher"),
        ("po", "backoffice"),
        ("municipality", "school"),
        ("po_board", "school"),
        ("hotspot", "admin"),
        ("vmbo", "nonsense"),
        ("nonsense", "school"),
    ],
)
def test_roles_an_organisation_of_a_kind_does_not_have(kind, role):
    with pytest.raises(DirectoryRefused) as refused:
        domain.check_role(kind, role)
    assert refused.value.status == 422 and refused.value.extra == {"field": "role"}


def test_only_the_backoffice_and_admins_manage_people():
    for role in ("backoffice", "admin"):
        domain.may_manage_people(role)
    for role in ("school", "teacher", "company", "finance", "programme", "municipality"):
        with pytest.raises(DirectoryRefused):
            domain.may_manage_people(role)


def test_who_sees_whose_people():
    assert domain.may_see_people_of("backoffice", "backoffice", "corlaer") == "corlaer"
    assert domain.may_see_people_of("programme", "tft", None) is None
    assert domain.may_see_people_of("school", "corlaer", None) == "corlaer"
    assert domain.may_see_people_of("teacher", "corlaer", "corlaer") == "corlaer"
    with pytest.raises(DirectoryRefused):
        domain.may_see_people_of("school", "corlaer", "nxt")


def test_nobody_deactivates_themselves_or_twice():
    domain.check_can_deactivate(PersonStatus.ACTIVE, "backoffice", "docent-corlaer")
    domain.check_can_deactivate(PersonStatus.INVITED, "backoffice", "docent-corlaer")
    with pytest.raises(DirectoryRefused):
        domain.check_can_deactivate(PersonStatus.ACTIVE, "admin", "admin")
    with pytest.raises(DirectoryRefused):
        domain.check_can_deactivate(PersonStatus.DEACTIVATED, "backoffice", "x")


def test_the_types_of_a_vmbo_school():
    assert domain.school_types("vmbo", ("BWI", "PIE"), ("D&P",), True, True) == [
        "hard-tech",
        "TL",
        "D&P",
    ]
    assert domain.school_types("vmbo", ("Groen",), (), False, False) == ["Groen"]
    assert domain.school_types("po", (), (), False, False) == []
