"""Use cases: each changes the directory and stages the events it causes in one transaction."""

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.directory import domain
from services.directory.domain import DirectoryRefused, PersonStatus
from services.directory.passwords import Passwords
from services.directory.settings import DirectorySettings
from services.directory.store import Invitation, Organisation, Person, joined, split
from shared.contracts.directory import (
    OrganisationChangedV1,
    OrganisationRegisteredV1,
    PersonActivatedV1,
    PersonDeactivatedV1,
    PersonInvitedV1,
)
from shared.contracts.requests.directory import (
    AcceptedInvitation,
    NewInvitation,
    NewOrganisation,
    OrganisationFields,
)
from shared.http import Caller
from shared.service import Runtime
from shared.store.db import rows_changed
from shared.store.versions import claim


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def organisation_facts(org: Organisation) -> dict:
    return dict(
        organisation_id=org.id,
        name=org.name,
        kind=org.kind,
        municipality=org.municipality,
        place=org.place,
        profiles=split(org.profiles),
        tl_subjects=split(org.tl_subjects),
        has_tl=org.has_tl,
        hard_tech=org.hard_tech,
        branch=org.branch,
        board_id=org.board_id,
    )


def person_facts(person: Person) -> dict:
    return dict(
        person_id=person.id,
        organisation_id=person.organisation_id,
        role=person.role,
        name=person.name,
        email=person.email,
    )


async def register_organisations(rt: Runtime, organisations: list[Organisation]) -> None:
    """Add organisations (boards before their schools) and tell the platform."""
    async with rt.db.transaction() as tx:
        for org in organisations:
            tx.add(org)
            await tx.flush()  # a board's row exists before a school names it
        await rt.outbox.stage(
            tx, *(OrganisationRegisteredV1(**organisation_facts(o)) for o in organisations)
        )


async def register_people(rt: Runtime, people: list[Person]) -> None:
    """Add people who can sign in at once (the demo accounts)."""
    async with rt.db.transaction() as tx:
        tx.add_all(people)
        await rt.outbox.stage(tx, *map(_activated, people))


def _activated(person: Person) -> PersonActivatedV1:
    # An active person has a username: the store's check constraint says so too.
    if person.username is None:
        raise ValueError(f"active person {person.id} has no username")
    return PersonActivatedV1(**person_facts(person), username=person.username)


async def add_organisation(rt: Runtime, who: Caller, body: NewOrganisation) -> Organisation:
    domain.may_edit_organisations(who.role)
    now = rt.clock.now()
    with _taken("er is al een organisatie met dit id"):
        async with rt.db.transaction() as tx:
            await _check_board(tx, body.board_id)
            org = Organisation(id=body.id, created_at=now, updated_at=now)
            _apply(org, body)
            tx.add(org)
            await tx.flush()
            await rt.outbox.stage(tx, OrganisationRegisteredV1(**organisation_facts(org)))
    return org


async def edit_organisation(
    rt: Runtime, who: Caller, organisation_id: str, body: OrganisationFields
) -> Organisation:
    domain.may_edit_organisations(who.role)
    async with rt.db.transaction() as tx:
        await claim(tx, Organisation, id=organisation_id)
        org = await tx.get(Organisation, organisation_id, with_for_update=True)
        if org is None:
            raise DirectoryRefused("deze organisatie bestaat niet", 404)
        await _check_board(tx, body.board_id)
        if body.kind != org.kind:
            roles = set(
                await tx.scalars(
                    select(Person.role).where(
                        Person.organisation_id == org.id, Person.status != PersonStatus.DEACTIVATED
                    )
                )
            )
            for role in roles:
                domain.check_role(body.kind, role)
        _apply(org, body)
        org.updated_at = rt.clock.now()
        await rt.outbox.stage(tx, OrganisationChangedV1(**organisation_facts(org)))
    return org


def _apply(org: Organisation, body: OrganisationFields) -> None:
    org.name, org.kind, org.municipality, org.place = (
        body.name,
        body.kind,
        body.municipality,
        body.place,
    )
    org.profiles, org.tl_subjects = joined(body.profiles), joined(body.tl_subjects)
    org.has_tl, org.hard_tech = body.has_tl, body.hard_tech
    org.branch, org.board_id = body.branch, body.board_id


