"""Gateway scaling: bookings through 1, then 2 gateway replicas (one store, one signing key),
each beside the single replica's figure of the same run.

The load is bench/gateway.py's (wrk, POST /api/v1/bookings round robin over sessions); with
two replicas two wrk processes share the clients, one per replica, as a balancer would
spread them. Beside each figure, the cores each part used meanwhile (the gateways,
bookings, PostgreSQL, and the whole machine, others' load included): when the machine's
cores are all busy, a second gateway only shares them.
"""

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import wrk
from bench.gateway import LUA, plan_sessions
from bench.scaling import TICKS, beside_one, cpu_seconds, postmaster_pid
from ops.platform import replica_name, replica_port
from tests.harness import Platform

REPLICAS = (1, 2)


def machine_busy_seconds() -> float:
    """CPU seconds every core of the machine spent on anything but idling, so far."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / TICKS


def measure(platform: Platform, replicas: int, script: str, clients: int, seconds: float) -> dict:
    urls = [
        f"http://127.0.0.1:{replica_port(platform.gateway_port, r)}/api/v1/bookings"
        for r in range(1, replicas + 1)
    ]
    parts: dict[str, list[int | None]] = {
        "gateway": [
            platform.processes[replica_name("gateway", r)].pid for r in range(1, replicas + 1)
        ],
        "bookings": [platform.processes["bookings"].pid],
        "postgres": [postmaster_pid(platform)],
    }
    before = {part: sum(map(cpu_seconds, pids)) for part, pids in parts.items()}
    machine, started = machine_busy_seconds(), time.perf_counter()
    with ThreadPoolExecutor(replicas) as pool:
        runs = list(pool.map(lambda url: wrk.run(url, clients // replicas, seconds, script), urls))
    elapsed = time.perf_counter() - started
    used = {
        part: (sum(map(cpu_seconds, pids)) - before[part]) / elapsed for part, pids in parts.items()
    }
    used["machine"] = (machine_busy_seconds() - machine) / elapsed
    prefix = f"gateway_{replicas}_replicas"
    return {
        f"{prefix}_bookings_per_s": round(sum(map(wrk.per_second, runs)), 1),
        f"{prefix}_errors": sum(r["status_errors"] + r["socket_errors"] for r in runs),
        f"{prefix}_p50_ms": round(max(r["p50_us"] for r in runs) / 1000, 1),
        **{f"{prefix}_cores_{part}": round(cores, 2) for part, cores in used.items()},
    }


def gateway_scaling(platform: Platform, clients: int = 50, seconds: float = 30.0) -> dict:
    sessions = ",".join(f'"{s}"' for s in plan_sessions(platform, clients))
    headers = platform.token("corlaer")
    script = LUA % {
        "sessions": sessions,
        "headers": "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()),
    }
    figures: dict = {}
    try:
        for replicas in REPLICAS:
            if replicas > 1:
                platform.add_replica("gateway", replicas)
            print(f"  gateway x{replicas} ...", flush=True)
            figures |= measure(platform, replicas, script, clients, seconds)
    finally:
        for replicas in REPLICAS[1:]:
            extra = platform.processes.pop(replica_name("gateway", replicas), None)
            if extra is not None:
                extra.stop()
    return figures | beside_one("gateway_{}_replicas", "bookings_per_s", REPLICAS, figures)
