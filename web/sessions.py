"""Browser sessions: the cookie holds only a random id; the gateway token stays here.

The sessions live in the web front end's own store (`web/store.py`: SQLite under `var/` for
the local run, PostgreSQL in production), so any web process serves any request of a person
and a restart signs no one out. A request reads its session once; the middleware writes it
back only when it changed, is new, or its idle timeout is due to be pushed on.
"""

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import delete, select

from shared.store.db import Database, insert_for
from web.store import SESSIONS

# An idle timeout is pushed on at most this often: a read-only page writes nothing.
TOUCH_SECONDS = 60


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

    def state(self) -> str:
        """What is stored besides the id and the idle timeout, as JSON."""
        kept = asdict(self)
        del kept["id"], kept["expires_at"]
        return json.dumps(kept, sort_keys=True)


class SessionStore:
    """Sessions alive `idle_seconds` after their last use (and no longer than their gateway
    token); expired ones are deleted at most once a minute, by whichever process saves."""

    def __init__(
        self, db: Database, idle_seconds: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.db, self._idle, self._clock = db, idle_seconds, clock
        self._next_sweep = 0.0

    async def get(self, session_id: str) -> Session | None:
        now = self._clock()
        async with self.db.sessions() as tx:
            row = (
                await tx.execute(
                    select(SESSIONS.c.state, SESSIONS.c.expires_at).where(
                        SESSIONS.c.id == session_id
                    )
                )
            ).first()
        if row is None or row.expires_at <= now:
            return None
        session = Session(id=session_id, expires_at=row.expires_at, **json.loads(row.state))
        if session.signed_in and session.token_expires_at <= now:
            await self.drop(session_id)
            return None
        return session

    def new(self) -> Session:
        """A session of this request; stored when the request saves it."""
        return Session(
            id=secrets.token_urlsafe(32),
            csrf=secrets.token_urlsafe(32),
            expires_at=self._clock() + self._idle,
        )

    def due(self, session: Session) -> bool:
        """Whether its idle timeout should be pushed on now."""
        return session.expires_at - self._clock() < self._idle - TOUCH_SECONDS

    async def save(self, session: Session) -> None:
        now = self._clock()
        session.expires_at = now + self._idle
        values = {"state": session.state(), "expires_at": session.expires_at}
        async with self.db.writing() as tx:
            insert = insert_for(tx)(SESSIONS).values(id=session.id, **values)
            await tx.execute(
                insert.on_conflict_do_update(index_elements=[SESSIONS.c.id], set_=values)
            )
            if now >= self._next_sweep:
                self._next_sweep = now + 60
                await tx.execute(delete(SESSIONS).where(SESSIONS.c.expires_at <= now))

    async def drop(self, session_id: str) -> None:
        async with self.db.writing() as tx:
            await tx.execute(delete(SESSIONS).where(SESSIONS.c.id == session_id))
