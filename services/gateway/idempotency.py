"""Idempotency keys with Stripe's semantics, per caller.

The first request with a key runs; its answer is kept (24 h by default) and a retry with
the same key and the same request gets that answer again without running anything. A
retry while the first still runs gets 409; the same key with another request gets 422.
A running claim holds for `lease_seconds` only: a gateway killed while it ran leaves it
behind, and a retry after the lease runs again (the service, which recorded the key with
the effect, answers it with the first result).

The keys live in the gateway's store (`store.py`), so every gateway replica sees them and a
restart forgets none. Claiming a key is one INSERT ... ON CONFLICT: of two replicas given the
same new key at once, exactly one gets NEW.
"""

import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from sqlalchemy import and_, delete, select, update

from services.gateway.store import IDEMPOTENCY_KEYS
from shared.clock import SYSTEM_CLOCK, Clock
from shared.store.db import Database, insert_for, rows_changed

# The client's key while its request runs: the gateway passes it on to the service, which
# records it with the effect, so a retry after an answer lost on the way acts only once.
forwarded_key: ContextVar[str | None] = ContextVar("forwarded_key", default=None)


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class Outcome(Enum):
    NEW = "new"  # run it; then `finish` or `abandon`
    REPLAY = "replay"  # answer with the stored answer
    RUNNING = "running"  # the first request with this key has not finished: 409
    MISMATCH = "mismatch"  # the key was used for another request: 422


@dataclass(frozen=True)
class Begun:
    outcome: Outcome
    answer: StoredAnswer | None = None


@dataclass
class IdempotencyStore:
    """A caller's keys, each kept `ttl_seconds` from its answer; `lease_seconds` outlasts
    any request the gateway forwards (its upstream timeout is seconds)."""

    db: Database
    ttl_seconds: float = 24 * 3600
    clock: Clock = SYSTEM_CLOCK
    lease_seconds: float = 30.0

    async def begin(self, caller: str, key: str, fingerprint: str) -> Begun:
        now = self.clock.now()
        expires_at = now + timedelta(seconds=self.lease_seconds)
        t = IDEMPOTENCY_KEYS
        async with self.db.writing() as tx:
            insert = insert_for(tx)(t).values(
                caller=caller, key=key, fingerprint=fingerprint, expires_at=expires_at
            )
            claimed = await tx.execute(
                insert.on_conflict_do_update(
                    index_elements=[t.c.caller, t.c.key],
                    set_={
                        "fingerprint": fingerprint,
                        "expires_at": expires_at,
                        "status": None,
                        "headers": None,
                        "body": None,
                    },
                    where=t.c.expires_at <= now,  # an expired key or lapsed claim is a new one
                ).returning(t.c.key)
            )
            if claimed.first() is not None:
                return Begun(Outcome.NEW)
            row = (
                await tx.execute(
                    select(t.c.fingerprint, t.c.status, t.c.headers, t.c.body).where(
                        self._is(caller, key)
                    )
                )
            ).one()
        if row.fingerprint != fingerprint:
            return Begun(Outcome.MISMATCH)
        if row.status is None:
            return Begun(Outcome.RUNNING)
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(row.headers)]
        return Begun(Outcome.REPLAY, StoredAnswer(row.status, headers, row.body))

    async def finish(self, caller: str, key: str, answer: StoredAnswer) -> None:
        headers = json.dumps(
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in answer.headers]
        )
        expires_at = self.clock.now() + timedelta(seconds=self.ttl_seconds)
        async with self.db.writing() as tx:
            await tx.execute(
                update(IDEMPOTENCY_KEYS)
                .where(self._is(caller, key))
                .values(
                    status=answer.status, headers=headers, body=answer.body, expires_at=expires_at
                )
            )

    async def abandon(self, caller: str, key: str) -> None:
        async with self.db.writing() as tx:
            await tx.execute(delete(IDEMPOTENCY_KEYS).where(self._is(caller, key)))

    async def forget_expired(self) -> int:
        now = self.clock.now()
        async with self.db.writing() as tx:
            return await rows_changed(
                tx, delete(IDEMPOTENCY_KEYS).where(IDEMPOTENCY_KEYS.c.expires_at <= now)
            )

    @staticmethod
    def _is(caller: str, key: str):
        return and_(IDEMPOTENCY_KEYS.c.caller == caller, IDEMPOTENCY_KEYS.c.key == key)
