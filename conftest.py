"""Real infrastructure for the integration tests: a Kafka broker (with SASL/SCRAM and the
platform's ACLs, as `make up` runs it) and a PostgreSQL cluster.

Both are started once per test run on ports of their own (so a local `make up` can keep
running), in a fresh directory under $TFT_TEST_HOME (default /tmp/tft-test).
"""

import asyncio
import os
import shutil
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest

from ops.kafka import KafkaNode, apply_acls, create_topics, ensure_kafka_libs
from ops.postgres import PostgresCluster
from shared.contracts.topics import ALL_TOPICS
from shared.messaging.acl import platform_acls
from shared.observability import logging as observability_logging
from shared.tests.callers import service_app

observability_logging.CACHE_LOGGERS = False  # tests capture logs after services logged

# `make test` runs two workers (pytest-xdist). Each has its own Kafka, PostgreSQL and
# platform, on ports a block apart and in a home of its own.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
if WORKER:
    for variable, port in (
        ("TFT_TEST_KAFKA_PORT", 29092),
        ("TFT_TEST_POSTGRES_PORT", 25432),
        ("TFT_TEST_PLATFORM_PORT", 28000),
    ):
        os.environ[variable] = str(int(os.environ.get(variable, port)) + 500 * WORKER)
    os.environ["TFT_TEST_HOME"] = f"{os.environ.get('TFT_TEST_HOME', '/tmp/tft-test')}-{WORKER}"

TEST_HOME = Path(os.environ.get("TFT_TEST_HOME", "/tmp/tft-test"))
# Below the ephemeral range (32768-60999), so no outgoing connection can hold them.
KAFKA_PORT = int(os.environ.get("TFT_TEST_KAFKA_PORT", "29092"))
POSTGRES_PORT = int(os.environ.get("TFT_TEST_POSTGRES_PORT", "25432"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """For `--dist loadgroup`: the end-to-end tests (tests/) share one platform, and the ops
    tests run local platforms of their own, so each of those two sets runs on one worker, one
    test after another as before; every other file is a unit of its own (its module fixtures
    are set up once), on whichever worker is free."""
    for item in items:
        file = item.nodeid.partition("::")[0]
        group = next((g for g in ("tests/", "ops/tests/") if file.startswith(g)), file)
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def test_home() -> Path:
    shutil.rmtree(TEST_HOME, ignore_errors=True)
    TEST_HOME.mkdir(parents=True)
    return TEST_HOME


@pytest.fixture(scope="session")
def kafka(test_home: Path):
    node = KafkaNode(
        test_home / "kafka",
        port=KAFKA_PORT,
        controller_port=KAFKA_PORT + 1,
        libs=ensure_kafka_libs(),
    )
    node.format()
    node.start()
    node.wait_ready(timeout=90)
    asyncio.run(create_topics(node.admin, ALL_TOPICS, partitions=3))
    asyncio.run(apply_acls(node.admin, platform_acls()))
    yield node
    node.stop()


@pytest.fixture(scope="session")
def postgres(test_home: Path):
    cluster = PostgresCluster(test_home / "postgres", port=POSTGRES_PORT)
    cluster.ensure_installed()
    cluster.init()
    cluster.start()
    cluster.wait_ready()
    yield cluster
    cluster.stop()


@pytest.fixture
def fresh_database(postgres):
    """A factory: `fresh_database(name)` empties (or makes) that database and returns its URL."""

    def make(name: str) -> str:
        postgres.drop_database(name)
        postgres.create_database(name)
        return postgres.url(name)

    return make


@pytest.fixture(params=["sqlite", "postgresql"])
def each_store(request, tmp_path):
    """Like `fresh_database`, once per store: the embedded SQLite default and PostgreSQL,
    so a test of a store invariant proves it on both."""
    if request.param == "postgresql":
        return request.getfixturevalue("fresh_database")
    return lambda name: f"sqlite+aiosqlite:///{tmp_path / name}.db"


@pytest.fixture
async def api_client():
    """A factory: `await api_client(service, routes, rt)` opens an httpx client on a service's
    internal API as the gateway calls it (a token per caller: `shared.tests.callers`)."""
    async with AsyncExitStack() as stack:

        async def open_client(service: str, routes, rt) -> httpx.AsyncClient:
            app = service_app(service, routes, rt)
            return await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")
            )

        yield open_client
