"""What every route module needs: the caller's guards, forwarding, and the path/query types."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from services.gateway import upstream
from services.gateway.auth import (
    ADMIN,
    BACKOFFICE,
    FINANCE,
    SCHOOL,
    BearerRoute,
    Principal,
    Unauthenticated,
    Verifier,
)
from shared.contracts.common import Limit, Offset
from shared.domain import SCHOOL_PEOPLE
from shared.http import Problem
from shared.seed.region import SCHOOL_KINDS

# Ids in paths are slugs or UUIDs; the pattern keeps "..", "/" and "%" out of upstream paths.
Slug = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")]
OrgId = Annotated[str | None, Query(pattern=r"^[a-z0-9-]{1,80}$")]

Forward = Callable[..., Awaitable[Response]]
Ask = Callable[..., Awaitable[tuple[int, Any]]]


async def page(limit: Limit = 50, offset: Offset = 0) -> dict[str, int]:
    return {"limit": limit, "offset": offset}


Page = Annotated[dict[str, int], Depends(page)]


def router() -> APIRouter:
    """A sub-router whose routes answer a missing token with 401 and `WWW-Authenticate`."""
    return APIRouter(route_class=BearerRoute)


@dataclass(frozen=True)
class Gate:
    """Who may call (as FastAPI dependencies) and how a route reaches its service."""

    tokens: Verifier
    forward: Forward
    ask: Ask

    def guard(self, *roles: str) -> Any:
        """Dependency: the verified caller, refused unless it has one of `roles` (any if none)."""
        bearer = HTTPBearer(auto_error=False)
        tokens = self.tokens

        async def principal(
            request: Request,
            credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
        ) -> Principal:
            if credentials is None:
                raise Unauthenticated(
                    "stuur Authorization: Bearer <token> van /api/v1/auth/token mee"
                )
            # The edge verified the token already; verifying again gives the reason it failed.
            who = getattr(request.state, "principal", None) or await tokens.verify(
                credentials.credentials
            )
            if roles and who.role not in roles:
                raise Problem(403, "Forbidden", f"de rol {who.role} mag dit niet")
            return who

        return Depends(principal)

    @property
    def anyone(self) -> Any:
        return self.guard()

    @property
    def backoffice(self) -> Any:
        return self.guard(BACKOFFICE)

    @property
    def school(self) -> Any:
        return self.guard(SCHOOL)

    @property
    def finance(self) -> Any:
        return self.guard(FINANCE)

    @property
    def people_manager(self) -> Any:
        """Who invites and deactivates people: the backoffice, and the administrators."""
        return self.guard(BACKOFFICE, ADMIN)

    async def acting_for(self, request: Request, who: Principal, school_id: str | None) -> None:
        """A school (its coordinator, a teacher booking) acts for itself; the backoffice on
        behalf of a school of the directory, which the audit then records beside who acted."""
        if school_id is None or (who.role in SCHOOL_PEOPLE and school_id == who.organisation):
            return
        if who.role != BACKOFFICE:
            raise Problem(
                403,
                "Forbidden",
                "een school handelt alleen voor zichzelf, niet namens een andere school",
            )
        status, found = await self.ask("directory", "GET", f"/organisations/{school_id}", who=who)
        if status != 200 or found.get("kind") not in SCHOOL_KINDS:
            reason = f"er is geen school met id {school_id}"
            raise Problem(
                422,
                "Invalid request",
                reason,
                errors=[{"field": "school_id", "message": reason, "code": "not_a_school"}],
            )
        request.state.on_behalf_of = school_id
        upstream.on_behalf_of.set(school_id)


def as_json(body: BaseModel) -> Any:
    return body.model_dump(mode="json")


def own_school(who: Principal, school_id: str | None) -> str | None:
    """A school's people see only its own records; other roles may name any school (or
    none)."""
    if who.role not in SCHOOL_PEOPLE:
        return school_id
    if school_id not in (None, who.organisation):
        raise Problem(403, "Forbidden", "een school ziet alleen haar eigen gegevens")
    return who.organisation
