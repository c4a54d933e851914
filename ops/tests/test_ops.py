"""Real-process tests of the ops helpers: a KRaft Kafka node, a PostgreSQL cluster and a
stand-in service (the real services are tested elsewhere)."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from ops.kafka import KafkaNode, create_topics, ensure_kafka_libs, write_container_config
from ops.platform import SERVICES
from ops.postgres import PostgresCluster, find_bin_dir
from ops.procs import ServiceProcess, run_migrations
from shared.messaging.acl import PRINCIPALS
from shared.messaging.connection import KafkaConnection
from shared.store.db import PoolSettings

TOPIC = "tft.ops.test"


async def _read_all(kafka: KafkaConnection) -> list[bytes]:
    consumer = AIOKafkaConsumer(**kafka.options(), enable_auto_commit=False)
    await consumer.start()
    try:
        parts = [TopicPartition(TOPIC, p) for p in range(3)]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        batches = await consumer.getmany(timeout_ms=5000)
        return [m.value for msgs in batches.values() for m in msgs]
    finally:
        await consumer.stop()


@pytest.mark.skipif(shutil.which("java") is None, reason="needs java")
async def test_kafka_node_keeps_data_across_restart(tmp_path: Path) -> None:
    node = KafkaNode(tmp_path / "kafka", 29392, 29393, libs=ensure_kafka_libs())
    assert node.format() and not node.format()  # second format is a no-op
    node.start()
    try:
        node.wait_ready(120)
        assert await create_topics(node.admin, [TOPIC], partitions=3) == [TOPIC]
        assert await create_topics(node.admin, [TOPIC]) == []  # idempotent
        producer = AIOKafkaProducer(**node.admin.options(), acks="all")
        await producer.start()
        try:
            await producer.send_and_wait(TOPIC, b"hello", key=b"k1")
        finally:
            await producer.stop()
        assert await _read_all(node.admin) == [b"hello"]

        node.stop()
        assert not node.is_running()
        assert node.start() and not node.format()  # restart reuses the formatted data
        node.wait_ready(120)
        assert await _read_all(node.admin) == [b"hello"]
    finally:
        node.kill()
    assert not node.is_running() and "INFO" in node.log_path.read_text()


@pytest.fixture
def pg_dir():
    # Not tmp_path: its 0700 parents are closed to the postgres user the server runs as.
    base = Path(tempfile.mkdtemp(prefix="tft-ops-pg-"))
    base.chmod(0o755)
    yield base / "data"
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(find_bin_dir() is None and os.geteuid() != 0, reason="needs postgres")
async def test_postgres_cluster_creates_databases_and_holds_every_pool(pg_dir: Path) -> None:
    cluster = PostgresCluster(pg_dir, 25499)
    cluster.ensure_installed()
    cluster.start()
    try:
        cluster.wait_ready()
        assert cluster.create_database("ops_test")
        assert not cluster.create_database("ops_test")
        dsn = cluster.url("ops_test").replace("postgresql+asyncpg", "postgresql")
        conn = await asyncpg.connect(dsn)
        try:
            assert await conn.fetchval("select 1") == 1
            # Two platforms at once, each store's process twice, each with its pool full.
            pools = 2 * len(SERVICES) * 2 * PoolSettings().pool_size
            assert int(await conn.fetchval("show max_connections")) >= pools
        finally:
            await conn.close()
        cluster.drop_database("ops_test")
        with pytest.raises(ValueError):
            cluster.create_database("x; drop")
    finally:
        cluster.stop()
    assert not cluster.is_running()


FAKE_MAIN = """
import http.server, os, sys
if sys.argv[1] == "migrate":
    print("migrating", os.environ["TFT_SERVICE"])
    sys.exit(int(os.environ.get("FAIL_MIGRATE", "0")))
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/readyz" else 404)
        self.end_headers()
http.server.HTTPServer(("127.0.0.1", int(os.environ["TFT_HTTP_PORT"])), H).serve_forever()
"""


def test_service_process_lifecycle(tmp_path: Path) -> None:
    pkg = tmp_path / "repo" / "services" / "fake"
    pkg.mkdir(parents=True)
    (pkg.parent / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "__main__.py").write_text(textwrap.dedent(FAKE_MAIN))
    repo = pkg.parent.parent
    env = {"TFT_SERVICE": "fake", "TFT_HTTP_PORT": "29481"}

    run_migrations("fake", env, cwd=repo)
    with pytest.raises(RuntimeError, match="migrating fake"):
        run_migrations("fake", env | {"FAIL_MIGRATE": "3"}, cwd=repo)

    svc = ServiceProcess("fake", 29481, env, tmp_path / "log" / "fake.log", tmp_path / "run", repo)
    assert svc.start() and not svc.start()  # second start sees the live pid
    try:
        svc.wait_ready(15)
        first = svc.pid
        svc.restart()
        svc.wait_ready(15)
        assert svc.pid not in (None, first)
        assert ServiceProcess("fake", 29481, {}, svc.log_path, svc.run_dir).is_running()
    finally:
        svc.kill()
    assert not svc.is_running() and not svc.pid_file.exists()
    assert svc.ready(timeout=0.5)[0] is False


def test_the_compose_broker_config_authenticates_and_makes_every_principal(tmp_path: Path):
    passwords = {p: f"{p}-password-0123456789" for p in PRINCIPALS}
    write_container_config(tmp_path, passwords)
    config = (tmp_path / "server.properties").read_text()
    assert (
        "listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT" in config
    )
    assert "allow.everyone.if.no.acl.found=false" in config
    assert "advertised.listeners=CLIENT://kafka:9092" in config
    start = (tmp_path / "start.sh").read_text()
    for principal, password in passwords.items():
        assert f"'SCRAM-SHA-512=[name={principal},password={password}]'" in start
    assert f'password="{passwords["admin"]}"' in (tmp_path / "admin.properties").read_text()
    assert {oct(f.stat().st_mode & 0o777) for f in tmp_path.iterdir()} == {"0o600"}
