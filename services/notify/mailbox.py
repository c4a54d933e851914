"""A catch-all SMTP server (aiosmtpd): the local run's mail sink and the tests' real server.

Every mail is kept (and, with a directory, written as `<n>.eml`); recipients in `refusing`
(or all, with `refuse_all`) are answered `451` so a test can make the server fail.
"""

import email
import email.policy
import socket
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller


class Mailbox:
    """The aiosmtpd handler: keeps what it accepts, refuses what it is told to."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self.mails: list[EmailMessage] = []
        # Numbered on from the mails a previous run left there, never over them.
        self._written = max((int(f.stem) for f in _numbered(directory)), default=0)
        self.refusing: set[str] = set()
        self.refuse_all = False
        self.refused: dict[str, int] = {}  # address -> refusals

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse_all or address in self.refusing:
            self.refused[address] = self.refused.get(address, 0) + 1
            return "451 4.3.0 Tijdelijk niet beschikbaar, probeer het later opnieuw"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.mails.append(mail)  # type: ignore[arg-type]
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._written += 1
            (self.directory / f"{self._written:06d}.eml").write_bytes(envelope.content)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.mails if m["To"] == address]


def _numbered(directory: Path | None) -> list[Path]:
    if directory is None:
        return []
    return [f for f in directory.glob("*.eml") if f.stem.isdigit()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(mailbox: Mailbox, port: int | None = None) -> Controller:
    """Start the server in a thread of this process; `.stop()` ends it."""
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller
