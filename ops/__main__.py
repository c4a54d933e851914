"""`python -m ops up|down|status|logs [service] [-f]|urls|topics|dlt`: the local run."""

from __future__ import annotations

import argparse
import asyncio
import sys

from aiokafka.errors import KafkaError

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
    topics.add_argument("--partitions", type=int,
                        help="default: TFT_KAFKA_PARTITIONS, else 12")
    topics.add_argument("--replication", type=int,
                        help="default: 3 on a cluster of three or more brokers, else 1")
    _dlt_parser(sub)
    return p


def _dlt_parser(sub) -> None:
    dlt = sub.add_parser("dlt", help="dead-lettered messages: list, show, replay")
    dlt.add_argument("--bootstrap", help="default: the local run's Kafka")
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
        elif args.command == "dlt":
            asyncio.run(_dlt(args.bootstrap or platform.bootstrap, args))
    except KeyboardInterrupt:
        return 130
    except (RuntimeError, TimeoutError, OSError, LookupError, KafkaError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _topics(platform: Platform, args: argparse.Namespace) -> None:
    from ops.kafka import create_topics
    from shared.contracts.topics import ALL_TOPICS

    bootstrap = args.bootstrap or platform.bootstrap
    created = asyncio.run(create_topics(bootstrap, ALL_TOPICS, args.partitions, args.replication))
    print(f"{bootstrap}: created {len(created)} of {len(ALL_TOPICS)} topics {created or ''}")


async def _dlt(bootstrap: str, args: argparse.Namespace) -> None:
    from ops import dlt

    if args.action == "list":
        for topic in dlt.dead_letter_topics(args.topic):
            letters = await dlt.read(bootstrap, topic)
            print(f"{topic}: {len(letters)}")
            for letter in letters:
                print(f"  {letter.summary()}")
    elif args.action == "show":
        print((await dlt.find(bootstrap, args.topic, args.ref)).details())
    else:
        letters = ([await dlt.find(bootstrap, args.topic, args.ref)] if args.ref else
                   await dlt.read(bootstrap, *dlt.dead_letter_topics(args.topic)))
        count = await dlt.replay(bootstrap, letters)
        print(f"replayed {count} to {', '.join(sorted({d.original_topic for d in letters}))}")


if __name__ == "__main__":
    sys.exit(main())
