"""The outcomes of sends on their way to the store: written a few per transaction while the
next sends go out, and never more than `limit` sends unrecorded (under way, or sent and
their outcome not yet committed), which bounds what a crash can repeat to `limit` sends."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Outcomes(Generic[T]):
    def __init__(self, record: Callable[[list[T]], Awaitable[None]], limit: int) -> None:
        self._record = record
        self.limit = limit
        self.sending = 0  # sends given room whose outcome is not added yet
        self._waiting: list[T] = []  # in no transaction yet
        self._writing: list[T] = []  # in the transaction of `_task`
        self._task: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()  # an outcome was added or a transaction ended
        self.full = False  # a send waits for outcomes to be recorded (tests watch it)

    @property
    def unrecorded(self) -> int:
        return self.sending + len(self._waiting) + len(self._writing)

    async def room(self) -> None:
        """Until one more send may go out (fewer than `limit` unrecorded), and takes its
        place: `add` its outcome. Raises what failed to record outcomes."""
        self._settle()
        while self.unrecorded >= self.limit:
            self.full = True
            await self._change()
        self.full = False
        self.sending += 1

    def add(self, outcome: T) -> None:
        """The outcome of a send given room: written now if no transaction is under way,
        else with the others that come meanwhile once it is done."""
        self.sending -= 1
        self._waiting.append(outcome)
        self._changed.set()
        if self._task is None:  # a finished one is noted (its error raised) by a waiter
            self._write()

    async def recorded(self) -> None:
        """Until every send given room has its outcome committed."""
        self._settle()
        while self.unrecorded:
            await self._change()

    async def abandon(self) -> None:
        """Stop writing (the dispatcher stops): what is unrecorded is sent again later."""
        task, self._task, self._writing, self._waiting = self._task, None, [], []
        self.sending = 0
        if task is not None:
            task.cancel()
            await asyncio.wait([task])  # its transaction rolled back; its error is not ours
            if not task.cancelled():
                task.exception()

    async def _change(self) -> None:
        await self._changed.wait()
        self._changed.clear()
        self._settle()

    def _settle(self) -> None:
        """Take note of a finished transaction (raising its error), then start the next with
        the outcomes that wait."""
        if self._task is not None and self._task.done():
            task, self._task, self._writing = self._task, None, []
            task.result()
        if self._task is None:
            self._write()

    def _write(self) -> None:
        if self._waiting:
            self._writing, self._waiting = self._waiting, []
            self._task = asyncio.ensure_future(self._record(self._writing))
            self._task.add_done_callback(lambda _: self._changed.set())
