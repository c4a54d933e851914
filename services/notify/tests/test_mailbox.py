"""The local mail sink of `make up` keeps every mail it was sent, across its restarts."""

import smtplib

from services.notify.mailbox import Mailbox, serve


def send(port: int, subject: str) -> None:
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        mail = f"From: a@example.nl\r\nTo: b@example.nl\r\nSubject: {subject}\r\n\r\nTot dan.\r\n"
        smtp.sendmail("a@example.nl", ["b@example.nl"], mail.encode())


def test_a_restarted_mail_sink_numbers_on_and_never_writes_over_earlier_mails(tmp_path):
    for subject in ("Eerste", "Tweede"):
        controller = serve(Mailbox(tmp_path))
        try:
            send(controller.port, subject)
        finally:
            controller.stop()
    written = sorted(tmp_path.glob("*.eml"))
    assert [f.name for f in written] == ["000001.eml", "000002.eml"]
    assert b"Subject: Eerste" in written[0].read_bytes()
    assert b"Subject: Tweede" in written[1].read_bytes()
