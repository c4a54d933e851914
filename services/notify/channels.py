"""The channels a message goes out on: e-mail over SMTP, a signed webhook (the mobile push
relay) and the in-app inbox. A channel raises when it could not hand the message over."""

import asyncio
import hashlib
import hmac
import json
import quopri
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.utils import format_datetime
from typing import Protocol
from uuid import UUID

import httpx

SENDER_ADDRESS = "noreply@tisfortech.example"
SENDER = f"T is for Tech <{SENDER_ADDRESS}>"
TIMESTAMP_HEADER = "X-TFT-Timestamp"
SIGNATURE_HEADER = "X-TFT-Signature"
MESSAGE_DOMAIN = "notify.tisfortech.example"


@dataclass(frozen=True)
class Outgoing:
    id: UUID  # stable across retries: the e-mail's Message-ID, the webhook's id
    recipient: str  # the person's id
    address: str  # their e-mail address
    message_type: str
    subject: str
    body: str
    written_at: datetime  # the mail's Date: readers order mails by it, not by arrival
    critical: bool = False


class Unreachable(Exception):
    """The channel's server cannot be reached now: any message on it would fail alike."""


class Channel(Protocol):
    async def send(self, message: Outgoing) -> None: ...

    async def close(self) -> None: ...


class InApp:
    """The inbox is the notifications table itself: the message is there already."""

    async def send(self, message: Outgoing) -> None:
        return None

    async def close(self) -> None:
        return None


class Email:
    """SMTP over up to `connections` connections, each kept open between messages (and
    reopened after any error): sends overlap while each waits for the server's replies."""

    def __init__(self, host: str, port: int, timeout: float, connections: int = 1) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._idle: list[smtplib.SMTP] = []  # open and not in use
        self._slots = asyncio.Semaphore(connections)

    async def send(self, message: Outgoing) -> None:
        mail = mail_of(message)
        address = message.address
        async with self._slots:
            smtp = self._idle.pop() if self._idle else None
            self._idle.append(await asyncio.to_thread(self._send, smtp, address, mail))

    def _send(self, smtp: smtplib.SMTP | None, address: str, mail: bytes) -> smtplib.SMTP:
        """Send on `smtp` (or a new connection); returns the connection, still open."""
        if smtp is None:
            smtp = self._connect()
        try:
            smtp.sendmail(SENDER_ADDRESS, [address], mail)
        except Exception:
            _quit(smtp)
            raise
        return smtp

    def _connect(self) -> smtplib.SMTP:
        try:
            return smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except OSError as exc:  # refused, timed out, or closed before its greeting
            raise Unreachable(f"SMTP {self.host}:{self.port}: {exc!r}") from exc

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for smtp in idle:
            await asyncio.to_thread(_quit, smtp)


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except Exception:  # already broken: nothing left to close politely
        smtp.close()


def mail_of(message: Outgoing) -> bytes:
    """The e-mail as it goes over SMTP (RFC 5322 and MIME), written out directly: building it
    with the standard library's EmailMessage cost a millisecond, most of the CPU of a send.
    Non-ASCII header text goes as RFC 2047 encoded words, a body that is not short ASCII
    lines as quoted-printable UTF-8; no header value can break a line."""
    headers = [
        ("From", SENDER),
        ("To", _one_line(message.address)),
        ("Subject", _header_text(message.subject)),
        ("Date", format_datetime(message.written_at)),
        # Stable across retries, so a receiver can drop the copy a crash after sending makes.
        ("Message-ID", f"<{message.id}@{MESSAGE_DOMAIN}>"),
        ("X-TFT-Message-Type", _one_line(message.message_type)),
        *([("Importance", "high")] if message.critical else []),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="utf-8"'),
    ]
    text = "\n".join(message.body.splitlines()).encode()
    if text.isascii() and all(len(line) <= 998 for line in text.split(b"\n")):
        headers.append(("Content-Transfer-Encoding", "7bit"))
    else:
        headers.append(("Content-Transfer-Encoding", "quoted-printable"))
        text = quopri.encodestring(text)
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode()
    return head + b"\r\n" + text.replace(b"\n", b"\r\n") + b"\r\n"


def _one_line(value: str) -> str:
    return " ".join(value.splitlines())


def _header_text(text: str) -> str:
    """`text` as a header may carry it: as is when it is ASCII, else as encoded words (one
    per folded line, which a reader joins back without spaces)."""
    text = _one_line(text)
    return text if text.isascii() else Header(text, "utf-8").encode(linesep="\r\n")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `<timestamp>.<body>`: the timestamp is signed too, so a captured
    request cannot be replayed later with a fresh one."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signed: str,
    now: float,
    tolerance_seconds: float = 300,
) -> bool:
    """What the relay checks: a valid signature on a recent timestamp."""
    try:
        fresh = abs(now - float(timestamp)) <= tolerance_seconds
    except ValueError:
        return False
    return fresh and hmac.compare_digest(signature(secret, timestamp, body), signed)


class Webhook:
    def __init__(self, url: str, secret: str, timeout: float) -> None:
        self.url, self.secret = url, secret
        self._client = httpx.AsyncClient(timeout=timeout)

    async def send(self, message: Outgoing) -> None:
        if not self.url:
            raise Unreachable("no push relay configured (TFT_NOTIFY_WEBHOOK_URL)")
        body = json.dumps(
            {
                "id": str(message.id),
                "recipient": message.recipient,
                "message_type": message.message_type,
                "subject": message.subject,
                "body": message.body,
                "critical": message.critical,
            }
        ).encode()
        timestamp = str(int(time.time()))
        try:
            response = await self._client.post(
                self.url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    TIMESTAMP_HEADER: timestamp,
                    SIGNATURE_HEADER: signature(self.secret, timestamp, body),
                },
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise Unreachable(f"push relay {self.url}: {exc!r}") from exc
        response.raise_for_status()

    async def close(self) -> None:
        await self._client.aclose()
