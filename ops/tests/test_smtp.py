"""The local catch-all SMTP server of `make up`: a real process that keeps every mail."""

import smtplib
from pathlib import Path

from ops.smtp import MailSink
from services.notify.mailbox import free_port
from tests.harness import eventually


def test_the_catch_all_writes_each_mail_to_var_and_stops(tmp_path: Path) -> None:
    sink = MailSink(tmp_path, free_port())
    sink.start()
    try:
        sink.wait_ready(30)
        with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
            smtp.sendmail(
                "noreply@tisfortech.example",
                ["coordinator@corlaer.example"],
                "Subject: Bevestiging\n\nUw boeking is bevestigd.",
            )
        [mail] = eventually(lambda: list((tmp_path / "mail").glob("*.eml")))
        assert b"Uw boeking is bevestigd." in mail.read_bytes()
    finally:
        sink.stop()
    assert not sink.is_running()
