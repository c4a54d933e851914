import pytest

from tests.browser import browser, visits  # noqa: F401 (the browser tests' fixtures)
from tests.harness import Platform
from tests.mail import mail  # noqa: F401 (the mail tests' fixture)
from tests.traces import TraceCollector


@pytest.fixture(scope="session")
def traces():
    """The collector every service of the `platform` exports its spans to."""
    collector = TraceCollector()
    collector.start()
    yield collector
    collector.stop()


@pytest.fixture(scope="session")
def platform(kafka, postgres, test_home, traces):
    running = Platform(
        kafka=kafka,
        postgres=postgres,
        home=test_home / "platform",
        traces_endpoint=traces.endpoint,
    )
    running.start()
    yield running
    running.stop()


def pytest_collection_modifyitems(items):
    """Tests that write arbitrary state into the shared platform run after all others."""
    items.sort(key=lambda item: item.get_closest_marker("mutates_platform") is not None)
