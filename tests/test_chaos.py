"""Chaos on the real platform: bookings, completions and cancellations through the gateway
while services are SIGKILLed at random (seeded) moments and the broker restarts once. Clients
retry with Idempotency-Keys; afterwards every request the test's ledger holds as carried out
has exactly one effect in each store downstream, and the consumers catch up."""

import asyncio
import os
import random
import signal
import threading
import time
import uuid
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.harness import Platform, eventually
from tests.test_first_flow import plan_session

pytestmark = [pytest.mark.integration, pytest.mark.mutates_platform]

SEED = int(os.environ.get("TFT_CHAOS_SEED", "1414"))
BOOKINGS, COMPLETIONS, CANCELLATIONS = 24, 8, 8
KILLS = 3  # and one broker restart among them
VICTIMS = ("bookings", "finance", "notify", "gateway")
GROUPS = ("bookings", "finance", "notify")
RETRY_FOR_SECONDS = 60.0
LOST_ANSWER_TRIES = 5


def rows(platform: Platform, service: str, sql: str, **params) -> list:
    async def run():
        engine = create_async_engine(platform.database_url(service))
        try:
            async with engine.connect() as conn:
                return list((await conn.execute(text(sql), params)).all())
        finally:
            await engine.dispose()

    return asyncio.run(run())


@dataclass
class Ledger:
    """What the test asked, and what came of it: per group booked (each its own name) the
    booking's id, or None when it was carried out but its answer lost with a killed bookings
    (a retry then hears 409); the bookings completed and cancelled."""

    booked: dict[str, str | None] = field(default_factory=dict)
    completed: set[str] = field(default_factory=set)
    cancelled: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    """A school's or the backoffice's client: retries a request with its key until the
    platform answers it (a lost answer, a dead gateway, an expired token)."""

    def __init__(self, platform: Platform) -> None:
        self.platform, self.http = platform, httpx.Client(timeout=30)

    def until_answered(
        self, user: str, method: str, path: str, key: str, body: dict | None = None
    ) -> httpx.Response:
        deadline, pause, carried_out = time.monotonic() + RETRY_FOR_SECONDS, 0.1, 0
        while True:
            answer = self._try(user, method, path, key, body)
            if (
                answer is not None
                and answer.status_code < 500
                and answer.status_code not in (401, 409)
            ):
                return answer
            lost = (
                answer is not None
                and answer.status_code == 409
                and "al uitgevoerd" in answer.json().get("detail", "")
            )
            carried_out = carried_out + 1 if lost else 0
            if carried_out == LOST_ANSWER_TRIES:  # the service says so, again and again
                return answer
            assert time.monotonic() < deadline, f"{method} {path} never answered: {answer}"
            time.sleep(pause)  # a client's backoff between retries, not a wait for a state
            pause = min(pause * 2, 2.0)

    def _try(
        self, user: str, method: str, path: str, key: str, body: dict | None
    ) -> httpx.Response | None:
        try:
            headers = {**self.platform.token(user), "Idempotency-Key": key}
            answer = self.http.request(
                method, f"{self.platform.gateway}{path}", json=body, headers=headers
            )
        except httpx.HTTPError:
            return None
        if answer.status_code == 401:  # a new gateway signs with a new key
            self.platform._tokens.pop(user, None)
        return answer


def book(client: Client, ledger: Ledger, session_id: str, name: str, key: str = "") -> None:
    key = key or f"chaos-book-{uuid.uuid4()}"
    answer = client.until_answered(
        "element",
        "POST",
        "/bookings",
        key,
        {
            "session_id": session_id,
            "group": {"name": name, "level": "vmbo-gl", "year": 4, "students": 1},
        },
    )
    assert answer.status_code in (201, 409), answer.text
    with ledger.lock:
        ledger.booked[name] = answer.json()["id"] if answer.status_code == 201 else None


def finish(client: Client, ledger: Ledger, booking_id: str, how: str) -> None:
    user = "backoffice" if how == "complete" else "element"
    answer = client.until_answered(
        user, "POST", f"/bookings/{booking_id}/{how}", f"chaos-{how}-{booking_id}"
    )
    assert answer.status_code in (200, 409), answer.text
    with ledger.lock:
        (ledger.completed if how == "complete" else ledger.cancelled).add(booking_id)


def chaos_plan(rng: random.Random) -> list[str]:
    """What to do at each wave: kill a service (chosen at random), or restart the broker."""
    plan = [rng.choice(VICTIMS) for _ in range(KILLS)]
    plan.insert(rng.randrange(1, KILLS), "broker")
    return plan


