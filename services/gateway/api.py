"""The public API, /api/v1: authenticates the caller, checks what it can, forwards the rest.

Every route is explicit (so the OpenAPI says what exists) and ends in `Upstreams.forward`;
the services stay the authority on their own rules and check the caller again.
"""

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from services.gateway.auth import (
    BACKOFFICE,
    FINANCE,
    SCHOOL,
    Accounts,
    BearerRoute,
    Principal,
    TokenService,
    Unauthenticated,
)
from services.gateway.settings import GatewaySettings
from services.gateway.upstream import Upstreams
from shared.contracts.common import CoreTask
from shared.contracts.requests import (
    BudgetChange,
    CheckIn,
    NewBooking,
    NewDeclaration,
    NewDeclarationLine,
    NewOffering,
    NewRegistration,
    NewReservation,
    NewSession,
    Payment,
    RateChange,
    Rejection,
    ReservationExtension,
)
from shared.http import Problem
from shared.service import Runtime

# Ids in paths are slugs or UUIDs; the pattern keeps "..", "/" and "%" out of upstream paths.
Slug = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")]
OrgId = Annotated[str | None, Query(pattern=r"^[a-z0-9-]{1,80}$")]


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class AccessToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class ProblemDetails(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None


async def page(limit: int = Query(50, ge=1, le=500),
               offset: int = Query(0, ge=0)) -> dict[str, int]:
    return {"limit": limit, "offset": offset}


Page = Annotated[dict[str, int], Depends(page)]


def routes(rt: Runtime) -> APIRouter:
    settings = rt.settings
    assert isinstance(settings, GatewaySettings)
    tokens = TokenService.for_settings(settings)
    accounts = Accounts.for_settings(settings)
    upstreams = Upstreams.for_settings(settings)
    router = APIRouter(
        prefix="/api/v1", route_class=BearerRoute, lifespan=upstreams.lifespan,
        responses={
            401: {"model": ProblemDetails, "description": "No valid bearer token"},
            503: {"model": ProblemDetails, "description": "A service behind the gateway is down"},
        },
    )
    bearer = HTTPBearer(auto_error=False)

    def guard(*roles: str) -> Any:
        """Dependency: the verified caller, refused unless it has one of `roles` (any if none)."""

        async def principal(
            credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
        ) -> Principal:
            if credentials is None:
                raise Unauthenticated("send Authorization: Bearer <token> from /api/v1/auth/token")
            who = tokens.verify(credentials.credentials)
            if roles and who.role not in roles:
                raise Problem(403, "Forbidden", f"role {who.role!r} may not do this")
            return who

        return Depends(principal)

    anyone, backoffice, school = guard(), guard(BACKOFFICE), guard(SCHOOL)
    forward = upstreams.forward

    @router.get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request) -> dict[str, Any]:
        return request.app.openapi()

    @router.post("/auth/token", response_model=AccessToken, tags=["auth"])
    async def token(body: Login, response: Response) -> AccessToken:
        who = accounts.authenticate(body.username, body.password)
        response.headers["Cache-Control"] = "no-store"  # RFC 6749, 5.1
        return AccessToken(access_token=tokens.issue(who), expires_in=tokens.ttl_seconds)

    @router.get("/offerings", tags=["catalogue"])
    async def offerings(paging: Page, who: Principal = anyone):
        return await forward("bookings", "GET", "/offerings", who, params=paging)

    @router.post("/offerings", status_code=201, tags=["catalogue"])
    async def new_offering(body: NewOffering, who: Principal = backoffice):
        return await forward("bookings", "POST", "/offerings", who, body=_json(body))

    @router.get("/offerings/{offering_id}/sessions", tags=["catalogue"])
    async def sessions(offering_id: Slug, who: Principal = anyone):
        return await forward("bookings", "GET", f"/offerings/{offering_id}/sessions", who)

    @router.post("/offerings/{offering_id}/sessions", status_code=201, tags=["catalogue"])
    async def new_session(offering_id: Slug, body: NewSession, who: Principal = backoffice):
        return await forward("bookings", "POST", f"/offerings/{offering_id}/sessions", who,
                             body=_json(body))

    @router.post("/bookings", status_code=201, tags=["bookings"])
    async def book(body: NewBooking, who: Principal = school):
        """Confirmed, or `waitlisted` with its `waitlist_position` when the session is full."""
        return await forward("bookings", "POST", "/bookings", who, body=_json(body))

    @router.get("/bookings/{booking_id}", tags=["bookings"])
    async def booking(booking_id: UUID, who: Principal = anyone):
        return await forward("bookings", "GET", f"/bookings/{booking_id}", who)

    @router.post("/bookings/{booking_id}/complete", tags=["bookings"])
    async def complete(booking_id: UUID, who: Principal = backoffice):
        return await forward("bookings", "POST", f"/bookings/{booking_id}/complete", who)

    @router.post("/bookings/{booking_id}/cancel", tags=["bookings"])
    async def cancel(booking_id: UUID, who: Principal = guard(SCHOOL, BACKOFFICE)):
        return await forward("bookings", "POST", f"/bookings/{booking_id}/cancel", who)

    @router.get("/notifications", tags=["notifications"])
    async def notifications(paging: Page, who: Principal = anyone):
        return await forward("notify", "GET", "/notifications", who, params=paging)

    @router.get("/finance/declaration-lines", tags=["finance"])
    async def declaration_lines(school_id: OrgId = None,
                                quarter: str | None = Query(None, max_length=16),
                                who: Principal = anyone):
        params = {"school_id": _own_school(who, school_id), "quarter": quarter}
        return await forward("finance", "GET", "/declaration-lines", who, params=params)

    @router.get("/finance/budget", tags=["finance"])
    async def budget(year: int | None = Query(None, ge=2000, le=2100), who: Principal = anyone):
        return await forward("finance", "GET", "/budget", who, params={"year": year})

    finance = guard(FINANCE)

    @router.put("/finance/budget/{year}/{core_task}", tags=["finance"])
    async def set_budget(year: Annotated[int, Path(ge=2000, le=2100)], core_task: CoreTask,
                         body: BudgetChange, who: Principal = finance):
        """`hard_limit` stops approvals past the budget; without it they only warn."""
        return await forward("finance", "PUT", f"/budget/{year}/{core_task}", who,
                             body=_json(body))

    @router.put("/finance/rates/{role}", tags=["finance"])
    async def set_rate(role: Annotated[str, Path(pattern=r"^[a-z][a-z-]{1,39}$")],
                       body: RateChange, who: Principal = finance):
        return await forward("finance", "PUT", f"/rates/{role}", who, body=_json(body))

    @router.get("/finance/declarations", tags=["finance"])
    async def declarations(paging: Page, school_id: OrgId = None,
                           quarter: str | None = Query(None, max_length=16),
                           who: Principal = anyone):
        params = {"school_id": _own_school(who, school_id), "quarter": quarter, **paging}
        return await forward("finance", "GET", "/declarations", who, params=params)

    @router.post("/finance/declarations", tags=["finance"])
    async def declaration_of_quarter(body: NewDeclaration, who: Principal = school):
        """The school's declaration of the quarter, created as a draft when it has none."""
        return await forward("finance", "POST", "/declarations", who, body=_json(body))

    @router.get("/finance/declarations/{declaration_id}", tags=["finance"])
    async def declaration(declaration_id: UUID, who: Principal = anyone):
        return await forward("finance", "GET", f"/declarations/{declaration_id}", who)

    @router.get("/finance/declarations/{declaration_id}/audit", tags=["finance"])
    async def declaration_audit(declaration_id: UUID, who: Principal = anyone):
        return await forward("finance", "GET", f"/declarations/{declaration_id}/audit", who)

    @router.post("/finance/declarations/{declaration_id}/lines", status_code=201,
                 tags=["finance"])
    async def declaration_line(declaration_id: UUID,
                               body: Annotated[NewDeclarationLine, Body()],
                               who: Principal = school):
        return await forward("finance", "POST", f"/declarations/{declaration_id}/lines", who,
                             body=_json(body))

    @router.post("/finance/declarations/{declaration_id}/submit", tags=["finance"])
    async def submit_declaration(declaration_id: UUID, who: Principal = school):
        return await forward("finance", "POST", f"/declarations/{declaration_id}/submit", who)

    @router.post("/finance/declarations/{declaration_id}/approve", tags=["finance"])
    async def approve_declaration(declaration_id: UUID, who: Principal = finance):
        """Approved with `budget_warnings`, or 409 past a hard budget limit."""
        return await forward("finance", "POST", f"/declarations/{declaration_id}/approve", who)

    @router.post("/finance/declarations/{declaration_id}/reject", tags=["finance"])
    async def reject_declaration(declaration_id: UUID, body: Rejection,
                                 who: Principal = finance):
        return await forward("finance", "POST", f"/declarations/{declaration_id}/reject", who,
                             body=_json(body))

    @router.post("/finance/declarations/{declaration_id}/pay", tags=["finance"])
    async def pay_declaration(declaration_id: UUID, body: Payment, who: Principal = finance):
        return await forward("finance", "POST", f"/declarations/{declaration_id}/pay", who,
                             body=_json(body))

    @router.get("/equipment", tags=["equipment"])
    async def equipment(paging: Page, who: Principal = anyone):
        return await forward("loans", "GET", "/items", who, params=paging)

    @router.get("/equipment/{item_id}/availability", tags=["equipment"])
    async def availability(item_id: Slug, from_: date = Query(alias="from"),
                           to: date = Query(), who: Principal = anyone):
        params = {"from": from_.isoformat(), "to": to.isoformat()}
        return await forward("loans", "GET", f"/items/{item_id}/availability", who, params=params)

    @router.get("/availability", tags=["equipment"])
    async def category_availability(category: str = Query(pattern=r"^[a-z0-9-]{1,40}$"),
                                    from_: date = Query(alias="from"),
                                    to: date = Query(), who: Principal = anyone):
        params = {"category": category, "from": from_.isoformat(), "to": to.isoformat()}
        return await forward("loans", "GET", "/availability", who, params=params)

    @router.get("/reservations", tags=["equipment"])
    async def reservations(paging: Page, who: Principal = anyone):
        return await forward("loans", "GET", "/reservations", who, params=paging)

    reserver = guard(SCHOOL, BACKOFFICE)

    @router.post("/reservations", status_code=201, tags=["equipment"])
    async def reserve(body: NewReservation, who: Principal = reserver):
        """Reserved, or 409 with the reason and, where there is one, an `alternative`."""
        return await forward("loans", "POST", "/reservations", who, body=_json(body))

    @router.post("/reservations/{reservation_id}/extend", tags=["equipment"])
    async def extend_reservation(reservation_id: UUID, body: ReservationExtension,
                                 who: Principal = reserver):
        return await forward("loans", "POST", f"/reservations/{reservation_id}/extend", who,
                             body=_json(body))

    @router.post("/reservations/{reservation_id}/cancel", tags=["equipment"])
    async def cancel_reservation(reservation_id: UUID, who: Principal = reserver):
        return await forward("loans", "POST", f"/reservations/{reservation_id}/cancel", who)

    @router.get("/events", tags=["events"])
    async def events(paging: Page, who: Principal = anyone):
        return await forward("events", "GET", "/events", who, params=paging)

    @router.get("/events/{event_id}", tags=["events"])
    async def event(event_id: Slug, who: Principal = anyone):
        return await forward("events", "GET", f"/events/{event_id}", who)

    @router.get("/events/{event_id}/sessions", tags=["events"])
    async def event_sessions(event_id: Slug, who: Principal = anyone):
        return await forward("events", "GET", f"/events/{event_id}/sessions", who)

    @router.post("/events/{event_id}/check-in", tags=["events"])
    async def check_in(event_id: Slug, body: CheckIn, who: Principal = backoffice):
        """Attendance, once per code; a code of another event is 404 like a wrong one."""
        return await forward("events", "POST", f"/events/{event_id}/check-in", who,
                             body=_json(body))

    registrant = guard(SCHOOL, BACKOFFICE)

    @router.post("/registrations", status_code=201, tags=["events"])
    async def register(body: NewRegistration, who: Principal = school):
        """Confirmed, or `waitlisted` with its `waitlist_position` when the session is full."""
        return await forward("events", "POST", "/registrations", who, body=_json(body))

    @router.get("/registrations", tags=["events"])
    async def registrations(paging: Page, who: Principal = registrant):
        return await forward("events", "GET", "/registrations", who, params=paging)

    @router.get("/registrations/{registration_id}", tags=["events"])
    async def registration(registration_id: UUID, who: Principal = registrant):
        return await forward("events", "GET", f"/registrations/{registration_id}", who)

    @router.post("/registrations/{registration_id}/accept", tags=["events"])
    async def accept_offer(registration_id: UUID, who: Principal = school):
        """Take the offered place before `offer_expires_at`."""
        return await forward("events", "POST", f"/registrations/{registration_id}/accept", who)

    @router.post("/registrations/{registration_id}/cancel", tags=["events"])
    async def cancel_registration(registration_id: UUID, who: Principal = registrant):
        """Cancel, decline an offer or leave the waiting list."""
        return await forward("events", "POST", f"/registrations/{registration_id}/cancel", who)

    return router


def _json(body: BaseModel) -> Any:
    return body.model_dump(mode="json")


def _own_school(who: Principal, school_id: str | None) -> str | None:
    """A school sees its own declarations and their lines only; others may name any."""
    if who.role != SCHOOL:
        return school_id
    if school_id not in (None, who.organisation):
        raise Problem(403, "Forbidden", "a school sees only its own declarations")
    return who.organisation
