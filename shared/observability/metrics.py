"""The platform's Prometheus metrics, in one registry per process."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    """Built once in a service's wiring; tests build their own to stay independent."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.http_requests = Counter(
            "tft_http_requests", "HTTP requests served", ["method", "route", "status"], registry=r
        )
        self.http_latency = Histogram(
            "tft_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5),
            registry=r,
        )
        self.outbox_backlog = Gauge(
            "tft_outbox_backlog", "Events written but not yet published", registry=r
        )
        self.outbox_published = Counter(  # by type too: bookings per hour, saga answers
            "tft_outbox_published", "Events the relay published", ["topic", "type"], registry=r
        )
        self.outbox_parked = Counter(
            "tft_outbox_parked",
            "Outbox rows Kafka refused for good, set aside",
            ["topic"],
            registry=r,
        )
        self.outbox_parked_rows = Gauge(
            "tft_outbox_parked_rows", "Outbox rows parked and not resolved yet", registry=r
        )
        self.outbox_publish_failures = Counter(
            "tft_outbox_publish_failures", "Relay rounds that failed to publish", registry=r
        )
        self.retention_pruned = Counter(
            "tft_retention_pruned",
            "Outbox and inbox rows deleted past their time",
            ["table"],
            registry=r,
        )
        self.consumed = Counter(
            "tft_consumed_events", "Events applied by a consumer", ["consumer", "type"], registry=r
        )
        self.duplicates = Counter(
            "tft_duplicate_events",
            "Redelivered events skipped by the inbox",
            ["consumer"],
            registry=r,
        )
        self.dead_letters = Counter(
            "tft_dead_letter_messages",
            "Messages sent to a dead-letter topic",
            ["topic"],
            registry=r,
        )
        self.consumer_lag = Gauge(
            "tft_consumer_lag", "Messages not yet consumed", ["group", "topic"], registry=r
        )
