"""What a company contact and the backoffice read when companies take part themselves: a
request for a visit goes to the host company, a proposal to the backoffice, the decision on
it back to the company, and a school reads the company's reason for a refusal."""

from services.notify.domain import drafts_for
from services.notify.rendering import render_draft
from shared.contracts.bookings import (
    BookingHostRequestedV1,
    BookingRejectedV1,
    OfferingProposalDecidedV1,
    OfferingProposedV1,
)
from shared.tests.test_envelope_and_contracts import confirmed

PROPOSAL = dict(
    offering_id="voorbeeld-bouw-1a2b3c4d",
    kind="company_visit",
    title="Bedrijfsbezoek prefab bouwen",
    host_company="voorbeeld-bouw",
)


def facts() -> dict:
    return confirmed().model_dump(exclude={"equipment", "from_waitlist"})


def test_a_request_for_a_visit_asks_the_host_company_to_answer():
    event = BookingHostRequestedV1(
        **facts(), host_company="voorbeeld-bouw", offering_kind="company_visit"
    )
    [draft] = drafts_for(event)
    assert (draft.organisation_id, draft.message_type) == (
        "voorbeeld-bouw",
        "booking_host_requested",
    )
    subject, body = render_draft(draft)
    assert subject.startswith("Aanvraag: Robotica")
    assert "Corlaer College vraagt een bezoek aan voor groep 3B (20 leerlingen" in body
    assert "accepteer of weiger" in body


def test_a_request_for_internship_places_asks_for_a_place():
    event = BookingHostRequestedV1(
        **facts(), host_company="voorbeeld-bouw", offering_kind="internship"
    )
    assert "vraagt een plaats aan" in render_draft(drafts_for(event)[0])[1]


def test_a_refusal_by_the_host_tells_the_school_the_companys_reason():
    event = BookingRejectedV1(
        **facts(), reason="Die week is onze werkplaats dicht", rejected_by="host"
    )
    _, body = render_draft(drafts_for(event)[0])
    assert (
        "Het gastbedrijf kan groep 3B niet ontvangen. Reden: Die week is onze werkplaats "
        "dicht." in body
    )


def test_a_proposal_goes_to_the_backoffice_by_the_companys_name():
    [draft] = drafts_for(OfferingProposedV1(**PROPOSAL, proposed_by="contact"))
    assert (draft.organisation_id, draft.message_type) == ("backoffice", "offering_proposed")
    subject, _ = render_draft(draft)
    assert subject == "Voorstel van Voorbeeld Bouw BV: Bedrijfsbezoek prefab bouwen"


def test_the_company_hears_the_decision_and_a_refusals_reason():
    approved = drafts_for(OfferingProposalDecidedV1(**PROPOSAL, approved=True))
    declined = drafts_for(
        OfferingProposalDecidedV1(**PROPOSAL, approved=False, reason="Er zijn genoeg bezoeken")
    )
    assert [(d.organisation_id, d.message_type) for d in approved + declined] == [
        ("voorbeeld-bouw", "offering_approved"),
        ("voorbeeld-bouw", "offering_declined"),
    ]
    assert render_draft(approved[0])[0] == "Goedgekeurd: Bedrijfsbezoek prefab bouwen"
    assert "Reden: Er zijn genoeg bezoeken." in render_draft(declined[0])[1]
