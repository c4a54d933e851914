"""Organisations and people (directory service); signing in is in `services.gateway.api`."""

from fastapi import APIRouter, Query

from services.gateway.auth import Principal
from services.gateway.routes.common import Gate, Page, Slug, as_json, router
from shared.contracts.requests.directory import (
    KIND,
    AcceptedInvitation,
    NewInvitation,
    NewOrganisation,
    OrganisationFields,
)


def routes(gate: Gate) -> APIRouter:
    api, forward, anyone, backoffice = router(), gate.forward, gate.anyone, gate.backoffice
    manager = gate.people_manager

    @api.get("/organisations", tags=["directory"])
    async def organisations(
        paging: Page,
        kind: str | None = Query(None, pattern=KIND),
        profile: str | None = Query(None, pattern=r"^[A-Za-z&]{1,10}$"),
        text: str | None = Query(None, min_length=1, max_length=80),
        who: Principal = anyone,
    ):
        """Schools, boards, companies, municipalities: by kind, profile (e.g. BWI, D&P,
        Groen, T&T) and a text in the name or place."""
        params = paging | {"kind": kind, "profile": profile, "text": text}
        return await forward("directory", "GET", "/organisations", who, params=params)

    @api.get("/organisations/{organisation_id}", tags=["directory"])
    async def organisation(organisation_id: Slug, who: Principal = anyone):
        return await forward("directory", "GET", f"/organisations/{organisation_id}", who)

    @api.post("/organisations", status_code=201, tags=["directory"])
    async def add_organisation(body: NewOrganisation, who: Principal = backoffice):
        return await forward("directory", "POST", "/organisations", who, body=as_json(body))

    @api.put("/organisations/{organisation_id}", tags=["directory"])
    async def edit_organisation(
        organisation_id: Slug, body: OrganisationFields, who: Principal = backoffice
    ):
        """The whole organisation as it is to be; its people's roles must suit a new kind."""
        return await forward(
            "directory", "PUT", f"/organisations/{organisation_id}", who, body=as_json(body)
        )

    @api.get("/people", tags=["directory"])
    async def people(
        paging: Page,
        organisation_id: str | None = Query(None, pattern=r"^[a-z0-9-]{1,80}$"),
        role: str | None = Query(None, pattern=r"^[a-z]{2,20}$"),
        who: Principal = anyone,
    ):
        """The backoffice, admin and programme see everyone; others their own organisation."""
        params = paging | {"organisation_id": organisation_id, "role": role}
        return await forward("directory", "GET", "/people", who, params=params)

    @api.get("/people/{person_id}", tags=["directory"])
    async def person(person_id: Slug, who: Principal = anyone):
        return await forward("directory", "GET", f"/people/{person_id}", who)

    @api.post("/people/invitations", status_code=201, tags=["directory"])
    async def invite(body: NewInvitation, who: Principal = manager):
        """A person, invited: the answer's `code` (shown once) lets them set a password at
        /invitations/accept before `expires_at`."""
        return await forward("directory", "POST", "/people/invitations", who, body=as_json(body))

    @api.post("/people/{person_id}/deactivate", tags=["directory"])
    async def deactivate(person_id: Slug, who: Principal = manager):
        """Signs in no more; their tokens stop working within TFT_PERSON_CHECK_SECONDS."""
        return await forward("directory", "POST", f"/people/{person_id}/deactivate", who)

    @api.post("/invitations/accept", tags=["auth"])
    async def accept_invitation(body: AcceptedInvitation):
        """No token: the invitation's code says who this is. Then sign in at /auth/token."""
        return await forward("directory", "POST", "/invitations/accept", None, body=as_json(body))

    return api
