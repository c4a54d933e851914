"""A relay in a process of its own, for the test that kills it between rounds.

`python -m shared.tests.killed_relay URL STOP` (the broker in TFT_KILLED_RELAY_KAFKA as
`bootstrap user password`) relays the store's outbox in overlapping rounds of two rows. At
the send of the row whose payload is STOP it waits until Kafka acknowledged every row sent
before, says `in flight` on stdout and waits to be killed: the round before is acknowledged
and not yet marked.
"""

import asyncio
import os
import sys

from sqlalchemy import MetaData

from shared.messaging.connection import KafkaConnection
from shared.messaging.outbox import OutboxRelay, idempotent_producer
from shared.messaging.tables import add_messaging_tables
from shared.observability.metrics import Metrics
from shared.store.db import Database, create_engine

IN_FLIGHT = b"in flight"


class StopsAt:
    def __init__(self, real, stop: bytes) -> None:
        self._real, self._stop, self._sent = real, stop, []

    async def send(self, topic, value, **kwargs):
        if value == self._stop:
            await asyncio.gather(*self._sent)
            os.write(1, IN_FLIGHT + b"\n")
            await asyncio.Event().wait()  # until killed
        sending = await self._real.send(topic, value, **kwargs)
        self._sent.append(sending)
        return sending

    def __getattr__(self, name):
        return getattr(self._real, name)


async def main(url: str, stop: str) -> None:
    kafka = KafkaConnection(*os.environ["TFT_KILLED_RELAY_KAFKA"].split())
    db = Database(create_engine(url))
    relay = OutboxRelay(
        db,
        add_messaging_tables(MetaData()).outbox,
        lambda: StopsAt(idempotent_producer(kafka, "killed-relay"), stop.encode()),
        Metrics(),
        batch_size=2,
    )
    await relay.publish_all()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
