"""Dead letters: list them per topic with their reason, show one, replay one or all.

A replay sends the message back to its original topic with its key, value and CloudEvents
headers (the `dlt_*` ones dropped), so it keeps its event id: every consumer group of that
topic reads it again, and the inbox of a group that already applied it makes it a no-op.
Replaying twice is therefore harmless. A replayed event arrives after the later events of
its key: the handlers already take answers that moved on into account.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from ops.kafka import read_topic
from shared.contracts.topics import EVENT_TOPICS, dead_letter_topic
from shared.messaging.connection import KafkaConnection

DLT_SUFFIX = ".dlt"


@dataclass(frozen=True)
class DeadLetter:
    topic: str  # the dead-letter topic it is on
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]

    @property
    def ref(self) -> str:
        """How the commands name it: `partition:offset` on its dead-letter topic."""
        return f"{self.partition}:{self.offset}"

    def header(self, name: str) -> str:
        return next((v.decode(errors="replace") for k, v in self.headers if k == name), "")

    @property
    def original_topic(self) -> str:
        return self.header("dlt_original_topic") or self.topic.removesuffix(DLT_SUFFIX)

    def summary(self) -> str:
        return (
            f"{self.ref}  {self.header('ce_type') or '-'}  {self.header('ce_id') or '-'}  "
            f"consumer={self.header('dlt_consumer')} attempts={self.header('dlt_attempts')}"
            f"  {self.header('dlt_reason')[:200]}"
        )

    def details(self) -> str:
        try:
            value = json.dumps(json.loads(self.value or b""), indent=2, ensure_ascii=False)
        except ValueError:
            value = repr(self.value)
        lines = [f"{self.topic} {self.ref}", f"key: {self.key!r}"]
        lines += [f"{k}: {v.decode(errors='replace')}" for k, v in self.headers]
        return "\n".join([*lines, "value:", value])


def dead_letter_topics(topic: str | None) -> list[str]:
    """The dead-letter topic of `topic` (given with or without `.dlt`), or all of them."""
    if topic is None:
        return [dead_letter_topic(t) for t in EVENT_TOPICS]
    return [topic if topic.endswith(DLT_SUFFIX) else dead_letter_topic(topic)]


async def read(kafka: KafkaConnection, topic: str) -> list[DeadLetter]:
    """Every message on a dead-letter topic so far, in partition and offset order."""
    return [
        DeadLetter(topic, r.partition, r.offset, r.key, r.value, tuple(r.headers or ()))
        for r in await read_topic(kafka, topic)
    ]


async def find(kafka: KafkaConnection, topic: str, ref: str) -> DeadLetter:
    [dlt] = dead_letter_topics(topic)
    for letter in await read(kafka, dlt):
        if letter.ref == ref:
            return letter
    raise LookupError(f"no dead letter {ref} on {dlt}")


async def replay(kafka: KafkaConnection, letters: Sequence[DeadLetter]) -> int:
    """Send each back to its original topic, as it was before it was dead-lettered (as the
    admin principal: only the topic's owner and the admin may write it)."""
    producer = AIOKafkaProducer(**kafka.options(), acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for letter in letters:
            await producer.send_and_wait(
                letter.original_topic,
                value=letter.value,
                key=letter.key,
                headers=[(k, v) for k, v in letter.headers if not k.startswith("dlt_")],
            )
    finally:
        await producer.stop()
    return len(letters)
