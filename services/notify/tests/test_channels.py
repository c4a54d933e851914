"""The e-mail a message becomes, as a mail reader parses it."""

import email
import email.policy
from uuid import uuid4

import pytest

from services.notify.channels import Outgoing, mail_of

# Each fits on a line of its own after "Subject:", where Python's default policy folds.
SUBJECTS = [
    "Bevestiging: Robotica b4853c op donderdag 10 december 2026, 10:00-12:00",
    "Herinnering: Masterklas 3D ontwerpen op woensdag 30 december 2026, 08:30",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subject_reaches_the_reader_as_written(subject):
    message = Outgoing(uuid4(), "corlaer", "corlaer@example.nl", "booking", subject, "Tot dan.")

    read = email.message_from_bytes(mail_of(message).as_bytes(), policy=email.policy.default)

    assert read["Subject"] == subject
