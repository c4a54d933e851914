"""Real infrastructure for the integration tests: a Kafka broker and a PostgreSQL cluster.

Both are started once per test run on ports of their own (so a local `make up` can keep
running), in a fresh directory under $TFT_TEST_HOME (default /tmp/tft-test).
"""

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from ops.kafka import KafkaNode, create_topics, ensure_kafka_libs
from ops.postgres import PostgresCluster
from shared.contracts.topics import ALL_TOPICS

TEST_HOME = Path(os.environ.get("TFT_TEST_HOME", "/tmp/tft-test"))
# Below the ephemeral range (32768-60999), so no outgoing connection can hold them.
KAFKA_PORT = int(os.environ.get("TFT_TEST_KAFKA_PORT", "29092"))
POSTGRES_PORT = int(os.environ.get("TFT_TEST_POSTGRES_PORT", "25432"))


@pytest.fixture(scope="session")
def test_home() -> Path:
    shutil.rmtree(TEST_HOME, ignore_errors=True)
    TEST_HOME.mkdir(parents=True)
    return TEST_HOME


@pytest.fixture(scope="session")
def kafka(test_home: Path):
    node = KafkaNode(test_home / "kafka", port=KAFKA_PORT, controller_port=KAFKA_PORT + 1,
                     libs=ensure_kafka_libs())
    node.format()
    node.start()
    node.wait_ready(timeout=90)
    asyncio.run(create_topics(node.bootstrap, ALL_TOPICS, partitions=3))
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
def any_store(request, tmp_path):
    """A factory, run once on each store: `any_store(name)` empties (or makes) a database of
    that name and returns its URL, a SQLite file or a PostgreSQL database."""

    def make(name: str) -> str:
        if request.param == "sqlite":
            return f"sqlite+aiosqlite:///{tmp_path / name}.db"
        return request.getfixturevalue("fresh_database")(name)

    return make
