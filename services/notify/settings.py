"""Settings of the notify service, from `TFT_NOTIFY_*` environment variables."""

from pydantic import Field

from shared.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    # Recording an event's messages is the heaviest apply of the platform's consumers: in
    # batches of 100 rather than 500 the first messages are due (and go out) sooner.
    consumer_batch_size: int = Field(default=100, ge=1)
    # The local catch-all of `make up` listens here (python -m ops up starts it).
    notify_smtp_host: str = "127.0.0.1"
    notify_smtp_port: int = 8025
    # Connections to the SMTP server that send at once (each waits for its replies).
    notify_smtp_connections: int = Field(default=8, ge=1)
    notify_channel_timeout_seconds: float = Field(default=10.0, gt=0)
    # The mobile push relay; empty means no relay, so webhook messages fall back to e-mail.
    notify_webhook_url: str = ""
    notify_webhook_secret: str = "local-development-secret"
    notify_max_attempts: int = Field(default=4, ge=1)
    notify_backoff_seconds: float = Field(default=30.0, ge=0)
    notify_dispatch_poll_seconds: float = Field(default=1.0, gt=0)
    notify_dispatch_batch_size: int = Field(default=100, ge=1)
    # Sends whose outcome is not yet recorded, at most: what a crash can send twice.
    notify_unrecorded_sends: int = Field(default=16, ge=1)
    # A claimed batch not recorded within this time (the process died) is due again.
    notify_dispatch_lease_seconds: float = Field(default=300.0, gt=0)
    notify_reminder_poll_seconds: float = Field(default=30.0, gt=0)
