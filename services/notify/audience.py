"""Who an announcement reaches: pure rules over notify's copy of the directory. No I/O."""

from collections.abc import Iterable
from dataclasses import dataclass

from shared.domain import BACKOFFICE, PROGRAMME, Refused

# The newsletter and calls for projects come from the hotspot's backoffice and programme
# management; nobody else sends to everyone.
SENDERS = frozenset({BACKOFFICE, PROGRAMME})


class AnnouncementRefused(Refused):
    pass


@dataclass(frozen=True)
class Audience:
    """The chosen organisations and kinds of organisation (none chosen: every organisation)
    and roles (none chosen: every role)."""

    organisations: frozenset[str]
    kinds: frozenset[str]
    roles: frozenset[str]

    def check(self, known_organisations: Iterable[str]) -> None:
        """Something must be chosen, and each chosen organisation must exist."""
        if not (self.organisations or self.kinds or self.roles):
            raise AnnouncementRefused(
                "kies ten minste één organisatie, soort organisatie of rol",
                422,
                field="organisations",
            )
        unknown = sorted(self.organisations - set(known_organisations))
        if unknown:
            raise AnnouncementRefused(
                f"onbekende organisaties: {', '.join(unknown)}", 422, field="organisations"
            )

    def includes(self, organisation_id: str, kind: str, role: str) -> bool:
        by_organisation = (
            not (self.organisations or self.kinds)
            or organisation_id in self.organisations
            or kind in self.kinds
        )
        return by_organisation and (not self.roles or role in self.roles)


def may_send(role: str) -> None:
    if role not in SENDERS:
        raise AnnouncementRefused(
            "alleen de backoffice en het programmamanagement versturen aankondigingen", 403
        )


def check_reaches_someone(recipients: int) -> None:
    if recipients == 0:
        raise AnnouncementRefused(
            "niemand ontvangt deze aankondiging: kies andere organisaties, soorten of rollen",
            422,
            field="roles",
        )
