"""The e-mail a message becomes, as a mail reader parses it."""

import email
import email.policy
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from services.notify.channels import Outgoing, mail_of

WRITTEN = datetime(2026, 12, 3, 9, 15, 4, tzinfo=UTC)

# Each fits on a line of its own after "Subject:", where Python's default policy folds.
SUBJECTS = [
    "Bevestiging: Robotica b4853c op donderdag 10 december 2026, 10:00-12:00",
    "Herinnering: Masterklas 3D ontwerpen op woensdag 30 december 2026, 08:30",
]


def read(message: Outgoing) -> email.message.EmailMessage:
    return email.message_from_bytes(mail_of(message), policy=email.policy.default)


def outgoing(subject: str, body: str = "Tot dan.") -> Outgoing:
    return Outgoing(uuid4(), "corlaer", "corlaer@example.nl", "booking", subject, body, WRITTEN)


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subject_reaches_the_reader_as_written(subject):
    assert read(outgoing(subject))["Subject"] == subject


def test_a_mail_is_dated_when_its_message_was_written_so_readers_order_it_so():
    """Mails sent at once over several connections arrive in any order; readers sort by
    the Date header (RFC 5322 requires one)."""
    assert read(outgoing("Bevestiging"))["Date"].datetime == WRITTEN


def test_dutch_words_reach_the_reader_as_written():
    mail = read(outgoing("Geannuleerd: Proefjes één", "Wij zien u graag in de Hotspot, café."))
    assert mail["Subject"] == "Geannuleerd: Proefjes één"
    assert mail.get_content().strip() == "Wij zien u graag in de Hotspot, café."


def test_a_long_paragraph_reaches_the_reader_whole_in_lines_smtp_allows():
    paragraph = "De Week van de Techniek komt eraan, met proefjes in de Hotspot. " * 40
    mail = mail_of(outgoing("Nieuwsbrief", paragraph.strip()))
    assert max(len(line) for line in mail.split(b"\r\n")) <= 998
    assert read(outgoing("Nieuwsbrief", paragraph.strip())).get_content().strip() == (
        paragraph.strip()
    )


def test_a_line_break_in_a_subject_cannot_add_a_header():
    mail = read(outgoing("Hallo\r\nBcc: iedereen@example.nl"))
    assert mail["Bcc"] is None
    assert mail["Subject"] == "Hallo Bcc: iedereen@example.nl"
