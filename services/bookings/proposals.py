"""Companies take part themselves: a company contact proposes an offer its company hosts,
and the backoffice approves it (schools see it from then on) or declines it with a reason
the company reads."""

from uuid import uuid4

from sqlalchemy import select

from services.bookings import domain
from services.bookings.domain import Approval, BookingRefused
from services.bookings.settings import BookingsSettings
from services.bookings.store import Offering
from shared.contracts.bookings import (
    OfferingProposalDecidedV1,
    OfferingProposedV1,
    OfferingPublishedV1,
)
from shared.contracts.requests.bookings import NewProposal
from shared.domain import ADMIN, BACKOFFICE, COMPANY, PROGRAMME
from shared.http import Caller
from shared.service import Runtime


async def propose(rt: Runtime[BookingsSettings], caller: Caller, body: NewProposal) -> Offering:
    """The company's offer, hosted by the caller's own company, waiting for approval."""
    caller.require(COMPANY)
    offering = Offering(
        id=f"{caller.organisation}-{uuid4().hex[:8]}",
        host_company=caller.organisation,
        approval=Approval.PROPOSED,
        proposed_by=caller.actor,
        proposed_at=rt.clock.now(),
        equipment=[],
        sessions_per_booking=1,
        **body.model_dump(),
    )
    domain.check_offering(offering)
    async with rt.db.transaction() as tx:
        tx.add(offering)
        await rt.outbox.stage(
            tx,
            OfferingProposedV1(
                offering_id=offering.id,
                kind=offering.kind,
                title=offering.title,
                host_company=caller.organisation,
                proposed_by=caller.actor,
            ),
        )
    return offering


async def proposals(
    rt: Runtime, caller: Caller, approval: str | None, limit: int, offset: int
) -> list[Offering]:
    """Offers companies proposed, newest first: a company contact sees its own company's,
    the backoffice (programme, admin) every company's."""
    caller.require(COMPANY, BACKOFFICE, PROGRAMME, ADMIN)
    query = select(Offering).where(Offering.proposed_at.is_not(None))
    if caller.role == COMPANY:
        query = query.where(Offering.host_company == caller.organisation)
    if approval is not None:
        query = query.where(Offering.approval == approval)
    async with rt.db.sessions() as tx:
        return list(
            await tx.scalars(
                query.order_by(Offering.proposed_at.desc(), Offering.id).limit(limit).offset(offset)
            )
        )


async def decide(
    rt: Runtime, caller: Caller, offering_id: str, approve: bool, reason: str | None = None
) -> Offering:
    """The backoffice's decision, once; the company hears it, and an approved offer is
    published like any other."""
    caller.require(BACKOFFICE)
    async with rt.db.transaction() as tx:
        offering = await tx.get(Offering, offering_id, with_for_update=True)
        if offering is None or offering.proposed_at is None or offering.host_company is None:
            raise BookingRefused("dit voorstel bestaat niet", 404)
        offering.approval = domain.decide(offering.approval, approve)
        offering.decline_reason = None if approve else reason
        await rt.outbox.stage(
            tx,
            OfferingProposalDecidedV1(
                offering_id=offering.id,
                kind=offering.kind,
                title=offering.title,
                host_company=offering.host_company,
                approved=approve,
                reason=reason,
            ),
        )
        if approve:
            await rt.outbox.stage(
                tx,
                OfferingPublishedV1(
                    offering_id=offering.id,
                    kind=offering.kind,
                    title=offering.title,
                    audience=offering.audience,
                    sessions=0,
                    theme=offering.theme,
                ),
            )
    return offering
