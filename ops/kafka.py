"""Apache Kafka (KRaft, each node broker+controller) run from Maven Central jars: one node,
or a cluster of several on loopback ports (`KafkaCluster`).

It authenticates every client (SASL/SCRAM-SHA-512, a principal per service plus the admin
super user) and authorizes with ACLs (`StandardAuthorizer`, nothing allowed by default);
`apply_acls` grants the platform's ACLs (`shared.messaging.acl`) on the running broker. The
nodes of a cluster share one cluster id and one set of principals' passwords, and talk to
each other as the admin: brokers on the SASL client listener, controllers on their own.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import json
import os
import secrets
import shlex
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
from aiokafka.protocol.admin import CreateAclsRequest, DescribeAclsRequest

from ops.procs import REPO, kill_now, live_pid, tail, terminate
from shared.messaging.acl import ADMIN, PRINCIPALS, Acl
from shared.messaging.connection import SCRAM_MECHANISM, KafkaConnection

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
        [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(POM),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={partial}",
            "-DincludeScope=runtime",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
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


def quorum_voters(nodes: list[tuple[int, int]], host: str = "127.0.0.1") -> str:
    """`controller.quorum.voters` of (node id, controller port) pairs on `host`."""
    return ",".join(f"{node_id}@{host}:{port}" for node_id, port in nodes)


def _replication_settings(brokers: int) -> dict[str, str]:
    factor, min_insync = replication_for(brokers)
    return {
        "default.replication.factor": str(factor),
        "offsets.topic.replication.factor": str(factor),
        "transaction.state.log.replication.factor": str(factor),
        "transaction.state.log.min.isr": str(min_insync),
        "min.insync.replicas": str(min_insync),
    }


def listener_settings(
    port: int, controller_port: int, host: str = "127.0.0.1", bind: str | None = None
) -> dict[str, str]:
    """Clients (and brokers among themselves) on CLIENT, the KRaft quorum on CONTROLLER; both
    authenticate: SCRAM for clients, PLAIN for the controller (SCRAM users live in the
    metadata the controller serves, so the controller cannot check them itself)."""
    bind = host if bind is None else bind
    return {
        "listeners": f"CLIENT://{bind}:{port},CONTROLLER://{bind}:{controller_port}",
        "advertised.listeners": f"CLIENT://{host}:{port}",
        "listener.security.protocol.map": "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
        "inter.broker.listener.name": "CLIENT",
        "controller.listener.names": "CONTROLLER",
    }


def security_settings(admin_password: str) -> dict[str, str]:
    """SASL on both listeners as the admin super user, and ACLs deny what they do not allow."""
    admin = f'username="{ADMIN}" password="{admin_password}"'
    return {
        "sasl.enabled.mechanisms": SCRAM_MECHANISM,
        "sasl.mechanism.inter.broker.protocol": SCRAM_MECHANISM,
        f"listener.name.client.{SCRAM_MECHANISM.lower()}.sasl.jaas.config": (
            f"org.apache.kafka.common.security.scram.ScramLoginModule required {admin};"
        ),
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": (
            "org.apache.kafka.common.security.plain.PlainLoginModule required "
            f'{admin} user_{ADMIN}="{admin_password}";'
        ),
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found": "false",
        "super.users": f"User:{ADMIN}",
    }


def node_settings(
    host: str,
    port: int,
    controller_port: int,
    data_dir: str,
    admin_password: str,
    bind: str | None = None,
    node_id: int = 1,
    voters: str | None = None,
    brokers: int = 1,
) -> dict[str, str]:
    """A node that is broker and controller (KRaft), reached as `host`: alone by default; one
    of a cluster's `brokers` when given its `node_id` and the cluster's `voters`."""
    return {
        "process.roles": "broker,controller",
        "node.id": str(node_id),
        "controller.quorum.voters": voters or quorum_voters([(node_id, controller_port)], host),
        **listener_settings(port, controller_port, host, bind),
        **security_settings(admin_password),
        "log.dirs": data_dir,
        "num.partitions": "3",
        **_replication_settings(brokers),
        "group.initial.rebalance.delay.ms": "0",
        "auto.create.topics.enable": "false",
    }


def render_properties(settings: dict[str, str]) -> str:
    return "".join(f"{k}={v}\n" for k, v in settings.items())


def scram_format_args(credentials: dict[str, str]) -> list[str]:
    """`kafka-storage format` arguments that create each principal's SCRAM credential in the
    initial metadata, so no running broker is needed to add users."""
    return [
        arg
        for user, password in credentials.items()
        for arg in ("--add-scram", f"{SCRAM_MECHANISM}=[name={user},password={password}]")
    ]


def new_credentials() -> dict[str, str]:
    """A fresh random password per principal (URL-safe: no quoting in configs or args)."""
    return {principal: secrets.token_urlsafe(24) for principal in PRINCIPALS}


CONTAINER_KAFKA = "/opt/kafka"  # the apache/kafka image


def write_container_config(
    out: Path, credentials: dict[str, str], owner: int | None = None
) -> None:
    """The compose broker's files (apache/kafka image, reached as `kafka`): its properties, a
    start script that formats the storage once with every principal's SCRAM credential and
    starts Kafka, and the admin's client properties for its health check; readable by
    `owner` (the uid Kafka runs as) alone."""
    out.mkdir(parents=True, exist_ok=True)
    config = out / "server.properties"
    _write_private(
        config,
        render_properties(
            node_settings(
                "kafka", 9092, 9093, "/var/lib/kafka/data", credentials[ADMIN], bind="0.0.0.0"
            )
        ),
    )
    format_cmd = [
        f"{CONTAINER_KAFKA}/bin/kafka-storage.sh",
        "format",
        "--ignore-formatted",
        "-t",
        _cluster_id(),
        "-c",
        str(config),
        *scram_format_args(credentials),
    ]
    _write_private(
        out / "start.sh",
        "set -e\n"
        + shlex.join(format_cmd)
        + "\nexec "
        + shlex.join([f"{CONTAINER_KAFKA}/bin/kafka-server-start.sh", str(config)])
        + "\n",
    )
    _write_private(
        out / "admin.properties",
        render_properties(
            {
                "security.protocol": "SASL_PLAINTEXT",
                "sasl.mechanism": SCRAM_MECHANISM,
                "sasl.jaas.config": (
                    "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    f'username="{ADMIN}" password="{credentials[ADMIN]}";'
                ),
            }
        ),
    )
    if owner is not None:
        for path in (out, *out.iterdir()):
            os.chown(path, owner, owner)


class _Principals:
    """The principals' passwords in `credentials_file` (made once, before the storage is
    formatted, readable by the owner only) and the connections they log in with."""

    credentials_file: Path

    @property
    def bootstrap(self) -> str:
        raise NotImplementedError

    def is_formatted(self) -> bool:
        raise NotImplementedError

    def credentials(self) -> dict[str, str]:
        """Each principal's password."""
        if not self.credentials_file.exists():
            if self.is_formatted():
                raise RuntimeError(
                    f"{self.credentials_file.parent} was formatted without SASL users: stop "
                    f"Kafka, remove it and start again"
                )
            self.credentials_file.parent.mkdir(parents=True, exist_ok=True)
            _write_private(self.credentials_file, json.dumps(new_credentials(), indent=1))
        return json.loads(self.credentials_file.read_text())

    def connection(self, principal: str = ADMIN) -> KafkaConnection:
        return KafkaConnection(self.bootstrap, principal, self.credentials()[principal])

    @property
    def admin(self) -> KafkaConnection:
        return self.connection(ADMIN)

    def client_env(self, principal: str) -> dict[str, str]:
        """The settings a service logs in with as `principal`."""
        return {
            "TFT_KAFKA_USERNAME": principal,
            "TFT_KAFKA_PASSWORD": self.credentials()[principal],
        }


