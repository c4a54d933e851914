"""Browser sessions: the cookie holds only a random id; the gateway token stays here.

`SessionStore` is the interface; `MemorySessionStore` keeps sessions in this process (one
web process for now), as the gateway's idempotency store does. A shared store (Redis,
PostgreSQL) can replace it behind the same three methods.
"""

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class Session:
    id: str
    csrf: str
    expires_at: float
    # The gateway token; empty until someone signs in (the login page's session).
    token: str = ""
    token_expires_at: float = 0.0
    username: str = ""
    role: str = ""
    organisation: str = ""
    # The organisation's name from the directory, for the page header (its id when unknown).
    organisation_name: str = ""
    # One-time messages for the next page ("Je boeking is geannuleerd").
    flashes: list[str] = field(default_factory=list)

    @property
    def signed_in(self) -> bool:
        return bool(self.token)

    def pop_flashes(self) -> list[str]:
        shown, self.flashes = self.flashes, []
        return shown


class SessionStore(Protocol):
    def get(self, session_id: str) -> Session | None: ...
    def new(self) -> Session: ...
    def drop(self, session_id: str) -> None: ...


class MemorySessionStore:
    """Sessions in a dict, each alive `idle_seconds` after its last use; the oldest go first
    when more than `max_sessions` exist (anonymous login-page sessions cannot fill memory)."""

    def __init__(self, idle_seconds: float, max_sessions: int,
                 clock: Callable[[], float] = time.time) -> None:
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._idle, self._max, self._clock = idle_seconds, max_sessions, clock

    def get(self, session_id: str) -> Session | None:
        session = self._sessions.get(session_id)
        now = self._clock()
        if session is None or session.expires_at <= now or (
                session.signed_in and session.token_expires_at <= now):
            self._sessions.pop(session_id, None)
            return None
        session.expires_at = now + self._idle
        self._sessions.move_to_end(session_id)
        return session

    def new(self) -> Session:
        session = Session(id=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32),
                          expires_at=self._clock() + self._idle)
        self._sessions[session.id] = session
        while len(self._sessions) > self._max:
            self._sessions.popitem(last=False)
        return session

    def drop(self, session_id: str) -> None:
        self._sessions.pop(session_id, None)
