"""`make bench`: figures, not pass/fail. Writes bench/results/latest.json and prints a table.

    python -m bench [--messages N] [--seconds S] [--clients C]
"""

import argparse
import asyncio
import json
import os
import platform as host
import time
from pathlib import Path

from bench import gateway, infra, messaging
from shared.observability.logging import configure_logging
from tests.harness import Platform

RESULTS = Path(__file__).parent / "results"


def run(args: argparse.Namespace) -> dict:
    # The measuring process logs warnings only: a line per message would measure the console.
    configure_logging("bench", "WARNING")
    kafka, postgres = infra.start()
    figures: dict = {"messages": args.messages, "clients": args.clients, "seconds": args.seconds,
                     "cpus": os.cpu_count(), "python": host.python_version(),
                     "store": "postgresql", "bench_log_level": "WARNING",
                     "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    try:
        print("raw aiokafka produce+consume ...", flush=True)
        figures["raw_msgs_per_s"] = round(asyncio.run(messaging.raw(kafka.bootstrap,
                                                                    args.messages)), 1)
        print("outbox -> relay -> kafka -> inbox ...", flush=True)
        postgres.create_database("bench_pipeline")
        figures["pipeline_msgs_per_s"] = round(asyncio.run(messaging.pipeline(
            kafka.bootstrap, postgres.url("bench_pipeline"), args.messages)), 1)
        figures["pipeline_ratio"] = round(figures["pipeline_msgs_per_s"]
                                          / figures["raw_msgs_per_s"], 3)
        print("gateway bookings ...", flush=True)
        platform = Platform(kafka=kafka, postgres=postgres, home=infra.HOME / "platform")
        platform.start()
        try:
            figures.update(gateway.bookings(platform, args.clients, args.seconds))
        finally:
            platform.stop()
    finally:
        kafka.stop()
        postgres.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=50)
    figures = run(parser.parse_args())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2) + "\n")
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
