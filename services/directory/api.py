"""Internal HTTP API of the directory; the gateway exposes it as /api/v1/... .

`/sign-in` and `/people/{id}/standing` are the gateway's own questions (who signs in, is a
token's person still active); they carry no caller, like `/invitations/accept`.
"""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from services.directory import commands, domain, queries
from services.directory.domain import PersonStatus
from services.directory.passwords import Passwords
from services.directory.settings import DirectorySettings
from services.directory.store import Organisation, Person, split
from shared.contracts.common import Limit, Offset, Text
from shared.contracts.requests.directory import (
    AcceptedInvitation,
    Credentials,
    NewInvitation,
    NewOrganisation,
    OrganisationFields,
)
from shared.http import Caller, current_caller
from shared.service import Runtime
from shared.store.versions import tagged


class OrganisationOut(BaseModel):
    id: str
    name: str
    kind: str
    # vmbo: hard-tech, TL, D&P, Groen (any that apply)
    types: list[str]
    municipality: str | None
    place: str | None
    profiles: list[str]
    tl_subjects: list[str]
    has_tl: bool
    hard_tech: bool
    branch: str | None
    board_id: str | None

    @classmethod
    def of(cls, org: Organisation) -> "OrganisationOut":
        profiles, tl_subjects = split(org.profiles), split(org.tl_subjects)
        return cls(
            id=org.id,
            name=org.name,
            kind=org.kind,
            municipality=org.municipality,
            place=org.place,
            profiles=profiles,
            tl_subjects=tl_subjects,
            has_tl=org.has_tl,
            hard_tech=org.hard_tech,
            branch=org.branch,
            board_id=org.board_id,
            types=domain.school_types(
                org.kind, tuple(profiles), tuple(tl_subjects), org.has_tl, org.hard_tech
            ),
        )


class PersonOut(BaseModel):
    id: str
    organisation_id: str
    role: str
    name: str
    email: str
    username: str | None
    status: str
    created_at: datetime
    deactivated_at: datetime | None

    @classmethod
    def of(cls, person: Person) -> "PersonOut":
        return cls(
            id=person.id,
            organisation_id=person.organisation_id,
            role=person.role,
            name=person.name,
            email=person.email,
            username=person.username,
            status=person.status,
            created_at=person.created_at,
            deactivated_at=person.deactivated_at,
        )


class InvitationOut(BaseModel):
    person: PersonOut
    # Shown once: the directory keeps only its hash. The person accepts with it.
    code: str
    expires_at: datetime


class SignedIn(BaseModel):
    subject: str
    role: str
    organisation: str


class Standing(SignedIn):
    active: bool


def routes(rt: Runtime[DirectorySettings]) -> APIRouter:
    router = APIRouter()
    settings = rt.settings
    assert isinstance(settings, DirectorySettings)
    passwords = Passwords(settings)

    @router.get("/organisations", response_model=list[OrganisationOut])
    async def organisations(
        kind: Text | None = Query(None, max_length=20),
        profile: Text | None = Query(None, max_length=10),
        text: Text | None = Query(None, min_length=1, max_length=80),
        limit: Limit = 50,
        offset: Offset = 0,
        _: Caller = Depends(current_caller),
    ):
        found = await queries.organisations(rt, kind, profile, text, limit, offset)
        return [OrganisationOut.of(o) for o in found]

    @router.get("/organisations/{organisation_id}", response_model=OrganisationOut)
    async def organisation(organisation_id: str, _: Caller = Depends(current_caller)):
        return OrganisationOut.of(tagged(await queries.organisation(rt, organisation_id)))

    @router.post("/organisations", status_code=201, response_model=OrganisationOut)
    async def add_organisation(body: NewOrganisation, who: Caller = Depends(current_caller)):
        return OrganisationOut.of(await commands.add_organisation(rt, who, body))

    @router.put("/organisations/{organisation_id}", response_model=OrganisationOut)
    async def edit_organisation(
        organisation_id: str, body: OrganisationFields, who: Caller = Depends(current_caller)
    ):
        return OrganisationOut.of(await commands.edit_organisation(rt, who, organisation_id, body))

    @router.get("/people", response_model=list[PersonOut])
    async def people(
        organisation_id: Text | None = Query(None, max_length=80),
        role: Text | None = Query(None, max_length=20),
        limit: Limit = 50,
        offset: Offset = 0,
        who: Caller = Depends(current_caller),
    ):
        found = await queries.people(rt, who, organisation_id, role, limit, offset)
        return [PersonOut.of(p) for p in found]

    @router.get("/people/{person_id}", response_model=PersonOut)
    async def person(person_id: str, who: Caller = Depends(current_caller)):
        return PersonOut.of(await queries.person(rt, who, person_id))

    @router.post("/people/invitations", status_code=201, response_model=InvitationOut)
    async def invite(body: NewInvitation, who: Caller = Depends(current_caller)):
        invited = await commands.invite(rt, who, body)
        return InvitationOut(
            person=PersonOut.of(invited.person), code=invited.code, expires_at=invited.expires_at
        )

    @router.post("/people/{person_id}/deactivate", response_model=PersonOut)
    async def deactivate(person_id: str, who: Caller = Depends(current_caller)):
        return PersonOut.of(await commands.deactivate(rt, who, person_id))

    @router.post("/invitations/accept", response_model=PersonOut)
    async def accept(body: AcceptedInvitation):
        return PersonOut.of(await commands.accept(rt, passwords, body))

    @router.post("/sign-in", response_model=SignedIn)
    async def sign_in(body: Credentials):
        found = await queries.sign_in(rt, passwords, body.username, body.password)
        return SignedIn(subject=found.id, role=found.role, organisation=found.organisation_id)

    @router.get("/people/{person_id}/standing", response_model=Standing)
    async def standing(person_id: str):
        found = await queries.standing(rt, person_id)
        if found is None:
            raise domain.DirectoryRefused("deze persoon bestaat niet", 404)
        return Standing(
            subject=found.id,
            role=found.role,
            organisation=found.organisation_id,
            active=found.status == PersonStatus.ACTIVE,
        )

    return router
