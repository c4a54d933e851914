"""`make bench`: figures, not pass/fail. Prints a table and updates bench/results/latest.json.

    python -m bench [--messages N] [--seconds S] [--clients C] [--only NAME ...]

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

from bench import events, gateway, infra, messaging, saga, scaling
from bench import notify as notify_bench
from bench import web as web_bench
from shared.observability.logging import configure_logging
from tests.harness import Platform

RESULTS = Path(__file__).parent / "results"

# Benchmarks on the whole running platform: name -> fn(platform, args) -> figures.
PLATFORM_BENCHES = {
    "gateway": lambda platform, args: gateway.bookings(platform, args.clients, args.seconds)
    | gateway.overhead(platform, args.clients, args.seconds),
    "events": lambda platform, args: events.registrations(platform, args.clients, args.seconds),
    "notify": lambda platform, args: notify_bench.notifications(platform),
    "consumers": lambda platform, args: scaling.consumer_scaling(platform),
    "saga": lambda platform, args: saga.confirmations(platform, args.clients, args.seconds),
    # 20 concurrent users, as the web issue asks; a third of the time per page and its calls.
    "web": lambda platform, args: web_bench.render_times(platform, args.seconds / 3),
}
MESSAGING = "messaging"


def run(args: argparse.Namespace) -> dict:
    # The measuring process logs warnings only: a line per message would measure the console.
    configure_logging("bench", "WARNING")
    kafka, postgres = infra.start()
    figures: dict = {"messages": args.messages, "clients": args.clients, "seconds": args.seconds,
                     "cpus": os.cpu_count(), "python": host.python_version(),
                     "store": "postgresql", "bench_log_level": "WARNING",
                     "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    chosen = args.only or [MESSAGING, *PLATFORM_BENCHES]
    try:
        if MESSAGING in chosen:
            figures.update(measure_messaging(kafka, postgres, args.messages))
        on_platform = [name for name in PLATFORM_BENCHES if name in chosen]
        if on_platform:
            platform = Platform(kafka=kafka, postgres=postgres, home=infra.HOME / "platform")
            platform.start()
            try:
                for name in on_platform:
                    print(f"{name} ...", flush=True)
                    figures.update(PLATFORM_BENCHES[name](platform, args))
            finally:
                platform.stop()
    finally:
        kafka.stop()
        postgres.stop()
    return figures


def measure_messaging(kafka, postgres, messages: int) -> dict:
    """Raw aiokafka produce+consume, the baseline, against our outbox -> relay -> inbox."""
    print("raw aiokafka produce+consume ...", flush=True)
    raw = asyncio.run(messaging.raw(kafka.bootstrap, messages))
    print("outbox -> relay -> kafka -> inbox ...", flush=True)
    postgres.create_database("bench_pipeline")
    pipeline = asyncio.run(messaging.pipeline(kafka.bootstrap, postgres.url("bench_pipeline"),
                                              messages))
    return {"raw_msgs_per_s": round(raw, 1), "pipeline_msgs_per_s": round(pipeline, 1),
            "pipeline_ratio": round(pipeline / raw, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--only", nargs="+", choices=[MESSAGING, *PLATFORM_BENCHES],
                        help="run only these benchmarks (default: all)")
    figures = run(parser.parse_args())
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
