"""The one backoff policy and the runner every periodic task and retry uses, on a manual
clock: no test here waits for real time."""

import asyncio
import logging
from collections.abc import Callable

import pytest
from structlog.testing import capture_logs

from shared.backoff import Backoff
from shared.periodic import Periodic, retry
from shared.tests.clock import ManualClock


class Work:
    """A task whose runs fail where the test says (by run number, from 1)."""

    def __init__(self, failing: set[int] = frozenset()) -> None:
        self.runs, self.failing = 0, failing
        self.failures: list[Exception] = []

    async def __call__(self) -> str:
        self.runs += 1
        if self.runs in self.failing:
            raise ConnectionError(f"store down (run {self.runs})")
        return "done"

    async def on_failure(self, exc: Exception) -> None:
        self.failures.append(exc)


async def eventually(condition: Callable[[], bool]) -> None:
    """Let the loop run until `condition` holds: a few hundred turns, no real time."""
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never held")


async def run_until_parked(periodic: Periodic, clock: ManualClock) -> None:
    """Run until it waits past the clock's allowed sleeps, then stop it."""
    task = asyncio.create_task(periodic.run())
    await eventually(lambda: clock.parked)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_backoff_doubles_from_its_first_delay_up_to_its_cap() -> None:
    backoff = Backoff(0.5, cap=10.0)
    assert [backoff.delay(n) for n in range(1, 8)] == [0.5, 1, 2, 4, 8, 10, 10]
    assert backoff.delay(10_000) == 10.0  # no overflow after a long outage
    assert Backoff(30.0).delay(3) == 120.0  # no cap: bounded by its caller's attempts
    assert [Backoff.constant(60).delay(n) for n in (1, 2, 9)] == [60, 60, 60]


def test_backoff_refuses_what_is_not_a_policy() -> None:
    with pytest.raises(ValueError):
        Backoff(5.0, cap=1.0)
    with pytest.raises(ValueError):
        Backoff(-1.0)
    with pytest.raises(ValueError):
        Backoff(1.0).delay(0)


async def test_runs_at_start_and_then_every_interval() -> None:
    clock, work = ManualClock(sleeps_allowed=3), Work()
    await run_until_parked(Periodic(work, 15.0, "failed", sleep=clock.sleep), clock)
    assert work.runs == 4  # at start, then after each of the three waits
    assert clock.slept == [15.0, 15.0, 15.0]


async def test_backs_off_on_failure_up_to_the_cap_and_resets_after_a_success() -> None:
    clock, work = ManualClock(sleeps_allowed=7), Work(failing={1, 2, 3, 4, 6})
    periodic = Periodic(
        work,
        60.0,
        "scan failed",
        backoff=Backoff(1.0, cap=4.0),
        on_failure=work.on_failure,
        sleep=clock.sleep,
    )
    with capture_logs() as logs:
        await run_until_parked(periodic, clock)
    # Runs 1-4 fail (1, 2, 4, 4), run 5 succeeds (the interval), run 6 fails as the first
    # again (1), run 7 succeeds.
    assert clock.slept == [1.0, 2.0, 4.0, 4.0, 60.0, 1.0, 60.0]
    assert [str(exc) for exc in work.failures] == [f"store down (run {n})" for n in (1, 2, 3, 4, 6)]
    failed = [line for line in logs if line["event"] == "scan failed"]
    assert [line["attempt"] for line in failed] == [1, 2, 3, 4, 1]
    assert {line["log_level"] for line in failed} == {"warning"}


async def test_without_a_backoff_a_failure_waits_the_interval_and_logs_at_its_level() -> None:
    clock, work = ManualClock(sleeps_allowed=2), Work(failing={1})
    periodic = Periodic(work, 15.0, "skipped", level=logging.INFO, sleep=clock.sleep)
    with capture_logs() as logs:
        await run_until_parked(periodic, clock)
    assert clock.slept == [15.0, 15.0]
    assert [(line["event"], line["log_level"]) for line in logs] == [("skipped", "info")]


async def test_waits_one_interval_before_the_first_run_when_asked() -> None:
    clock, work = ManualClock(sleeps_allowed=1), Work()
    await run_until_parked(
        Periodic(work, 3600.0, "failed", wait_first=True, sleep=clock.sleep), clock
    )
    assert work.runs == 1 and clock.slept == [3600.0]


async def test_a_wake_cuts_the_wait_short() -> None:
    clock, work = ManualClock(sleeps_allowed=0), Work()  # every wait lasts until cancelled
    periodic = Periodic(work, 3600.0, "failed", sleep=clock.sleep)
    task = asyncio.create_task(periodic.run())
    await eventually(lambda: work.runs == 1)
    periodic.wake()
    await eventually(lambda: work.runs == 2)
    periodic.wake()
    await eventually(lambda: work.runs == 3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_cancelling_stops_it_at_once_mid_wait_and_mid_run() -> None:
    waiting: list[asyncio.Future] = []

    async def sleep_forever(_seconds: float) -> None:
        waiting.append(asyncio.get_running_loop().create_future())
        await waiting[-1]

    periodic = Periodic(Work(), 1.0, "failed", sleep=sleep_forever)
    task = asyncio.create_task(periodic.run())
    await eventually(lambda: len(waiting) == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert waiting[0].cancelled()  # nothing left waiting behind it

    started, never = asyncio.Event(), asyncio.Event()

    async def slow_work() -> None:
        started.set()
        await never.wait()

    work = Work()
    task = asyncio.create_task(Periodic(slow_work, 1.0, "failed", on_failure=work.on_failure).run())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert work.failures == []  # a cancel is no failure to wait out


async def test_retry_waits_out_failures_by_the_backoff_until_one_succeeds() -> None:
    clock, work = ManualClock(), Work(failing={1, 2, 3})
    with capture_logs() as logs:
        result = await retry(
            work, Backoff(0.5, cap=1.0), "kafka unavailable", sleep=clock.sleep, consumer="c"
        )
    assert result == "done" and work.runs == 4
    assert clock.slept == [0.5, 1.0, 1.0]
    assert [(line["event"], line["attempt"], line["consumer"]) for line in logs] == [
        ("kafka unavailable", n, "c") for n in (1, 2, 3)
    ]


async def test_retry_raises_at_once_what_it_is_not_told_to_retry() -> None:
    clock, work = ManualClock(), Work(failing={1, 2})

    def transient(exc: Exception) -> bool:
        return "run 1" in str(exc)

    with pytest.raises(ConnectionError, match="run 2"):
        await retry(work, Backoff(1.0), "failed", retry_on=transient, sleep=clock.sleep)
    assert work.runs == 2 and clock.slept == [1.0]