async def _check_board(tx: AsyncSession, board_id: str | None) -> None:
    if board_id is None:
        return
    board = await tx.get(Organisation, board_id)
    if board is None or board.kind != "po_board":
        raise DirectoryRefused("board_id noemt geen bestuur (po_board)", 422, field="board_id")


@dataclass(frozen=True)
class Invited:
    person: Person
    code: str
    expires_at: datetime


async def invite(rt: Runtime[DirectorySettings], who: Caller, body: NewInvitation) -> Invited:
    """A person in an organisation, with a code to set their password before it expires."""
    domain.may_manage_people(who.role)
    now = rt.clock.now()
    code = secrets.token_urlsafe(24)
    async with rt.db.transaction() as tx:
        org = await tx.get(Organisation, body.organisation_id)
        if org is None:
            raise DirectoryRefused("deze organisatie bestaat niet", 422, field="organisation_id")
        domain.check_role(org.kind, body.role)
        person = Person(
            id=str(uuid4()),
            organisation_id=org.id,
            role=body.role,
            name=body.name,
            email=body.email,
            status=PersonStatus.INVITED,
            created_at=now,
        )
        tx.add(person)
        await tx.flush()
        expires_at = now + timedelta(days=rt.settings.invitation_days)
        tx.add(
            Invitation(
                code_hash=code_hash(code),
                person_id=person.id,
                invited_by=who.actor,
                created_at=now,
                expires_at=expires_at,
            )
        )
        await rt.outbox.stage(tx, PersonInvitedV1(**person_facts(person)))
    return Invited(person, code, expires_at)


async def accept(rt: Runtime, passwords: Passwords, body: AcceptedInvitation) -> Person:
    """The invited person sets user name and password; from then on they can sign in."""
    now = rt.clock.now()
    hashed = code_hash(body.code)
    async with rt.db.sessions() as session:  # refuse before the costly hash
        await _usable_invitation(session, hashed, now)
    password_hash = await passwords.hash(body.password)
    with _taken("deze gebruikersnaam is al in gebruik", field="username"):
        async with rt.db.transaction() as tx:
            # Write first, conditionally: of two acceptances of one code exactly one changes
            # the row, and the other waits for it (a read first could not become a write
            # on SQLite once the other committed).
            won = await rows_changed(
                tx,
                update(Invitation)
                .where(Invitation.code_hash == hashed, Invitation.accepted_at.is_(None))
                .values(accepted_at=now),
            )
            if won != 1:
                raise DirectoryRefused(
                    "deze uitnodiging is al gebruikt of ingetrokken", 409, field="code"
                )
            invitation = await tx.get(Invitation, hashed)
            assert invitation is not None
            person = await tx.get(Person, invitation.person_id, with_for_update=True)
            assert person is not None
            # Checked again inside: the person may have been deactivated meanwhile.
            domain.check_invitation(
                domain.InvitationState(invitation.expires_at, None, PersonStatus(person.status)),
                now,
            )
            person.username, person.password_hash = body.username, password_hash
            person.status = PersonStatus.ACTIVE
            await tx.flush()
            await rt.outbox.stage(
                tx, PersonActivatedV1(**person_facts(person), username=body.username)
            )
    return person


async def _usable_invitation(tx: AsyncSession, hashed: str, now: datetime) -> None:
    row = (
        await tx.execute(
            select(Invitation, Person.status).join(Person).where(Invitation.code_hash == hashed)
        )
    ).first()
    domain.check_invitation(
        None
        if row is None
        else domain.InvitationState(row[0].expires_at, row[0].accepted_at, PersonStatus(row[1])),
        now,
    )


async def deactivate(rt: Runtime, who: Caller, person_id: str) -> Person:
    domain.may_manage_people(who.role)
    async with rt.db.transaction() as tx:
        person = await tx.get(Person, person_id, with_for_update=True)
        if person is None:
            raise DirectoryRefused("deze persoon bestaat niet", 404)
        domain.check_can_deactivate(PersonStatus(person.status), who.actor, person.id)
        person.status = PersonStatus.DEACTIVATED
        person.deactivated_at = rt.clock.now()
        await rt.outbox.stage(tx, PersonDeactivatedV1(**person_facts(person)))
    return person


@contextmanager
def _taken(reason: str, **extra: str) -> Iterator[None]:
    """A unique key already taken (ids, user names) is the caller's conflict, not a crash."""
    try:
        yield
    except IntegrityError as exc:
        raise DirectoryRefused(reason, 409, **extra) from exc