class KafkaNode(_Principals):
    """One KRaft node on 127.0.0.1; state, config, pid, logs and (alone) the principals'
    passwords all live under `home`. Alone by default; a member of a cluster when given its
    `node_id`, the cluster's `voters` (`quorum_voters`), `brokers` (how many) and the
    cluster's `credentials_file`."""

    def __init__(
        self,
        home: Path,
        port: int = 9092,
        controller_port: int = 9093,
        libs: Path = DEFAULT_LIBS,
        heap: str = "512m",
        node_id: int = 1,
        voters: str | None = None,
        brokers: int = 1,
        credentials_file: Path | None = None,
    ) -> None:
        self.home, self.port, self.controller_port = Path(home), port, controller_port
        self.libs, self.heap = libs, heap
        self.node_id, self.brokers = node_id, brokers
        self.voters = voters or quorum_voters([(node_id, controller_port)])
        self.data_dir = self.home / "data"
        self.config = self.home / "server.properties"
        self.credentials_file = credentials_file or self.home / "credentials.json"
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
        return render_properties(
            node_settings(
                "127.0.0.1",
                self.port,
                self.controller_port,
                str(self.data_dir),
                self.credentials()[ADMIN],
                node_id=self.node_id,
                voters=self.voters,
                brokers=self.brokers,
            )
        )

    def _java(self, main: str, *args: str, short_lived: bool = False) -> list[str]:
        # C1-only JIT and serial GC start faster: right for the one-shot storage tool.
        tuning = (
            ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
            if short_lived
            else [f"-Xmx{self.heap}", "-XX:+UseG1GC"]
        )
        return [
            "java",
            *tuning,
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={LOG4J2}",
            f"-Dtft.kafka.logfile={self.log_path}",
            "-cp",
            f"{self.libs}/*",
            main,
            *args,
        ]

    def _write_config(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        # rewritten each start (ports may change); it holds the admin's password
        _write_private(self.config, self._properties())

    def format(self, cluster_id: str | None = None) -> bool:
        """Format the storage once (the nodes of a cluster with one `cluster_id`); a later run
        reuses the data. Returns whether it formatted."""
        if self.is_formatted():
            return False
        ensure_kafka_libs(self.libs)
        self._write_config()
        proc = subprocess.run(
            self._java(
                "kafka.tools.StorageTool",
                "format",
                "-t",
                cluster_id or _cluster_id(),
                "-c",
                str(self.config),
                *scram_format_args(self.credentials()),
                short_lived=True,
            ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
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
                self._java(MARKER, str(self.config)),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
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
        return _run_sync(probe(self.admin))

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


class KafkaCluster(_Principals):
    """`size` KRaft nodes (each broker and controller, all voters) on loopback: node i under
    `home`/node-i with the ports `node_ports` gives it, all with the principals' passwords in
    `home`. A cluster of one is a lone node in `home` itself, as `make up` always had it."""

    def __init__(
        self,
        home: Path,
        size: int = 3,
        port: int = 9092,
        controller_port: int = 9093,
        libs: Path = DEFAULT_LIBS,
        heap: str = "512m",
    ) -> None:
        self.home, self.size = Path(home), size
        ports = [node_ports(port, controller_port, n) for n in range(1, size + 1)]
        voters = quorum_voters([(n, c) for n, (_, c) in enumerate(ports, start=1)])
        self.credentials_file = self.home / "credentials.json"
        self.nodes = [
            KafkaNode(
                self.home / f"node-{n}" if size > 1 else self.home,
                p,
                c,
                libs=libs,
                heap=heap,
                node_id=n,
                voters=voters,
                brokers=size,
                credentials_file=self.credentials_file,
            )
            for n, (p, c) in enumerate(ports, start=1)
        ]

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

    def is_formatted(self) -> bool:
        return any(node.is_formatted() for node in self.nodes)

    def format(self) -> bool:
        """Format every node not formatted yet with the cluster's one id."""
        cluster_id = self._formatted_id() or _cluster_id()
        return any([node.format(cluster_id) for node in self.nodes])

    def _formatted_id(self) -> str | None:
        for node in self.nodes:
            if node.is_formatted():
                meta = (node.data_dir / "meta.properties").read_text().splitlines()
                return next(
                    line.split("=", 1)[1] for line in meta if line.startswith("cluster.id=")
                )
        return None

    def start(self) -> bool:
        self.format()
        return any([node.start() for node in self.nodes])

    def wait_ready(self, timeout: float = 90) -> None:
        """Wait until every node is up and the cluster's metadata lists them all."""
        deadline = time.monotonic() + timeout
        for node in self.nodes:
            node.wait_ready(max(1.0, deadline - time.monotonic()))
        while _run_sync(brokers_up(self.admin)) < self.size:
            if time.monotonic() > deadline:
                raise TimeoutError(f"kafka cluster not complete after {timeout}s")
            time.sleep(0.5)

    def stop(self, grace: float = 30) -> None:
        with concurrent.futures.ThreadPoolExecutor(self.size) as pool:
            list(pool.map(lambda node: node.stop(grace), self.nodes))


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner may read: it holds passwords."""
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(text)


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


async def probe(kafka: KafkaConnection, timeout_ms: int = 3000) -> bool:
    """True if the cluster answers a metadata request that lists at least one broker."""
    return await brokers_up(kafka, timeout_ms) > 0


async def brokers_up(kafka: KafkaConnection, timeout_ms: int = 3000) -> int:
    """How many brokers the cluster's metadata lists (0 when none answers)."""
    if not _port_open(kafka.bootstrap):
        return 0  # cheap check first: aiokafka logs an error per refused connection
    admin = AIOKafkaAdminClient(**kafka.options(), request_timeout_ms=timeout_ms)
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


async def create_topics(
    kafka: KafkaConnection,
    topics: list[str],
    partitions: int | None = None,
    replication: int | None = None,
    configs: dict[str, str] | None = None,
) -> list[str]:
    """Create the topics that do not exist yet (with `configs`, e.g. max.message.bytes);
    returns the ones created. By default `topic_partitions()` partitions, replicated as
    `replication_for` the brokers the cluster has (with its min.insync.replicas)."""
    admin = AIOKafkaAdminClient(**kafka.options())
    try:
        await admin.start()
        missing = sorted(set(topics) - set(await admin.list_topics()))
        if missing:
            brokers = len((await admin.describe_cluster())["brokers"])
            factor, min_insync = replication_for(replication or brokers)
            settings = {"min.insync.replicas": str(min_insync)}
            resp = await admin.create_topics(
                [
                    NewTopic(
                        t,
                        num_partitions=partitions or topic_partitions(),
                        replication_factor=replication or factor,
                        topic_configs=settings | (configs or {}),
                    )
                    for t in missing
                ]
            )
            # entries are (topic, code) or (topic, code, message) depending on the version
            errors = [e for e in resp.topic_errors if e[1] not in (0, TOPIC_ALREADY_EXISTS)]
            if errors:
                raise RuntimeError(f"creating topics failed: {errors}")
        return missing
    finally:
        await admin.close()


async def read_topic(kafka: KafkaConnection, topic: str) -> list[ConsumerRecord]:
    """Every record on the topic so far, in partition and offset order."""
    producer = AIOKafkaProducer(**kafka.options())
    await producer.start()
    try:  # the producer's partitions_for waits for the topic's metadata
        partitions = [TopicPartition(topic, p) for p in await producer.partitions_for(topic)]
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(**kafka.options(), enable_auto_commit=False)
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


# Kafka's protocol codes (org.apache.kafka.common.acl and .resource)
_RESOURCE = {"topic": 2, "group": 3}
_OPERATION = {"read": 3, "write": 4}
_ANY, _LITERAL, _PREFIXED, _ALLOW = 1, 3, 4, 3


async def apply_acls(kafka: KafkaConnection, acls: list[Acl]) -> None:
    """Create the ACLs (as a super user; creating one that exists changes nothing), and wait
    until the broker enforces them: the controller commits them before the broker applies
    them, and a client in between would be refused."""
    admin = AIOKafkaAdminClient(**kafka.options())
    try:
        await admin.start()
        for acl in acls:  # aiokafka has no create_acls: its protocol request, one ACL each
            response = await admin._send_request(CreateAclsRequest(*_binding(acl), _ALLOW))
            errors = [r for r in response.creation_responses if r[0] != 0]
            if errors:
                raise RuntimeError(f"creating ACL {acl} failed: {errors}")
        wanted = {_binding(acl) for acl in acls}
        async with asyncio.timeout(30):
            while True:  # polled: nothing tells when the broker applied them
                if wanted <= await _enforced(admin):
                    return
                await asyncio.sleep(0.2)
    finally:
        await admin.close()


def _binding(acl: Acl) -> tuple[int, str, int, str, str, int]:
    return (
        _RESOURCE[acl.resource],
        acl.name,
        _PREFIXED if acl.prefixed else _LITERAL,
        f"User:{acl.principal}",
        "*",
        _OPERATION[acl.operation],
    )


async def _enforced(admin: AIOKafkaAdminClient) -> set[tuple[int, str, int, str, str, int]]:
    """The allowed bindings the broker's authorizer holds (it answers from its own state)."""
    response = await admin._send_request(
        DescribeAclsRequest(_ANY, None, _ANY, None, None, _ANY, _ANY)
    )
    return {
        (resource, name, pattern, principal, host, operation)
        for resource, name, pattern, bindings in response.resources
        for principal, host, operation, permission in bindings
        if permission == _ALLOW
    }


if __name__ == "__main__":  # `python -m ops.kafka [dir]`: just fetch the jars
    print(ensure_kafka_libs(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_LIBS))
