"""`python -m ops up|down|status|logs [service] [-f]|urls|topics`: the local run."""

from __future__ import annotations

import argparse
import asyncio
import sys

from ops.platform import Platform


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ops", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="start Kafka and all services (state in var/)")
    sub.add_parser("down", help="stop all services, then Kafka")
    sub.add_parser("status", help="pid, up/down and /readyz of each component")
    logs = sub.add_parser("logs", help="tail var/log files")
    logs.add_argument("service", nargs="?", help="a service name or 'kafka' (default: all)")
    logs.add_argument("-f", "--follow", action="store_true")
    logs.add_argument("-n", "--lines", type=int, default=50)
    sub.add_parser("urls", help="print the URLs of the local run")
    topics = sub.add_parser("topics", help="create the platform topics (idempotent)")
    topics.add_argument("--bootstrap", help="default: the local run's Kafka")
    topics.add_argument("--partitions", type=int, default=3)
    topics.add_argument("--replication", type=int, default=1)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    platform = Platform()
    try:
        if args.command == "up":
            platform.up()
        elif args.command == "down":
            platform.down()
        elif args.command == "status":
            return platform.status()
        elif args.command == "logs":
            platform.logs(args.service, args.follow, args.lines)
        elif args.command == "urls":
            platform.urls(accounts=True)
        elif args.command == "topics":
            _topics(platform, args)
    except KeyboardInterrupt:
        return 130
    except (RuntimeError, TimeoutError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _topics(platform: Platform, args: argparse.Namespace) -> None:
    from ops.kafka import create_topics
    from shared.contracts.topics import ALL_TOPICS

    bootstrap = args.bootstrap or platform.bootstrap
    created = asyncio.run(create_topics(bootstrap, ALL_TOPICS, args.partitions, args.replication))
    print(f"{bootstrap}: created {len(created)} of {len(ALL_TOPICS)} topics {created or ''}")


if __name__ == "__main__":
    sys.exit(main())
