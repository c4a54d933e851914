"""Events of the loans service (topics `tft.loans.*`)."""

from datetime import date
from uuid import UUID

from shared.contracts.base import IntegrationEvent
from shared.contracts.topics import LOAN_ITEM, LOAN_RESERVATION


class _ItemFacts(IntegrationEvent):
    topic = LOAN_ITEM
    key_field = "item_id"

    item_id: str
    asset_tag: str
    category: str
    name: str
    quantity: int = 1
    # False for stationary equipment: it serves lessons where it stands but is never lent.
    loanable: bool = True


class ItemRegisteredV1(_ItemFacts):
    event_type = "nl.tisfortech.loans.item.registered.v1"


class ItemChangedV1(_ItemFacts):
    """The backoffice changed an item (name, category, units, whether it is lent): its
    state now, and which fields changed."""

    event_type = "nl.tisfortech.loans.item.changed.v1"

    changed: list[str]


class ItemRetiredV1(IntegrationEvent):
    """The item is out of service for good: nothing can ask for it any more."""

    event_type = "nl.tisfortech.loans.item.retired.v1"
    topic = LOAN_ITEM
    key_field = "item_id"

    item_id: str


class _ReservationFacts(IntegrationEvent):
    """What every reservation event tells: which units of which item, for whom, when."""

    topic = LOAN_RESERVATION
    key_field = "reservation_id"

    reservation_id: UUID
    item_id: str
    item_name: str
    quantity: int
    school_id: str
    booking_id: UUID | None = None
    starts_on: date
    ends_on: date
    # The session the units serve, whichever schools book it (then `school_id` is the hotspot).
    session_id: UUID | None = None
    # The person who reserved (their id): a school's own, or the backoffice on behalf of
    # `school_id`; unknown for reservations made before it was recorded.
    reserved_by: str | None = None


class ReservationMadeV1(_ReservationFacts):
    event_type = "nl.tisfortech.loans.reservation.made.v1"


class ReservationExtendedV1(_ReservationFacts):
    """The reservation now ends later (`ends_on`); it ended on `previous_ends_on`."""

    event_type = "nl.tisfortech.loans.reservation.extended.v1"

    previous_ends_on: date


class ReservationReleasedV1(_ReservationFacts):
    """The units are free again: the school cancelled, or the booking they served was."""

    event_type = "nl.tisfortech.loans.reservation.released.v1"


class _EquipmentAnswer(IntegrationEvent):
    """Loans' answer to a BookingRequestedV1 from before equipment belonged to the session
    (now answered per session below), keyed by the booking it answers. Retired: read, if
    still on the topic, but no longer sent."""

    topic = LOAN_RESERVATION
    key_field = "booking_id"
    retired = True

    booking_id: UUID
    school_id: str


class ReservationGrantedV1(_EquipmentAnswer):
    """Every category the booking asked for is reserved (one reservation each)."""

    event_type = "nl.tisfortech.loans.reservation.granted.v1"

    reservation_ids: list[UUID]


class _NoKit(IntegrationEvent):
    """Nothing was reserved: `category` had no whole kit free. `reason` is for the schools to
    read (Dutch); `alternative` is the nearest item and period that would do, if any."""

    category: str
    reason: str
    alternative: dict[str, str] | None = None


class ReservationRejectedV1(_EquipmentAnswer, _NoKit):
    event_type = "nl.tisfortech.loans.reservation.rejected.v1"


class _SessionEquipmentAnswer(IntegrationEvent):
    """Loans' answer to a SessionEquipmentRequestedV1, keyed by the session like the request."""

    topic = LOAN_RESERVATION
    key_field = "session_id"

    session_id: UUID
    request_id: UUID


class SessionEquipmentReservedV1(_SessionEquipmentAnswer):
    """Every category the session needs is reserved for it (one reservation each)."""

    event_type = "nl.tisfortech.loans.session-equipment.reserved.v1"

    reservation_ids: list[UUID]


class SessionEquipmentRejectedV1(_SessionEquipmentAnswer, _NoKit):
    """The alternative starts on a day the hotspot is open (the request's calendar)."""

    event_type = "nl.tisfortech.loans.session-equipment.rejected.v1"


class ReservationDamageReportedV1(_ReservationFacts):
    """Equipment came back damaged; finance costs the repair on the school's declaration of
    the quarter of `reported_on` (core task A for hard-tech schools, B otherwise)."""

    event_type = "nl.tisfortech.loans.reservation.damage-reported.v1"

    damage_id: UUID
    description: str
    repair_cost_cents: int
    reported_on: date


class ReservationCheckedOutV1(_ReservationFacts):
    """The school collected the units; `condition_note` is their state as they left."""

    event_type = "nl.tisfortech.loans.reservation.checked-out.v1"

    condition_note: str = ""


class ReservationReturnedV1(_ReservationFacts):
    """The units came back (damage, if any, follows as ReservationDamageReportedV1)."""

    event_type = "nl.tisfortech.loans.reservation.returned.v1"

    condition: str
    returned_on: date


class ReservationOverdueV1(_ReservationFacts):
    """Checked out and not back after `ends_on`: told once per reservation by the overdue
    scan, which notify turns into a notice to the school and the backoffice."""

    event_type = "nl.tisfortech.loans.reservation.overdue.v1"

    days_overdue: int
