"""Consumer lag per group and topic, read from the broker every few seconds for /metrics."""

import logging

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.messaging.connection import KafkaConnection
from shared.observability.metrics import Metrics
from shared.periodic import Periodic


class LagMonitor:
    def __init__(
        self,
        kafka: KafkaConnection,
        groups: dict[str, list[str]],
        metrics: Metrics,
        interval_seconds: float = 15.0,
    ) -> None:
        self.kafka = kafka
        self.groups = groups
        self.metrics = metrics
        self.interval = interval_seconds

    async def run(self) -> None:
        """Measure every `interval` seconds; a broker outage skips a round, never stops it."""
        skipped = "lag measurement skipped"
        await Periodic(self.measure, self.interval, skipped, level=logging.INFO).run()

    async def measure(self) -> dict[tuple[str, str], int]:
        admin = AIOKafkaAdminClient(**self.kafka.options())
        reader = AIOKafkaConsumer(**self.kafka.options(), enable_auto_commit=False)
        await admin.start()
        await reader.start()
        try:
            return {
                key: lag
                for group, topics in self.groups.items()
                for key, lag in (await self._group_lag(admin, reader, group, topics)).items()
            }
        finally:
            await reader.stop()
            await admin.close()

    async def _group_lag(self, admin, reader, group: str, topics: list[str]):
        committed = await admin.list_consumer_group_offsets(group)
        # The broker's word, not the reader's cache: that may not know the topics yet.
        partitions = [
            TopicPartition(t["topic"], p["partition"])
            for t in await admin.describe_topics(topics)
            for p in t["partitions"]
        ]
        ends = await reader.end_offsets(partitions) if partitions else {}
        lags: dict[tuple[str, str], int] = {}
        for tp, end in ends.items():
            meta = committed.get(tp)
            done = meta.offset if meta is not None and meta.offset >= 0 else 0
            lags[(group, tp.topic)] = lags.get((group, tp.topic), 0) + max(0, end - done)
        for (g, topic), lag in lags.items():
            self.metrics.consumer_lag.labels(g, topic).set(lag)
        return lags
