"""Rules of the directory: which roles an organisation of each kind has, what an invitation
allows, and who may manage people. No I/O."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from shared.domain import (
    ADMIN,
    BACKOFFICE,
    COMPANY,
    FINANCE,
    MUNICIPALITY,
    PROGRAMME,
    SCHOOL,
    TEACHER,
    Refused,
)
from shared.seed.region import SCHOOL_KINDS

# A school's people are its coordinator(s) and teachers; a board only groups po schools.
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    **{kind: frozenset({SCHOOL, TEACHER}) for kind in SCHOOL_KINDS},
    "po_board": frozenset(),
    "company": frozenset({COMPANY}),
    "municipality": frozenset({MUNICIPALITY}),
    "hotspot": frozenset({BACKOFFICE}),
    # The programme's own organisation: programme management, the administrators and the
    # lead school's financial administration.
    "central": frozenset({PROGRAMME, ADMIN, FINANCE}),
}
KINDS = tuple(ROLES_BY_KIND)
# Who manages people (invites, deactivates) and who edits organisations.
PEOPLE_MANAGERS = frozenset({BACKOFFICE, ADMIN})
ORGANISATION_EDITORS = frozenset({BACKOFFICE})
# Who reads everyone; the others read the people of their own organisation.
SEES_EVERYONE = frozenset({BACKOFFICE, ADMIN, PROGRAMME})

INVITATION_VALID_FOR = timedelta(days=7)


class PersonStatus(StrEnum):
    INVITED = "invited"  # has no password yet: cannot sign in
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


class DirectoryRefused(Refused):
    pass


def check_role(kind: str, role: str) -> None:
    """A person's role must be one the organisation's kind has."""
    allowed = ROLES_BY_KIND.get(kind, frozenset())
    if role not in allowed:
        names = ", ".join(sorted(allowed)) or "geen"
        raise DirectoryRefused(
            f"de rol {role!r} past niet bij een organisatie van het soort {kind!r} "
            f"(mogelijk: {names})",
            422,
            field="role",
        )


def may_manage_people(role: str) -> None:
    if role not in PEOPLE_MANAGERS:
        raise DirectoryRefused("alleen de backoffice beheert personen", 403)


def may_edit_organisations(role: str) -> None:
    if role not in ORGANISATION_EDITORS:
        raise DirectoryRefused("alleen de backoffice beheert organisaties", 403)


def may_see_people_of(role: str, own_organisation: str, organisation: str | None) -> str | None:
    """The organisation whose people the caller may list (None: everyone's)."""
    if role in SEES_EVERYONE:
        return organisation
    if organisation not in (None, own_organisation):
        raise DirectoryRefused("u ziet alleen de personen van uw eigen organisatie", 403)
    return own_organisation


@dataclass(frozen=True)
class InvitationState:
    expires_at: datetime
    accepted_at: datetime | None
    person_status: PersonStatus


def check_invitation(invitation: InvitationState | None, now: datetime) -> None:
    """An invitation sets a password once, before it expires, for a person still invited."""
    if invitation is None:
        raise DirectoryRefused("deze uitnodigingscode is onbekend", 404, field="code")
    if invitation.accepted_at is not None or invitation.person_status != PersonStatus.INVITED:
        raise DirectoryRefused("deze uitnodiging is al gebruikt of ingetrokken", 409, field="code")
    if now >= invitation.expires_at:
        raise DirectoryRefused(
            "deze uitnodiging is verlopen; vraag de backoffice om een nieuwe", 410, field="code"
        )


def check_can_deactivate(status: PersonStatus, actor: str, person_id: str) -> None:
    if person_id == actor:
        raise DirectoryRefused("u kunt uzelf niet deactiveren", 409)
    if status == PersonStatus.DEACTIVATED:
        raise DirectoryRefused("deze persoon is al gedeactiveerd", 409)


def school_types(
    kind: str,
    profiles: tuple[str, ...],
    tl_subjects: tuple[str, ...],
    has_tl: bool,
    hard_tech: bool,
) -> list[str]:
    """The plan's types of a vmbo school: hard-tech, TL, D&P, Groen (any that apply)."""
    if kind != "vmbo":
        return []
    named = set(profiles) | set(tl_subjects)
    types = [
        ("hard-tech", hard_tech),
        ("TL", has_tl),
        ("D&P", "D&P" in named),
        ("Groen", "Groen" in named),
    ]
    return [name for name, applies in types if applies]
