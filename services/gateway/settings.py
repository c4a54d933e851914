"""Settings of the gateway: where the services live, how callers are authenticated and
the limits at the edge. All read from `TFT_*` environment variables."""

from pathlib import Path

from pydantic import Field

from shared.settings import REPO_ROOT, ServiceSettings


class GatewaySettings(ServiceSettings):
    http_port: int = 8000
    # Each service's URL, or its replicas' URLs separated by commas: requests take turns.
    bookings_url: str = "http://127.0.0.1:8101"
    loans_url: str = "http://127.0.0.1:8102"
    events_url: str = "http://127.0.0.1:8103"
    finance_url: str = "http://127.0.0.1:8104"
    notify_url: str = "http://127.0.0.1:8105"
    directory_url: str = "http://127.0.0.1:8106"
    upstream_timeout_seconds: float = Field(default=5.0, gt=0)
    # Per service: this many failures in a row open its breaker for breaker_open_seconds.
    breaker_failures: int = Field(default=5, ge=1)
    breaker_open_seconds: float = Field(default=10.0, gt=0)
    # How often each replica of a service that has several is asked for its /readyz.
    upstream_probe_seconds: float = Field(default=2.0, gt=0)

    # The gateway's own tokens: ES256, signed with the current key; tokens of the previous
    # key still verify until they expire (rotation). PEM files; no key in the repository:
    # without one each process generates its own at startup (and says so loudly).
    jwt_key_file: Path | None = None
    jwt_previous_key_file: Path | None = None
    jwt_issuer: str = "tft-gateway"
    jwt_audience: str = "tft-api"
    # At most a day: the verifiers refuse any token that lives longer (auth.py).
    jwt_ttl_seconds: int = Field(default=3600, ge=60, le=24 * 3600)
    # How long the directory's answer "this person is active" holds for a token's subject:
    # a deactivated person's tokens stop working within this time.
    person_check_seconds: float = Field(default=10.0, ge=0)

    # An external OpenID Connect issuer instead of the gateway's own tokens (and no login).
    oidc_issuer: str | None = None
    oidc_jwks_url: str | None = None
    oidc_audience: str | None = None
    oidc_algorithm: str = Field(default="RS256", pattern=r"^(RS|PS|ES)(256|384|512)$")
    oidc_role_claim: str = "role"
    oidc_org_claim: str = "org"
    # The issuer's role names mapped to ours, e.g. {"tft-finance": "finance"}; unmapped
    # names pass through and are refused unless they are one of our roles.
    oidc_role_map: dict[str, str] = Field(default_factory=dict)
    oidc_jwks_cache_seconds: float = Field(default=300, gt=0)

    # The edge: limits per token subject and per client address (token buckets), the
    # largest request body, browsers' origins allowed by CORS, HSTS when served over TLS.
    rate_per_subject: float = Field(default=20, gt=0)
    burst_per_subject: int = Field(default=40, ge=1)
    rate_per_address: float = Field(default=50, gt=0)
    burst_per_address: int = Field(default=100, ge=1)
    # A replica takes up to rate x this many seconds' tokens from a bucket at once and spends
    # them on the key's next requests for at most this long (0: one token per request).
    rate_lease_seconds: float = Field(default=0.2, ge=0, le=5)
    # Sign-in: a user name gets `login_failures_per_username` failed tries, then one more
    # per `login_failure_refill_seconds`; an address `login_rate_per_address` tries a second.
    login_failures_per_username: int = Field(default=5, ge=1)
    login_failure_refill_seconds: float = Field(default=60, gt=0)
    login_rate_per_address: float = Field(default=1, gt=0)
    login_burst_per_address: int = Field(default=30, ge=1)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    cors_origins: list[str] = Field(default_factory=list)
    hsts: bool = False
    idempotency_ttl_seconds: float = Field(default=24 * 3600, gt=0)
    # How long a running request holds its key: longer than any forwarded request lasts.
    idempotency_lease_seconds: float = Field(default=30, gt=0)
    # JSON lines, one per state-changing call; default var/gateway-audit.jsonl.
    audit_path: Path = REPO_ROOT / "var" / "gateway-audit.jsonl"

    def upstream_urls(self) -> dict[str, list[str]]:
        """Each service's replicas, by URL."""
        urls = {
            "bookings": self.bookings_url,
            "loans": self.loans_url,
            "events": self.events_url,
            "finance": self.finance_url,
            "notify": self.notify_url,
            "directory": self.directory_url,
        }
        return {
            name: [u.strip() for u in url.split(",") if u.strip()] for name, url in urls.items()
        }
