"""Events of the finance service (topic `tft.finance.declaration`)."""

from datetime import date
from uuid import UUID

from shared.contracts.base import IntegrationEvent
from shared.contracts.common import CoreTask
from shared.contracts.topics import DECLARATION


class DeclarationLineDraftedV1(IntegrationEvent):
    """A draft line on a school's quarterly declaration, traced to the event it came from."""

    event_type = "nl.tisfortech.finance.declaration.line-drafted.v1"
    topic = DECLARATION
    key_field = "declaration_id"

    declaration_id: UUID
    line_id: UUID
    school_id: str
    quarter: str
    core_task: CoreTask
    description: str
    minutes: int
    amount_cents: int
    source_event_id: str
    # Added with defaults, so readers of earlier payloads still validate them.
    kind: str = "hours"
    hourly_rate_cents: int | None = None
    booking_id: UUID | None = None
    # The activity it came from ("hosting:<id>", ...), the company of a co-financing line,
    # and the quarter the work belongs to when it came after that quarter was locked.
    source_ref: str | None = None
    company: str | None = None
    late_for_quarter: str | None = None


class DeclarationTransitionV1(IntegrationEvent):
    """What every step of a declaration's workflow tells: which one, by whom, for how much.

    No `event_type` here: only the concrete steps below are registered contracts.
    """

    topic = DECLARATION
    key_field = "declaration_id"

    declaration_id: UUID
    school_id: str
    quarter: str
    total_cents: int
    actor: str


class DeclarationSubmittedV1(DeclarationTransitionV1):
    event_type = "nl.tisfortech.finance.declaration.submitted.v1"


class DeclarationApprovedV1(DeclarationTransitionV1):
    event_type = "nl.tisfortech.finance.declaration.approved.v1"

    # Core tasks this approval took over their yearly budget (soft limits only).
    budget_warnings: list[str] = []


class DeclarationRejectedV1(DeclarationTransitionV1):
    event_type = "nl.tisfortech.finance.declaration.rejected.v1"

    reason: str


class DeclarationPaidV1(DeclarationTransitionV1):
    event_type = "nl.tisfortech.finance.declaration.paid.v1"

    batch: str
    paid_on: date
    # What was paid out: `total_cents` less the co-financing on the declaration, which
    # companies gave and nobody is paid for. None in payloads from before co-financing.
    payable_cents: int | None = None
