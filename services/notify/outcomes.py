"""The outcomes of sends on their way to the store: written a few per transaction while the
next sends go out, and never more than `limit` of them unrecorded, which bounds what a crash
can repeat to the `limit` sends whose outcome was not yet committed (the one in flight
included)."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Outcomes(Generic[T]):
    def __init__(self, record: Callable[[list[T]], Awaitable[None]], limit: int) -> None:
        self._record = record
        self.limit = limit
        self._waiting: list[T] = []  # in no transaction yet
        self._writing: list[T] = []  # in the transaction of `_task`
        self._task: asyncio.Task[None] | None = None
        self.full = False  # a send waits for outcomes to be recorded (tests watch it)

    @property
    def unrecorded(self) -> int:
        return len(self._waiting) + len(self._writing)

    async def room(self) -> None:
        """Until one more send may go out: fewer than `limit` outcomes unrecorded. Raises
        what failed to record them."""
        self._settle()
        while self.unrecorded >= self.limit:
            self.full = True
            await self._written()
        self.full = False

    def add(self, outcome: T) -> None:
        """The outcome of a send: written now if no transaction is under way, else with the
        others that come meanwhile once it is done."""
        self._waiting.append(outcome)
        self._settle()

    async def recorded(self) -> None:
        """Until every outcome added is committed."""
        while self.unrecorded:
            await self._written()

    async def abandon(self) -> None:
        """Stop writing (the dispatcher stops): what is unrecorded is sent again later."""
        task, self._task, self._writing, self._waiting = self._task, None, [], []
        if task is not None:
            task.cancel()
            await asyncio.wait([task])  # its transaction rolled back; its error is not ours
            if not task.cancelled():
                task.exception()

    async def _written(self) -> None:
        assert self._task is not None  # outcomes unrecorded are always being written
        await asyncio.wait([self._task])
        self._settle()

    def _settle(self) -> None:
        """Take note of a finished transaction (raising its error), then start the next with
        the outcomes that wait."""
        if self._task is not None and self._task.done():
            task, self._task, self._writing = self._task, None, []
            task.result()
        if self._task is None and self._waiting:
            self._writing, self._waiting = self._waiting, []
            self._task = asyncio.ensure_future(self._record(self._writing))
