"""Kafka and PostgreSQL for the benchmarks, on ports of their own (see bench/__main__.py)."""

import asyncio
import os
import shutil
from pathlib import Path

from ops.kafka import KafkaNode, apply_acls, create_topics, ensure_kafka_libs
from ops.postgres import PostgresCluster
from shared.contracts.topics import ALL_TOPICS
from shared.messaging.acl import platform_acls

HOME = Path(os.environ.get("TFT_BENCH_HOME", "/tmp/tft-bench"))
KAFKA_PORT = int(os.environ.get("TFT_BENCH_KAFKA_PORT", "19092"))
POSTGRES_PORT = int(os.environ.get("TFT_BENCH_POSTGRES_PORT", "15432"))


def start(kafka_port: int = KAFKA_PORT, postgres_port: int = POSTGRES_PORT):
    shutil.rmtree(HOME, ignore_errors=True)
    kafka = KafkaNode(
        HOME / "kafka",
        port=kafka_port,
        controller_port=kafka_port + 1,
        libs=ensure_kafka_libs(),
        heap="1g",
    )
    kafka.format()
    kafka.start()
    postgres = PostgresCluster(HOME / "postgres", port=postgres_port)
    postgres.ensure_installed()
    postgres.init()
    postgres.start()
    kafka.wait_ready(timeout=90)
    postgres.wait_ready()
    asyncio.run(create_topics(kafka.admin, ALL_TOPICS + ["bench.raw", "tft.bench.ping"]))
    asyncio.run(apply_acls(kafka.admin, platform_acls()))
    return kafka, postgres
