"""The channels a message goes out on: e-mail over SMTP, a signed webhook (the mobile push
relay) and the in-app inbox. A channel raises when it could not hand the message over."""

import asyncio
import email.policy
import hashlib
import hmac
import json
import smtplib
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol
from uuid import UUID

import httpx

SENDER = "T is for Tech <noreply@tisfortech.example>"
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
    """SMTP, one connection kept open between messages (reopened after any error)."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._smtp: smtplib.SMTP | None = None

    async def send(self, message: Outgoing) -> None:
        await asyncio.to_thread(self._send, mail_of(message))

    def _send(self, mail: EmailMessage) -> None:
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(mail)
        except Exception:
            self._close()
            raise

    def _connect(self) -> smtplib.SMTP:
        try:
            return smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except OSError as exc:  # refused, timed out, or closed before its greeting
            raise Unreachable(f"SMTP {self.host}:{self.port}: {exc!r}") from exc

    def _close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except Exception:  # already broken: nothing left to close politely
                smtp.close()

    async def close(self) -> None:
        await asyncio.to_thread(self._close)


# RFC 5322 allows lines of 998 characters. At the default 78 Python folds a subject that
# just fits on the next line right after "Subject:", and readers then show it with a leading
# space ("Bevestiging: ... op donderdag 10 december 2026, 10:00-12:00" is such a subject).
MAIL_POLICY = email.policy.default.clone(max_line_length=998)


def mail_of(message: Outgoing) -> EmailMessage:
    mail = EmailMessage(policy=MAIL_POLICY)
    mail["From"] = SENDER
    mail["To"] = message.address
    mail["Subject"] = message.subject
    # Stable across retries, so a receiver can drop the copy a crash after sending makes.
    mail["Message-ID"] = f"<{message.id}@{MESSAGE_DOMAIN}>"
    mail["X-TFT-Message-Type"] = message.message_type
    if message.critical:
        mail["Importance"] = "high"
    mail.set_content(message.body)
    return mail


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
