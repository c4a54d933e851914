"""For whom a caller books, registers or reserves: one rule for bookings, events and loans."""

import pytest

from shared.domain import Refused, acting_school


@pytest.mark.parametrize(
    ("role", "organisation", "named", "school"),
    [
        ("school", "corlaer", None, "corlaer"),
        ("school", "corlaer", "corlaer", "corlaer"),
        ("backoffice", "hotspot", "nxt", "nxt"),  # on behalf of the school it names
        ("teacher", "corlaer", None, "corlaer"),  # a teacher books for the own school
    ],
)
def test_who_acts_for_which_school(role, organisation, named, school):
    assert acting_school(role, organisation, named) == school


@pytest.mark.parametrize(
    ("role", "organisation", "named", "status"),
    [
        ("school", "corlaer", "nxt", 403),  # a school acts only for itself
        ("finance", "lodenstein", "nxt", 403),
        ("teacher", "corlaer", "nxt", 403),
        ("company", "voorbeeld-bouw", None, 403),
        ("backoffice", "hotspot", None, 422),  # the backoffice must say for whom
    ],
)
def test_acting_for_another_school_is_refused(role, organisation, named, status):
    with pytest.raises(Refused) as refused:
        acting_school(role, organisation, named)
    assert refused.value.status == status


def test_the_backoffice_is_told_which_field_is_missing():
    with pytest.raises(Refused) as refused:
        acting_school("backoffice", "hotspot", None)
    assert refused.value.extra["errors"][0]["field"] == "school_id"
