"""Settings every service reads from the environment (prefix `TFT_`), with local defaults."""

from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.clock import SYSTEM_CLOCK, Clock
from shared.messaging.connection import KafkaConnection

REPO_ROOT = Path(__file__).resolve().parent.parent


class ServiceSettings(BaseSettings):
    """Common settings; a service subclasses it for its own extras."""

    model_config = SettingsConfigDict(env_prefix="TFT_", extra="ignore")

    service: str = "unnamed"
    http_host: str = "127.0.0.1"
    http_port: int = 8100
    # Addresses of the reverse proxies whose X-Forwarded-For/-Proto are believed (none by
    # default): any other client's forwarded headers are ignored, so a caller cannot pick
    # the address its rate limit and audit line are kept under.
    trusted_proxies: list[str] = Field(default_factory=list)
    # Who may call: only the gateway, with a token it signs per request (shared/auth.py),
    # verified with the keys it publishes; `gateway_jwks` pins a JWKS instead of fetching.
    gateway_jwks_url: str = "http://127.0.0.1:8000/.well-known/jwks.json"
    gateway_jwks: dict[str, Any] | None = None
    gateway_issuer: str = "tft-gateway"
    kafka_bootstrap: str = "127.0.0.1:9092"
    # The service's own Kafka principal (SASL/SCRAM): the user name defaults to the service's
    # name; without a password the client connects unauthenticated.
    kafka_username: str = ""
    kafka_password: str = Field(default="", repr=False)
    database_url: str = ""
    demo: bool = False
    log_level: str = "INFO"
    # Relay and consumer tuning. Disabling the relay leaves events in the outbox (another
    # process may relay them); it never drops them.
    outbox_relay: bool = True
    outbox_batch_size: int = Field(default=500, ge=1)
    outbox_poll_seconds: float = Field(default=0.5, gt=0)
    consumer_batch_size: int = Field(default=500, ge=1)
    consumer_max_attempts: int = Field(default=3, ge=1)
    consumer_retry_backoff_seconds: float = Field(default=0.2, ge=0)
    # Retention: published outbox rows and inbox rows older than these are deleted, every
    # `retention_interval_seconds`, in batches of `retention_batch_size`.
    outbox_retention_hours: float = Field(default=7 * 24, gt=0)
    inbox_retention_hours: float = Field(default=30 * 24, gt=0)
    retention_interval_seconds: float = Field(default=3600, gt=0)
    retention_batch_size: int = Field(default=1000, ge=1)

    def clock(self) -> Clock:
        """The clock the service runs by: the machine's, unless a service pins its own."""
        return SYSTEM_CLOCK

    def kafka(self) -> KafkaConnection:
        if not self.kafka_password:
            return KafkaConnection(self.kafka_bootstrap)
        return KafkaConnection(
            self.kafka_bootstrap, self.kafka_username or self.service, self.kafka_password
        )

    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file per service under var/ for the local run."""
        if self.database_url:
            return self.database_url
        var = REPO_ROOT / "var"
        var.mkdir(exist_ok=True)
        return f"sqlite+aiosqlite:///{var / self.service}.db"
