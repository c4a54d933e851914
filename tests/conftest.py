import pytest

from tests.harness import Platform


@pytest.fixture(scope="session")
def platform(kafka, postgres, test_home):
    running = Platform(kafka=kafka, postgres=postgres, home=test_home / "platform")
    running.start()
    yield running
    running.stop()
