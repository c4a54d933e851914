"""Passwords as argon2id hashes, checked off the event loop (argon2 is CPU-heavy by design)."""

import secrets
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.concurrency import run_in_threadpool

from services.directory.settings import DirectorySettings


class Passwords:
    def __init__(self, settings: DirectorySettings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.password_hash_time_cost,
            memory_cost=settings.password_hash_memory_kib,
            parallelism=settings.password_hash_parallelism,
        )

    @cached_property
    def _decoy(self) -> str:
        """Unknown names are checked against this, so they cost as much as known ones."""
        return self._hasher.hash(secrets.token_urlsafe(16))

    async def hash(self, password: str) -> str:
        return await run_in_threadpool(self._hasher.hash, password)

    async def matches(self, hashed: str | None, password: str) -> bool:
        """False for a wrong password, and for no hash at all (after the same work)."""
        return await run_in_threadpool(self._verify, hashed, password)

    def _verify(self, hashed: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(hashed or self._decoy, password) and hashed is not None
        except (VerificationError, InvalidHashError):
            return False
