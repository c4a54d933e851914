"""`make bench`: figures, not pass/fail. Prints a table and updates bench/results/latest.json.

    python -m bench [--messages N] [--seconds S] [--clients C] [--only NAME ...] [--profile DIR]

TFT_BENCH_HOME, TFT_BENCH_KAFKA_PORT and TFT_BENCH_POSTGRES_PORT move the bench's own Kafka
and PostgreSQL (default /tmp/tft-bench, 19092, 15432).
"""

import argparse
import asyncio
import json
import os
import platform as host
import time
from pathlib import Path

import uvloop

from bench import baselines, events, gateway, gateways, infra, messaging, profile, saga, scaling
from bench import notify as notify_bench
from bench import web as web_bench
from shared.observability.logging import configure_logging
from tests.harness import GATEWAY_PORT, Platform

RESULTS = Path(__file__).parent / "results"

# Benchmarks on the whole running platform, in this order: name -> fn(platform, args) ->
# figures. Notify first: the loads after it leave it mails to send, which it would send to
# its bench's mailbox, counted as the bench's own.
PLATFORM_BENCHES = {
    "notify": lambda platform, args: notify_bench.notifications(platform),
    "gateway": lambda platform, args: (
        baselines.http(GATEWAY_PORT + 120, platform.home, args.clients, args.seconds)
        | gateway.bookings(platform, args.clients, args.seconds)
        | gateway.overhead(platform, args.clients, args.seconds)
    ),
    "events": lambda platform, args: events.registrations(platform, args.clients, args.seconds),
    "consumers": lambda platform, args: scaling.consumer_scaling(platform),
    "gateways": lambda platform, args: gateways.gateway_scaling(
        platform, args.clients, args.seconds
    ),
    "saga": lambda platform, args: saga.confirmations(platform, args.clients, args.seconds),
    # 20 concurrent users, as the web issue asks; a third of the time per page and its calls.
    "web": lambda platform, args: web_bench.render_times(platform, args.seconds / 3),
}
MESSAGING = "messaging"
# Each platform figure beside the ceiling of its parts, measured in the same run.
BASELINES = {
    "gateway_bookings_per_s": "store_bookings_per_s",
    "direct_bookings_per_s": "store_bookings_per_s",
    "direct_offerings_per_s": "hello_per_s",
    "gateway_offerings_per_s": "hello_per_s",
    "events_registrations_per_s": "store_bookings_per_s",
    "sqlite_gateway_bookings_per_s": "gateway_bookings_per_s",
}


def run(args: argparse.Namespace, figures: dict) -> None:
    """Adds each benchmark's figures to `figures` as it finishes: a failing one keeps the
    figures of those before it."""
    # The measuring process logs warnings only: a line per message would measure the console.
    configure_logging("bench", "WARNING")
    kafka, postgres = infra.start()
    profile.measure_infra({"kafka": kafka.pid, "postgres": postgres.pid})
    chosen = args.only or [MESSAGING, *PLATFORM_BENCHES]
    try:
        if MESSAGING in chosen:
            figures.update(measure_messaging(kafka, postgres, args.messages, args.profile))
        on_platform = [name for name in PLATFORM_BENCHES if name in chosen]
        if "gateway" in chosen:
            print("store baseline: a booking's SQL through asyncpg ...", flush=True)
            figures.update(baselines.store(postgres, args.clients, args.seconds))
        if on_platform:
            platform = Platform(kafka=kafka, postgres=postgres, home=infra.HOME / "platform")
            platform.start()
            try:
                for name in on_platform:
                    print(f"{name} ...", flush=True)
                    # Again before each: a benchmark may have restarted a process.
                    profile.configure(processes(platform), args.profile)
                    figures.update(PLATFORM_BENCHES[name](platform, args))
            finally:
                platform.stop()
        if "gateway" in chosen:
            print("gateway on SQLite ...", flush=True)
            figures.update(sqlite_bookings(kafka, postgres, args))
    finally:
        kafka.stop()
        postgres.stop()


def processes(platform: Platform) -> dict[str, int]:
    return {name: process.pid for name, process in platform.processes.items() if process.pid}


def sqlite_bookings(kafka, postgres, args: argparse.Namespace) -> dict:
    """The bookings figures again on the default store of `make up`: a SQLite file each."""
    platform = Platform(
        kafka=kafka,
        postgres=postgres,
        home=infra.HOME / "platform-sqlite",
        web_port=None,
        store="sqlite",
    )
    platform.start()
    profile.configure(processes(platform))
    try:
        figures = gateway.bookings(platform, args.clients, args.seconds)
    finally:
        platform.stop()
    return {f"sqlite_{name}": value for name, value in figures.items()}


def measure_messaging(kafka, postgres, messages: int, folder: Path | None) -> dict:
    """Raw aiokafka produce+consume, the baseline, against our outbox -> relay -> inbox."""
    print("raw aiokafka produce+consume ...", flush=True)
    raw = uvloop.run(messaging.raw(kafka.admin, messages))
    print("outbox -> relay -> kafka -> inbox ...", flush=True)
    postgres.create_database("bench_pipeline")
    pipeline = asyncio.run(
        messaging.pipeline(kafka.admin, postgres.url("bench_pipeline"), messages, folder)
    )
    # Not left for autovacuum to clean up under the next load.
    postgres.drop_database("bench_pipeline")
    return {
        **raw,
        **pipeline,
        "pipeline_ratio": round(pipeline["pipeline_msgs_per_s"] / raw["raw_msgs_per_s"], 3),
    }


def with_ratios(figures: dict) -> dict:
    """Each figure followed by its ratio to its baseline of this same run."""
    out = {}
    for name, value in figures.items():
        out[name] = value
        baseline = BASELINES.get(name)
        if baseline is not None and figures.get(baseline):
            out[f"{name.removesuffix('_per_s')}_vs_{baseline.removesuffix('_per_s')}"] = round(
                value / figures[baseline], 3
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[MESSAGING, *PLATFORM_BENCHES],
        help="run only these benchmarks (default: all)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="py-spy each platform process under each HTTP load into DIR "
        "(then: python -m bench.profile DIR)",
    )
    parser.add_argument(
        "--no-save",
        action="store_true",
        help="print the figures only, leaving bench/results/latest.json",
    )
    args = parser.parse_args()
    measured: dict = {
        "messages": args.messages,
        "clients": args.clients,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "python": host.python_version(),
        "store": "postgresql",
        "bench_log_level": "WARNING",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    try:
        run(args, measured)
    finally:
        report(with_ratios(measured), save=not args.no_save)


def report(figures: dict, save: bool) -> None:
    if save:
        RESULTS.mkdir(exist_ok=True)
        # A run with --only updates its own figures and keeps the others of earlier runs.
        latest = RESULTS / "latest.json"
        kept = json.loads(latest.read_text()) if latest.exists() else {}
        latest.write_text(json.dumps(kept | figures, indent=2) + "\n")
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
