"""Events of the finance service (topic `tft.finance.declaration`)."""

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
