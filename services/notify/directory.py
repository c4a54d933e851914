"""Notify's copy of the directory: its people (role, address, whether active) and
organisations, kept from the `tft.directory.*` events, each of which carries the whole
current state of its person or organisation (so keeping it is an upsert)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notify.store import Organisation, Person
from shared.contracts.directory import (
    OrganisationChangedV1,
    OrganisationRegisteredV1,
    PersonActivatedV1,
    PersonDeactivatedV1,
    PersonInvitedV1,
)

OrganisationEvent = OrganisationRegisteredV1 | OrganisationChangedV1
PersonEvent = PersonInvitedV1 | PersonActivatedV1 | PersonDeactivatedV1
ORGANISATION_EVENTS: tuple[type[OrganisationEvent], ...] = (
    OrganisationRegisteredV1,
    OrganisationChangedV1,
)
PERSON_EVENTS: tuple[type[PersonEvent], ...] = (
    PersonInvitedV1,
    PersonActivatedV1,
    PersonDeactivatedV1,
)


async def keep_organisation(tx: AsyncSession, event: OrganisationEvent, now: datetime) -> None:
    row = await tx.get(Organisation, event.organisation_id, with_for_update=True)
    if row is None:
        row = Organisation(id=event.organisation_id)
        tx.add(row)
    row.name, row.kind, row.updated_at = event.name, event.kind, now


async def keep_person(tx: AsyncSession, event: PersonEvent, now: datetime) -> None:
    tx.info.pop(_MEMBERS, None)  # what this transaction read of its people may change
    row = await tx.get(Person, event.person_id, with_for_update=True)
    if row is None:
        row = Person(id=event.person_id)
        tx.add(row)
    row.organisation_id, row.role, row.name = event.organisation_id, event.role, event.name
    row.email, row.updated_at = event.email, now
    # Only a person who signed in (or was seeded so) hears anything.
    row.active = isinstance(event, PersonActivatedV1)


# The members read in a transaction (`tx.info`), by organisation: a consumer's batch of a
# school's bookings reads them once, until it keeps a person.
_MEMBERS = "notify.members"


async def members(tx: AsyncSession, organisation_id: str) -> dict[str, str]:
    """The active people of an organisation: id -> role."""
    known: dict[str, dict[str, str]] = tx.info.setdefault(_MEMBERS, {})
    if organisation_id not in known:
        rows = await tx.execute(
            select(Person.id, Person.role).where(
                Person.organisation_id == organisation_id, Person.active.is_(True)
            )
        )
        known[organisation_id] = {key: value for key, value in rows}
    return known[organisation_id]


async def addresses(tx: AsyncSession, person_ids: Iterable[str]) -> dict[str, str]:
    """The e-mail address of each of these people who is active: id -> address."""
    rows = await tx.execute(
        select(Person.id, Person.email).where(
            Person.id.in_(set(person_ids)), Person.active.is_(True)
        )
    )
    return {key: value for key, value in rows}


async def organisation_ids(tx: AsyncSession) -> set[str]:
    return set(await tx.scalars(select(Organisation.id)))


@dataclass(frozen=True)
class Member:
    id: str
    organisation_id: str
    kind: str  # of their organisation ("" while notify has not heard of it)
    role: str


async def active_people(tx: AsyncSession) -> list[Member]:
    """Every active person, with the kind of their organisation."""
    rows = await tx.execute(
        select(Person.id, Person.organisation_id, Organisation.kind, Person.role)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.active.is_(True))
        .order_by(Person.id)
    )
    return [Member(id, organisation, kind or "", role) for id, organisation, kind, role in rows]
