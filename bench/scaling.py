"""Consumer scaling: booking confirmations applied per second by 1, 2 and 4 replicas of
notify in one consumer group, on one topic of `topic_partitions()` partitions, each figure
beside the single replica's of the same run.

Throughput is events produced until notify's store holds a message for each (its inbox and
its effect, committed). Beside each figure, the cores each part used meanwhile (CPU seconds
of the notify replicas, the Kafka JVM and PostgreSQL's processes over the wall time): when
their sum nears the machine's cores, more replicas only share the same cores.
"""

import asyncio
import os
import time
from pathlib import Path

from bench.notify import confirmations, produce
from ops.kafka import KafkaNode
from services.notify.mailbox import Mailbox, serve
from tests.harness import Platform
from tests.test_faults import scalar

EVENTS = 1500
WARM_UP = 60  # events each set of replicas applies first: the group has settled after them
REPLICAS = (1, 2, 4)
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int | None) -> float:
    """CPU time of a process and its children (PostgreSQL's backends are the postmaster's)."""
    if pid is None:
        return 0.0
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent
            total += (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
    return total


def kafka_pids(platform: Platform) -> list[int | None]:
    kafka = platform.kafka
    return [kafka.pid] if isinstance(kafka, KafkaNode) else [n.pid for n in kafka.nodes]


def postmaster_pid(platform: Platform) -> int:
    """The first line of postmaster.pid (the others are its port, sockets, ...)."""
    return int((platform.postgres.data_dir / "postmaster.pid").read_text().split()[0])


def applied(platform: Platform, ids: list[str]) -> int:
    return scalar(
        platform,
        "notify",
        "select count(*) from notifications where person_id = ''"
        " and message_type = 'booking_confirmed' and about = any(:ids)",
        ids=ids,
    )


def apply_all(platform: Platform, count: int) -> float:
    """Produce `count` confirmations; seconds until notify applied them all."""
    events = confirmations(count)
    ids = [str(e.booking_id) for e in events]
    started = time.perf_counter()
    asyncio.run(produce(platform.kafka.connection("bookings"), events))
    deadline = started + 600
    while applied(platform, ids) < count:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"notify applied {applied(platform, ids)} of {count} in 600 s")
        time.sleep(0.1)
    return time.perf_counter() - started


def measure(platform: Platform, replicas: int, env: dict[str, str]) -> dict:
    names = ["notify", *(f"notify-{r}" for r in range(2, replicas + 1))]
    for replica in range(2, replicas + 1):
        platform.add_replica("notify", replica, **env)
    try:
        apply_all(platform, WARM_UP)
        parts: dict[str, list[int | None]] = {
            "notify": [platform.processes[n].pid for n in names],
            "kafka": kafka_pids(platform),
            "postgres": [postmaster_pid(platform)],
        }
        before = {part: sum(map(cpu_seconds, pids)) for part, pids in parts.items()}
        elapsed = apply_all(platform, EVENTS)
        used = {
            part: (sum(map(cpu_seconds, pids)) - before[part]) / elapsed
            for part, pids in parts.items()
        }
    finally:
        for name in names[1:]:
            platform.processes.pop(name).stop()
    prefix = f"notify_consumer_{replicas}_replicas"
    return {
        f"{prefix}_events_per_s": round(EVENTS / elapsed, 1),
        **{f"{prefix}_cores_{part}": round(cores, 2) for part, cores in used.items()},
    }


def consumer_scaling(platform: Platform) -> dict:
    box = Mailbox()
    controller = serve(box)
    notify = platform.processes["notify"]
    try:
        env = {"TFT_NOTIFY_SMTP_PORT": str(controller.port), "TFT_LOG_LEVEL": "WARNING"}
        notify.stop()
        platform.restart("notify", **env)
        figures: dict = {"notify_consumer_events": EVENTS}
        for replicas in REPLICAS:
            print(f"  notify consumers x{replicas} ...", flush=True)
            figures |= measure(platform, replicas, env)
    finally:
        notify.stop()
        platform.restart("notify")
        controller.stop()
    return figures | beside_one("notify_consumer_{}_replicas", "events_per_s", REPLICAS, figures)


def beside_one(prefix: str, unit: str, counts: tuple[int, ...], figures: dict) -> dict:
    """`<prefix>_ratio` of each count above one: its `<prefix>_<unit>` over one replica's."""
    single = figures[f"{prefix.format(1)}_{unit}"]
    return {
        f"{prefix.format(n)}_ratio": round(figures[f"{prefix.format(n)}_{unit}"] / single, 2)
        for n in counts[1:]
    }
