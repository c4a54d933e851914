"""The one way a service repeats work: `Periodic` runs a task every interval, `retry` an
operation until it succeeds. Both wait out failures by one policy (`shared/backoff.py`),
log each failure with its count and stop the moment they are cancelled.

The sleep is injected, so their tests run without waiting.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from shared.backoff import Backoff
from shared.observability.logging import log

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


def _any_failure(_exc: Exception) -> bool:
    return True


async def retry(
    attempt: Callable[[], Awaitable[T]],
    backoff: Backoff,
    failed: str,
    *,
    retry_on: Callable[[Exception], bool] = _any_failure,
    sleep: Sleep = asyncio.sleep,
    **context: object,
) -> T:
    """`attempt()`'s result once it succeeds; each failure `retry_on` accepts is logged as
    `failed` and waited out by `backoff`, any other is raised."""
    failures = 0
    while True:
        try:
            return await attempt()
        except Exception as exc:
            if not retry_on(exc):
                raise
            failures += 1
            log.warning(failed, error=repr(exc), attempt=failures, **context)
            await sleep(backoff.delay(failures))


class Periodic:
    """Runs `work` at start (after one `interval` with `wait_first`) and then `interval`
    after each success; after a failure it logs `failed` (at `level`), calls `on_failure`
    and waits `backoff`'s delay instead (the interval itself by default), reset by the next
    success. `wake()` cuts any wait short; cancelling `run()` stops it."""

    def __init__(
        self,
        work: Callable[[], Awaitable[object]],
        interval: float,
        failed: str,
        *,
        backoff: Backoff | None = None,
        on_failure: Callable[[Exception], Awaitable[None]] | None = None,
        level: int = logging.WARNING,
        wait_first: bool = False,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.work = work
        self.interval = interval
        self.failed = failed
        self.backoff = backoff or Backoff.constant(interval)
        self.on_failure = on_failure
        self.level = level
        self.wait_first = wait_first
        self._sleep = sleep
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        if self.wait_first:
            await self._pause(self.interval)
        failures = 0
        while True:
            try:
                await self.work()
            except Exception as exc:  # the store or broker is down: never give up
                failures += 1
                log.log(self.level, self.failed, error=repr(exc), attempt=failures)
                if self.on_failure is not None:
                    await self.on_failure(exc)
                await self._pause(self.backoff.delay(failures))
                continue
            failures = 0
            await self._pause(self.interval)

    async def _pause(self, seconds: float) -> None:
        """Sleep `seconds`, or until woken if that comes first."""
        waits = [
            asyncio.ensure_future(self._sleep(seconds)),
            asyncio.ensure_future(self._wake.wait()),
        ]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
        self._wake.clear()
