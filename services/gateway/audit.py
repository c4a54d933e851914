"""The gateway's audit log: every state-changing call to /api/, who, what, when, result,
and for whom when the backoffice acted on behalf of a school.

One JSON line per call in a file (append-only), and the same as a structured log line, so
it reaches the log pipeline too. Refused calls (401, 403, 429, ...) are recorded as well.
"""

import json
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.gateway.auth import Principal
from shared.clock import SYSTEM_CLOCK, Clock
from shared.observability.logging import current_request_id, log

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


class AuditLog:
    def __init__(self, path: Path, clock: Clock = SYSTEM_CLOCK) -> None:
        self.path, self.clock = path, clock
        path.parent.mkdir(parents=True, exist_ok=True)

    def record(self, entry: dict[str, Any]) -> None:
        # A small append per call; O_APPEND keeps lines whole between processes.
        with self.path.open("a", encoding="utf-8") as file:
            file.write(json.dumps(entry, separators=(",", ":")) + "\n")
        log.info("audit", **entry)

    def latest(self, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        """Newest first."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        chosen = lines[::-1][offset : offset + limit]
        return [json.loads(line) for line in chosen]


class Audit:
    """ASGI middleware around the edge's guard, so its refusals are recorded too."""

    def __init__(self, app: ASGIApp, log: AuditLog) -> None:
        self.app, self.log = app, log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in STATE_CHANGING
            or not scope["path"].startswith("/api/")
        ):
            await self.app(scope, receive, send)
            return
        status, replayed = 500, False

        async def watching(message: Message) -> None:
            nonlocal status, replayed
            if message["type"] == "http.response.start":
                status = message["status"]
                replayed = (b"idempotent-replayed", b"true") in message.get("headers", ())
            await send(message)

        try:
            await self.app(scope, receive, watching)
        finally:
            state = scope.get("state", {})
            who: Principal | None = state.get("principal")
            self.log.record(
                {
                    "at": self.log.clock.now().isoformat(timespec="milliseconds"),
                    "actor": who.subject if who else None,
                    "role": who.role if who else None,
                    "organisation": who.organisation if who else None,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "replayed": replayed,
                    "request_id": current_request_id(),
                    "address": (scope.get("client") or ("unknown",))[0],
                    "on_behalf_of": state.get("on_behalf_of"),
                }
            )
