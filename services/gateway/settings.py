"""Settings of the gateway: where the services live and how tokens are signed."""

from pydantic import Field, SecretStr

from shared.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    http_port: int = 8000
    bookings_url: str = "http://127.0.0.1:8101"
    loans_url: str = "http://127.0.0.1:8102"
    events_url: str = "http://127.0.0.1:8103"
    finance_url: str = "http://127.0.0.1:8104"
    notify_url: str = "http://127.0.0.1:8105"
    upstream_timeout_seconds: float = Field(default=5.0, gt=0)
    # No default secret in the repository: unset means a random key per process.
    # 32 bytes is the HS256 minimum (RFC 7518, 3.2).
    jwt_secret: SecretStr | None = Field(default=None, min_length=32)
    jwt_ttl_seconds: int = Field(default=3600, ge=60, le=24 * 3600)
    demo_password: SecretStr = SecretStr("demo")

    def upstream_urls(self) -> dict[str, str]:
        return {
            "bookings": self.bookings_url,
            "loans": self.loans_url,
            "events": self.events_url,
            "finance": self.finance_url,
            "notify": self.notify_url,
        }
