"""Apache Kafka (KRaft, each node broker+controller) run from Maven Central jars: one node,
or a cluster of several on loopback ports (`KafkaCluster`)."""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

from ops.procs import REPO, kill_now, live_pid, tail, terminate

POM = REPO / "deploy" / "kafka" / "pom.xml"
LOG4J2 = REPO / "deploy" / "kafka" / "log4j2.properties"
DEFAULT_LIBS = REPO / ".cache" / "kafka" / "libs"
MARKER = "kafka.Kafka"
TOPIC_ALREADY_EXISTS = 36
# Partitions per platform topic: room for this many consumer replicas in each group.
DEFAULT_PARTITIONS = 12


def ensure_kafka_libs(cache_dir: Path = DEFAULT_LIBS) -> Path:
    """Download the Kafka jars into `cache_dir` with Maven, unless already there."""
    if any(cache_dir.glob("kafka_2.13-*.jar")):
        return cache_dir
    if shutil.which("mvn") is None:
        raise RuntimeError("Maven (mvn) is needed to fetch Kafka: apt-get install -y maven")
    print(f"kafka: fetching Kafka jars from Maven Central into {cache_dir} ...", flush=True)
    partial = cache_dir.with_name(cache_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    # Download into a side dir and rename, so an interrupted run is not mistaken for done.
    proc = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
         f"-DoutputDirectory={partial}", "-DincludeScope=runtime"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    if proc.returncode != 0:  # output kept for failures only: -q still emits colour codes
        raise RuntimeError(f"mvn failed (exit {proc.returncode}):\n{proc.stdout}")
    shutil.rmtree(cache_dir, ignore_errors=True)
    partial.rename(cache_dir)
    print(f"kafka: {len(list(cache_dir.glob('*.jar')))} jars ready", flush=True)
    return cache_dir


def _cluster_id() -> str:
    """A Kafka Uuid (base64url of 16 random bytes), as `kafka-storage random-uuid` makes."""
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):  # Kafka avoids ids that look like a CLI option
            return cid


def replication_for(brokers: int) -> tuple[int, int]:
    """(replication factor, min.insync.replicas) on a cluster of `brokers`: three copies, two
    of which must have a write (acks=all), so one broker may fail without losing or refusing
    anything; a single broker has one of each."""
    factor = min(3, brokers)
    return factor, 2 if factor >= 3 else 1


def quorum_voters(nodes: list[tuple[int, int]]) -> str:
    """`controller.quorum.voters` of (node id, controller port) pairs on loopback."""
    return ",".join(f"{node_id}@127.0.0.1:{port}" for node_id, port in nodes)


def _replication_settings(brokers: int) -> dict[str, str]:
    factor, min_insync = replication_for(brokers)
    return {
        "default.replication.factor": str(factor),
        "offsets.topic.replication.factor": str(factor),
        "transaction.state.log.replication.factor": str(factor),
        "transaction.state.log.min.isr": str(min_insync),
        "min.insync.replicas": str(min_insync),
    }


