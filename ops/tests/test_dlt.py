"""`python -m ops dlt` on the real broker: a message a consumer dead-lettered is listed with
its reason, shown, replayed to its topic and applied; a second replay changes nothing."""

import asyncio
import os
import sys
from collections import Counter

import pytest

from ops.procs import REPO
from shared.tests.kafka import (
    committed,
    confirmed,
    consuming,
    eventually,
    messaging_store,
    new_topic,
    produce,
)

pytestmark = pytest.mark.integration


async def run(*argv: str, env: dict[str, str]) -> str:
    """`python -m ops ...` as typed: its output."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ops",
        *argv,
        cwd=REPO,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    return out.decode()


async def test_a_dead_letter_is_listed_shown_and_replayed_once_through_the_inbox(kafka, tmp_path):
    topic = await new_topic(kafka.admin)
    events = [confirmed(f"{i}C") for i in range(4)]
    poison = events[1][1].id
    broken = True
    done: Counter[str] = Counter()  # handler runs, rolled back ones too

    async def handle(_session, _event, envelope) -> None:
        if broken and envelope.id == poison:
            raise RuntimeError("rooster kwijt")
        done[envelope.id] += 1

    store = await messaging_store(f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}")
    await produce(kafka.admin, topic, events)
    async with consuming(kafka.admin, store, topic, handle, max_attempts=2) as consumer:

        async def caught_up(end: int):
            return await committed(kafka.admin, consumer.name, topic) == end

        await eventually(lambda: caught_up(4))
        assert poison not in done
        dlt = ["dlt", "--bootstrap", kafka.bootstrap]
        admin = {
            "TFT_KAFKA_USERNAME": kafka.admin.username,
            "TFT_KAFKA_PASSWORD": kafka.admin.password,
        }

        listed = await run(*dlt, "list", topic, env=admin)
        assert listed.splitlines()[0] == f"{topic}.dlt: 1"
        assert (
            f"0:0  {events[1][0].event_type}  {poison}  consumer={consumer.name} "
            f"attempts=2  rooster kwijt" in listed
        )
        shown = await run(*dlt, "show", f"{topic}.dlt", "0:0", env=admin)
        assert f"dlt_original_topic: {topic}" in shown
        assert str(events[1][0].booking_id) in shown

        broken = False
        assert await run(*dlt, "replay", topic, "0:0", env=admin) == f"replayed 1 to {topic}\n"
        await eventually(lambda: caught_up(5))
        assert done[poison] == 1
        assert await run(*dlt, "replay", topic, "--all", env=admin) == f"replayed 1 to {topic}\n"
        await eventually(lambda: caught_up(6))
    await store[0].dispose()
    assert done[poison] == 1  # the inbox absorbed the second replay
