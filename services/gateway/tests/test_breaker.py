from services.gateway.breaker import Breaker
from shared.tests.clock import ManualClock


def test_opens_after_consecutive_failures_only():
    breaker = Breaker(failures=3, open_seconds=10, clock=ManualClock())
    for _ in range(2):
        breaker.failed()
    breaker.succeeded()
    for _ in range(2):
        breaker.failed()
    assert breaker.wait() == 0 and not breaker.is_open
    breaker.failed()
    assert breaker.is_open and breaker.wait() == 10


def test_half_open_lets_one_probe_through_and_its_outcome_decides():
    clock = ManualClock()
    breaker = Breaker(failures=1, open_seconds=10, clock=clock)
    breaker.failed()
    clock.advance(10)
    assert breaker.wait() == 0  # the probe
    assert breaker.wait() > 0  # others wait for it
    breaker.failed()  # probe failed: open again, from now
    assert breaker.wait() == 10
    clock.advance(10)
    assert breaker.wait() == 0
    breaker.succeeded()
    assert not breaker.is_open and breaker.wait() == 0