class KafkaNode:
    """One KRaft node on 127.0.0.1; state, config, pid and logs all live under `home`.
    Alone by default; a member of a cluster when given its `node_id`, the cluster's
    `voters` (`quorum_voters`) and `brokers` (how many)."""

    def __init__(self, home: Path, port: int = 9092, controller_port: int = 9093,
                 libs: Path = DEFAULT_LIBS, heap: str = "512m", node_id: int = 1,
                 voters: str | None = None, brokers: int = 1) -> None:
        self.home, self.port, self.controller_port = Path(home), port, controller_port
        self.libs, self.heap = libs, heap
        self.node_id, self.brokers = node_id, brokers
        self.voters = voters or quorum_voters([(node_id, controller_port)])
        self.data_dir = self.home / "data"
        self.config = self.home / "server.properties"
        self.pid_file = self.home / "kafka.pid"
        self.log_path = self.home / "kafka.log"
        self.out_path = self.home / "kafka.out"  # console: WARN+ and JVM errors
        self._popen: subprocess.Popen | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return live_pid(self.pid_file, MARKER, self._popen)

    def is_running(self) -> bool:
        return self.pid is not None

    def is_formatted(self) -> bool:
        return (self.data_dir / "meta.properties").exists()

    def _properties(self) -> str:
        settings = {
            "process.roles": "broker,controller",
            "node.id": str(self.node_id),
            "controller.quorum.voters": self.voters,
            "listeners": f"PLAINTEXT://127.0.0.1:{self.port},"
                         f"CONTROLLER://127.0.0.1:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": str(self.data_dir),
            "num.partitions": "3",
            **_replication_settings(self.brokers),
            "group.initial.rebalance.delay.ms": "0",
            "auto.create.topics.enable": "false",
        }
        return "".join(f"{k}={v}\n" for k, v in settings.items())

    def _java(self, main: str, *args: str, short_lived: bool = False) -> list[str]:
        # C1-only JIT and serial GC start faster: right for the one-shot storage tool.
        tuning = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"] if short_lived else [
            f"-Xmx{self.heap}", "-XX:+UseG1GC"]
        return [
            "java", *tuning, "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={LOG4J2}", f"-Dtft.kafka.logfile={self.log_path}",
            "-cp", f"{self.libs}/*", main, *args,
        ]

    def _write_config(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.config.write_text(self._properties())  # rewritten each start: ports may change

    def format(self, cluster_id: str | None = None) -> bool:
        """Format the storage once (the nodes of a cluster with one `cluster_id`); a later run
        reuses the data. Returns whether it formatted."""
        if self.is_formatted():
            return False
        ensure_kafka_libs(self.libs)
        self._write_config()
        proc = subprocess.run(
            self._java("kafka.tools.StorageTool", "format", "-t", cluster_id or _cluster_id(),
                       "-c", str(self.config), short_lived=True),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"kafka storage format failed:\n{proc.stdout}")
        return True

    def start(self) -> bool:
        """Start in the background unless running; returns whether a process was started."""
        if self.is_running():
            return False
        self.format()
        ensure_kafka_libs(self.libs)
        self._write_config()
        with self.out_path.open("ab") as out:
            self._popen = subprocess.Popen(
                self._java(MARKER, str(self.config)), stdin=subprocess.DEVNULL,
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.pid_file.write_text(f"{self._popen.pid}\n")
        return True

    def wait_ready(self, timeout: float = 60) -> None:
        """Poll until a metadata request lists this broker (it is unfenced and serving)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.is_running():
                raise RuntimeError(f"kafka exited:\n{tail(self.out_path)}\n{tail(self.log_path)}")
            if self.ready():
                return
            time.sleep(0.5)
        raise TimeoutError(f"kafka not ready after {timeout}s:\n{tail(self.log_path)}")

    def ready(self) -> bool:
        return _run_sync(probe(self.bootstrap))

    def stop(self, grace: float = 30) -> None:
        pid = self.pid
        if pid is not None:
            terminate(pid, MARKER, grace, self._popen)
        self.pid_file.unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL, no clean shutdown: for crash tests."""
        pid = self.pid
        if pid is not None:
            kill_now(pid, MARKER, self._popen)
        self.pid_file.unlink(missing_ok=True)


def node_ports(port: int, controller_port: int, node: int) -> tuple[int, int]:
    """(client port, controller port) of the `node`-th node (from 1): two apart, so the first
    node keeps the ports a single node has."""
    return port + 2 * (node - 1), controller_port + 2 * (node - 1)


class KafkaCluster:
    """`size` KRaft nodes (each broker and controller, all voters) on loopback: node i under
    `home`/node-i with the ports `node_ports` gives it. A cluster of one is a lone node in
    `home` itself, as `make up` always had it."""

    def __init__(self, home: Path, size: int = 3, port: int = 9092, controller_port: int = 9093,
                 libs: Path = DEFAULT_LIBS, heap: str = "512m") -> None:
        self.home, self.size = Path(home), size
        ports = [node_ports(port, controller_port, n) for n in range(1, size + 1)]
        voters = quorum_voters([(n, c) for n, (_, c) in enumerate(ports, start=1)])
        self.nodes = [
            KafkaNode(self.home / f"node-{n}" if size > 1 else self.home, p, c, libs=libs,
                      heap=heap, node_id=n, voters=voters, brokers=size)
            for n, (p, c) in enumerate(ports, start=1)]

    @property
    def bootstrap(self) -> str:
        return ",".join(node.bootstrap for node in self.nodes)

    @property
    def libs(self) -> Path:
        return self.nodes[0].libs

    def node(self, node_id: int) -> KafkaNode:
        return self.nodes[node_id - 1]

    def is_running(self) -> bool:
        return any(node.is_running() for node in self.nodes)

    def format(self) -> bool:
        """Format every node not formatted yet with the cluster's one id."""
        cluster_id = self._formatted_id() or _cluster_id()
        return any([node.format(cluster_id) for node in self.nodes])

    def _formatted_id(self) -> str | None:
        for node in self.nodes:
            if node.is_formatted():
                meta = (node.data_dir / "meta.properties").read_text().splitlines()
                return next(line.split("=", 1)[1] for line in meta
                            if line.startswith("cluster.id="))
        return None

    def start(self) -> bool:
        self.format()
        return any([node.start() for node in self.nodes])

    def wait_ready(self, timeout: float = 90) -> None:
        """Wait until every node is up and the cluster's metadata lists them all."""
        deadline = time.monotonic() + timeout
        for node in self.nodes:
            node.wait_ready(max(1.0, deadline - time.monotonic()))
        while _run_sync(brokers_up(self.bootstrap)) < self.size:
            if time.monotonic() > deadline:
                raise TimeoutError(f"kafka cluster not complete after {timeout}s")
            time.sleep(0.5)

    def stop(self, grace: float = 30) -> None:
        with concurrent.futures.ThreadPoolExecutor(self.size) as pool:
            list(pool.map(lambda node: node.stop(grace), self.nodes))


def _run_sync(coro):
    """Run a coroutine to completion, also when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _port_open(bootstrap: str) -> bool:
    """True if any of the bootstrap addresses takes a connection."""
    for address in bootstrap.split(","):
        host, _, port = address.rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return True
        except OSError:
            continue
    return False


async def probe(bootstrap: str, timeout_ms: int = 3000) -> bool:
    """True if the cluster answers a metadata request that lists at least one broker."""
    return await brokers_up(bootstrap, timeout_ms) > 0


async def brokers_up(bootstrap: str, timeout_ms: int = 3000) -> int:
    """How many brokers the cluster's metadata lists (0 when none answers)."""
    if not _port_open(bootstrap):
        return 0  # cheap check first: aiokafka logs an error per refused connection
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=timeout_ms)
    try:
        await admin.start()
        return len((await admin.describe_cluster()).get("brokers") or [])
    except (KafkaError, OSError):
        return 0
    finally:
        await admin.close()


def topic_partitions() -> int:
    """The platform topics' partition count: TFT_KAFKA_PARTITIONS, else DEFAULT_PARTITIONS."""
    return int(os.environ.get("TFT_KAFKA_PARTITIONS", DEFAULT_PARTITIONS))


async def create_topics(bootstrap: str, topics: list[str], partitions: int | None = None,
                        replication: int | None = None,
                        configs: dict[str, str] | None = None) -> list[str]:
    """Create the topics that do not exist yet (with `configs`, e.g. max.message.bytes);
    returns the ones created. By default `topic_partitions()` partitions, replicated as
    `replication_for` the brokers the cluster has (with its min.insync.replicas)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        await admin.start()
        missing = sorted(set(topics) - set(await admin.list_topics()))
        if missing:
            brokers = len((await admin.describe_cluster())["brokers"])
            factor, min_insync = replication_for(replication or brokers)
            settings = {"min.insync.replicas": str(min_insync)}
            resp = await admin.create_topics(
                [NewTopic(t, num_partitions=partitions or topic_partitions(),
                          replication_factor=replication or factor,
                          topic_configs=settings | (configs or {}))
                 for t in missing])
            # entries are (topic, code) or (topic, code, message) depending on the version
            errors = [e for e in resp.topic_errors if e[1] not in (0, TOPIC_ALREADY_EXISTS)]
            if errors:
                raise RuntimeError(f"creating topics failed: {errors}")
        return missing
    finally:
        await admin.close()


async def read_topic(bootstrap: str, topic: str) -> list[ConsumerRecord]:
    """Every record on the topic so far, in partition and offset order."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:  # the producer's partitions_for waits for the topic's metadata
        partitions = [TopicPartition(topic, p) for p in await producer.partitions_for(topic)]
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[ConsumerRecord] = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            for batch in (await consumer.getmany(timeout_ms=1000)).values():
                records += batch
        return sorted(records, key=lambda r: (r.partition, r.offset))
    finally:
        await consumer.stop()


if __name__ == "__main__":  # `python -m ops.kafka [dir]`: just fetch the jars
    print(ensure_kafka_libs(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_LIBS))
