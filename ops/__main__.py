"""`python -m ops up|down|status|logs [service] [-f]|urls|topics|kafka-config|k8s|dlt`: the
local run, the broker's topics, ACLs and config elsewhere, and the Kubernetes manifests."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
from pathlib import Path

from aiokafka.errors import KafkaError

from ops.platform import Platform
from shared.messaging.connection import KafkaConnection

BOOTSTRAP_HELP = (
    "another broker than the local run's, as the principal in TFT_KAFKA_USERNAME "
    "and TFT_KAFKA_PASSWORD"
)


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
    topics = sub.add_parser(
        "topics", help="create the platform topics and grant the services' ACLs (idempotent)"
    )
    topics.add_argument("--bootstrap", help=BOOTSTRAP_HELP)
    topics.add_argument("--partitions", type=int, help="default: TFT_KAFKA_PARTITIONS, else 12")
    topics.add_argument(
        "--replication", type=int, help="default: 3 on a cluster of three or more brokers, else 1"
    )
    config = sub.add_parser(
        "kafka-config",
        help="write the compose broker's config and SCRAM "
        "users from TFT_KAFKA_<PRINCIPAL>_PASSWORD",
    )
    config.add_argument("out", type=Path, help="the directory the broker reads")
    config.add_argument("--owner", type=int, help="uid the broker runs as (it alone reads them)")
    sub.add_parser(
        "k8s", help="write deploy/k8s/base/generated: workloads, topics, users, databases"
    )
    _dlt_parser(sub)
    return p


def _dlt_parser(sub) -> None:
    dlt = sub.add_parser("dlt", help="dead-lettered messages: list, show, replay")
    dlt.add_argument("--bootstrap", help=BOOTSTRAP_HELP)
    actions = dlt.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="dead letters per topic with their reason")
    listing.add_argument("topic", nargs="?", help="a topic or its .dlt (default: all)")
    show = actions.add_parser("show", help="one dead letter: headers and value")
    replay = actions.add_parser("replay", help="send one or all back to the original topic")
    for action in (show, replay):
        action.add_argument("topic", help="the topic or its .dlt")
    show.add_argument("ref", help="partition:offset on the .dlt topic, as `list` prints it")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("ref", nargs="?", help="partition:offset, as `list` prints it")
    which.add_argument("--all", action="store_true", help="every dead letter of the topic")


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
        elif args.command == "kafka-config":
            _kafka_config(args)
        elif args.command == "k8s":
            from ops import k8s

            for path in k8s.write():
                print(f"wrote {path.relative_to(k8s.REPO)}")
        elif args.command == "dlt":
            asyncio.run(_dlt(platform.kafka_connection(args.bootstrap), args))
    except KeyboardInterrupt:
        return 130
    except (RuntimeError, TimeoutError, OSError, LookupError, KafkaError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _topics(platform: Platform, args: argparse.Namespace) -> None:
    """As the admin principal (TFT_KAFKA_USERNAME/TFT_KAFKA_PASSWORD with --bootstrap)."""
    from ops.kafka import apply_acls, create_topics
    from shared.contracts.topics import ALL_TOPICS
    from shared.messaging.acl import platform_acls

    kafka = platform.kafka_connection(args.bootstrap)
    created = asyncio.run(create_topics(kafka, ALL_TOPICS, args.partitions, args.replication))
    print(f"{kafka.bootstrap}: created {len(created)} of {len(ALL_TOPICS)} topics {created or ''}")
    if kafka.username:  # an unauthenticated broker has no authorizer to take ACLs
        asyncio.run(apply_acls(kafka, platform_acls()))
        print(f"{kafka.bootstrap}: granted the services' ACLs")


SAFE_PASSWORD = re.compile(r"[\w.~+/=-]{16,}")


def _kafka_config(args: argparse.Namespace) -> None:
    from ops.kafka import write_container_config
    from shared.messaging.acl import PRINCIPALS

    names = {p: f"TFT_KAFKA_{p.upper()}_PASSWORD" for p in PRINCIPALS}
    missing = [name for name in names.values() if not os.environ.get(name)]
    if missing:
        raise RuntimeError(f"set {', '.join(missing)}")
    # they go into JAAS strings and `--add-scram` arguments unquoted
    unsafe = [name for name in names.values() if not SAFE_PASSWORD.fullmatch(os.environ[name])]
    if unsafe:
        raise RuntimeError(f"{', '.join(unsafe)}: 16 or more letters, digits and ._~+/=- only")
    write_container_config(args.out, {p: os.environ[name] for p, name in names.items()}, args.owner)
    print(f"kafka: config for {len(names)} principals in {args.out}")


async def _dlt(kafka: KafkaConnection, args: argparse.Namespace) -> None:
    from ops import dlt

    if args.action == "list":
        for topic in dlt.dead_letter_topics(args.topic):
            letters = await dlt.read(kafka, topic)
            print(f"{topic}: {len(letters)}")
            for letter in letters:
                print(f"  {letter.summary()}")
    elif args.action == "show":
        print((await dlt.find(kafka, args.topic, args.ref)).details())
    else:
        letters = (
            [await dlt.find(kafka, args.topic, args.ref)]
            if args.ref
            else await dlt.read(kafka, *dlt.dead_letter_topics(args.topic))
        )
        count = await dlt.replay(kafka, letters)
        print(f"replayed {count} to {', '.join(sorted({d.original_topic for d in letters}))}")


if __name__ == "__main__":
    sys.exit(main())