def upset(platform: Platform, step: str, bookings_env: dict[str, str]) -> None:
    """SIGKILL the service (the broker: stop it) and start it again."""
    if step == "broker":
        platform.kafka.stop()
        platform.kafka.start()
        # A service restarted later is ready only with the broker; a busy host needs long.
        platform.kafka.wait_ready(timeout=180)
        return
    platform.processes[step].kill()
    platform.restart(step, **(bookings_env if step == "bookings" else {}))


def kill_gateway_between_commit_and_answer(
    platform: Platform, client: Client, ledger: Ledger, session_id: str
) -> None:
    """A booking the service commits and answers while the gateway is frozen, which is then
    killed: the client never hears the answer, and its retry must get that booking, not a
    second one. The test's row lock on the session holds the booking until the gateway is
    frozen."""
    key = f"chaos-book-{uuid.uuid4()}"
    gateway = platform.processes["gateway"]

    async def run() -> None:
        engine = create_async_engine(platform.database_url("bookings"))
        try:
            async with engine.connect() as holder:
                await holder.execute(
                    text("select id from sessions where id = :id for update"), {"id": session_id}
                )
                booking = asyncio.create_task(
                    asyncio.to_thread(book, client, ledger, session_id, "frozen", key)
                )
                await until(
                    engine,
                    "select count(*) from pg_stat_activity where "
                    "wait_event_type = 'Lock' and datname = current_database()",
                )
                os.kill(gateway.pid, signal.SIGSTOP)
                await holder.rollback()
            await until(
                engine,
                "select count(*) from carried_out_requests where key = :key and status is not null",
                key=key,
            )
            gateway.kill()
            await asyncio.to_thread(platform.restart, "gateway")
            await booking
        finally:
            await engine.dispose()

    asyncio.run(run())


async def until(engine, sql: str, **params) -> None:
    async with engine.connect() as watcher:
        while not await watcher.scalar(text(sql), params):  # noqa: ASYNC110 - another server
            await asyncio.sleep(0.02)


def consumer_lag(platform: Platform) -> dict[str, int]:
    async def run() -> dict[str, int]:
        admin = AIOKafkaAdminClient(**platform.kafka.admin.options())
        reader = AIOKafkaConsumer(**platform.kafka.admin.options())
        await admin.start()
        await reader.start()
        try:
            lag = {}
            for group in GROUPS:
                committed = await admin.list_consumer_group_offsets(group)
                ends = await reader.end_offsets(list(committed))
                lag[group] = sum(
                    end - committed[tp].offset
                    for tp, end in ends.items()
                    if isinstance(tp, TopicPartition)
                )
            return lag
        finally:
            await reader.stop()
            await admin.close()

    return asyncio.run(run())


