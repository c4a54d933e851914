"""Events of the directory service (topics `tft.directory.*`): organisations and people.

Each event carries the whole current state of its organisation or person, so a consumer
keeps its copy by upserting on the key, whatever it missed before. No passwords, no
invitation codes: those never leave the directory.
"""

from shared.contracts.base import IntegrationEvent
from shared.contracts.topics import ORGANISATION, PERSON


class _OrganisationFacts(IntegrationEvent):
    topic = ORGANISATION
    key_field = "organisation_id"

    organisation_id: str
    name: str
    # vmbo | pro | vso | havo | mbo | po | po_board | company | municipality | hotspot | central
    kind: str
    municipality: str | None = None
    place: str | None = None
    # vmbo: basis/kader profiles (BWI, PIE, ...) and the TL subjects (D&P, T&T).
    profiles: list[str] = []
    tl_subjects: list[str] = []
    has_tl: bool = False
    hard_tech: bool = False
    branch: str | None = None  # companies: metaal, installatie, ...
    board_id: str | None = None  # po schools: their board (po_board organisation)


class OrganisationRegisteredV1(_OrganisationFacts):
    event_type = "nl.tisfortech.directory.organisation.registered.v1"


class OrganisationChangedV1(_OrganisationFacts):
    """The backoffice edited the organisation: the fields are its state after the edit."""

    event_type = "nl.tisfortech.directory.organisation.changed.v1"


class _PersonFacts(IntegrationEvent):
    topic = PERSON
    key_field = "person_id"

    # The person's id is the `sub` of their tokens (`Caller.actor` at the services).
    person_id: str
    organisation_id: str
    role: str
    name: str
    email: str


class PersonInvitedV1(_PersonFacts):
    """Invited to the platform: cannot sign in until they accept the invitation."""

    event_type = "nl.tisfortech.directory.person.invited.v1"


class PersonActivatedV1(_PersonFacts):
    """Accepted the invitation (or was seeded in demo mode): signs in as `username`."""

    event_type = "nl.tisfortech.directory.person.activated.v1"

    username: str


class PersonDeactivatedV1(_PersonFacts):
    """Deactivated by the backoffice: signs in no more, and their tokens stop working."""

    event_type = "nl.tisfortech.directory.person.deactivated.v1"
