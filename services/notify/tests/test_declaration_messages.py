"""The declaration workflow's steps reach the right people, in Dutch."""

from datetime import date
from uuid import uuid4

import pytest

from services.notify.domain import HANDLED, drafts_for
from services.notify.rendering import render_draft
from shared.contracts.finance import (
    DeclarationApprovedV1,
    DeclarationPaidV1,
    DeclarationRejectedV1,
    DeclarationSubmittedV1,
)

FACTS = dict(
    declaration_id=uuid4(),
    school_id="corlaer",
    quarter="2026-Q4",
    total_cents=1_984_750,
    actor="jan",
)


@pytest.mark.parametrize(
    ("event", "recipient", "words"),
    [
        (
            DeclarationSubmittedV1(**FACTS),
            "finance",
            ["Corlaer College", "ingediend", "€ 19.847,50"],
        ),
        (DeclarationApprovedV1(**FACTS), "corlaer", ["goedgekeurd", "2026-Q4"]),
        (
            DeclarationRejectedV1(**FACTS, reason="Factuur F-118 ontbreekt"),
            "corlaer",
            ["afgekeurd", "Factuur F-118 ontbreekt", "opnieuw indienen"],
        ),
        (
            DeclarationPaidV1(**FACTS, batch="2027-01", paid_on=date(2027, 1, 15)),
            "corlaer",
            ["betaald", "vrijdag 15 januari 2027", "2027-01", "€ 19.847,50"],
        ),
    ],
)
def test_each_step_tells_the_other_side(event, recipient, words):
    assert type(event) in HANDLED
    [draft] = drafts_for(event)
    assert draft.organisation_id == recipient
    text = " ".join(render_draft(draft))
    assert all(word in text for word in words)