def test_a_burst_under_random_kills_has_exactly_one_effect_per_request(platform: Platform):
    rng = random.Random(SEED)
    ledger, client = Ledger(), Client(platform)
    to_complete = plan_session(platform, capacity=100, days_ahead=14)
    to_book = plan_session(platform, capacity=100, days_ahead=70)
    sessions = {"a": to_complete["id"], "b": to_book["id"]}
    for user in ("element", "backoffice"):
        platform.token(user)
    for n in range(COMPLETIONS):
        book(client, ledger, to_complete["id"], f"afronden-{n}")
    for n in range(CANCELLATIONS):
        book(client, ledger, to_book["id"], f"annuleren-{n}")
    groups = booked_groups(platform, sessions)
    # Bookings' clock stands after the first session began (completions) and well before
    # the second (new bookings, cancellations).
    begun = {
        "TFT_BOOKINGS_NOW": (
            datetime.fromisoformat(to_complete["starts_at"]) + timedelta(hours=1)
        ).isoformat()
    }
    platform.processes["bookings"].stop()
    platform.restart("bookings", **begun)
    kill_gateway_between_commit_and_answer(platform, client, ledger, to_book["id"])

    work = (
        [(book, (client, ledger, to_book["id"], f"burst-{n}")) for n in range(BOOKINGS)]
        + [
            (finish, (client, ledger, groups[f"afronden-{n}"], "complete"))
            for n in range(COMPLETIONS)
        ]
        + [
            (finish, (client, ledger, groups[f"annuleren-{n}"], "cancel"))
            for n in range(CANCELLATIONS)
        ]
    )
    rng.shuffle(work)
    plan = chaos_plan(rng)
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            for n, step in enumerate(plan):  # a wave of requests, and a kill amid it
                wave = [pool.submit(job, *args) for job, args in work[n :: len(plan)]]
                answered = rng.randrange(len(wave) // 2)  # a random moment of the wave
                while sum(f.done() for f in wave) < answered:
                    futures.wait(
                        [f for f in wave if not f.done()], return_when=futures.FIRST_COMPLETED
                    )
                upset(platform, step, begun)
                for request in wave:
                    request.result()
    finally:
        platform.processes["bookings"].stop()
        platform.restart("bookings")

    # One booking per group asked, the one answered where an answer came; none besides.
    rows_of_groups = rows(
        platform,
        "bookings",
        "select group_name, cast(id as text), status from bookings where session_id in (:a, :b)",
        **sessions,
    )
    assert sorted(g for g, _, _ in rows_of_groups) == sorted(ledger.booked)
    states = {booking: status for _, booking, status in rows_of_groups}
    assert all(ledger.booked[g] in (None, b) for g, b, _ in rows_of_groups)
    assert {b for b, s in states.items() if s == "completed"} == ledger.completed
    assert {b for b, s in states.items() if s == "cancelled"} == ledger.cancelled
    assert {s for b, s in states.items() if b not in ledger.completed | ledger.cancelled} == {
        "confirmed"
    }

    ids = sorted(states)
    expected = {
        **{(b, "confirmed"): 1 for b in ids},
        **{(b, "completed"): 1 for b in ledger.completed},
        **{(b, "cancelled"): 1 for b in ledger.cancelled},
    }
    events = eventually(lambda: published_events(platform, ids, expected), timeout=90, interval=0.5)
    assert {k: len(v) for k, v in events.items()} == expected
    # A cancellation that frees seats also tells the backoffice (its own inbox).
    settles(
        lambda: notified(platform, ids),
        {(b, f"booking_{kind}"): 1 for b, kind in expected}
        | {(b, "booking_cancelled_backoffice"): 1 for b in ledger.cancelled},
    )
    settles(
        lambda: dict(
            rows(
                platform,
                "finance",
                "select cast(booking_id as text), count(*) from declaration_lines"
                " where booking_id = any(:ids) group by booking_id",
                ids=ids,
            )
        ),
        dict.fromkeys(ledger.completed, 1),
    )
    # Every event was applied by its consumers, each recorded once in their inboxes.
    every = [e for ids_ in events.values() for e in ids_]
    completions = [e for (_, kind), ids_ in events.items() if kind == "completed" for e in ids_]
    assert inbox_count(platform, "notify", every) == len(every)
    assert inbox_count(platform, "finance", completions) == len(completions)
    eventually(lambda: not any(consumer_lag(platform).values()), timeout=90, interval=0.5)


def settles(probe: Callable[[], Any], wanted: Any) -> None:
    """Wait until `probe()` gives `wanted`; if it never does, show how it differs."""
    with suppress(AssertionError):
        eventually(lambda: probe() == wanted, timeout=90, interval=0.5)
    assert probe() == wanted


def booked_groups(platform: Platform, sessions: dict[str, str]) -> dict[str, str]:
    return dict(
        rows(
            platform,
            "bookings",
            "select group_name, cast(id as text) from bookings where session_id in (:a, :b)",
            **sessions,
        )
    )


def published_events(
    platform: Platform, ids: list[str], expected: dict
) -> dict[tuple[str, str], list[str]] | None:
    """The bookings' events (booking id, kind) -> event ids, once all of them are published."""
    found: dict[tuple[str, str], list[str]] = {}
    for key, event_type, event_id, sent in rows(
        platform,
        "bookings",
        "select key, event_type, event_id, published_at is not null "
        "from outbox where key = any(:ids)",
        ids=ids,
    ):
        kind = event_type.rsplit(".", 2)[-2]  # nl.tisfortech.bookings.booking.<kind>.v1
        if (key, kind) in expected:
            if not sent:
                return None
            found.setdefault((key, kind), []).append(event_id)
    return found if set(found) == set(expected) else None


def notified(platform: Platform, ids: list[str]) -> dict[tuple[str, str], int]:
    return {
        (a, t): n
        for a, t, n in rows(
            platform,
            "notify",
            "select about, message_type, count(*) from notifications where "
            "person_id = '' and about = any(:ids) group by about, message_type",
            ids=ids,
        )
    }


def inbox_count(platform: Platform, service: str, event_ids: list[str]) -> int:
    return rows(
        platform, service, "select count(*) from inbox where event_id = any(:ids)", ids=event_ids
    )[0][0]
