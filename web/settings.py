"""Settings of the web front end, from `TFT_*` environment variables."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import REPO_ROOT


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TFT_", extra="ignore")

    http_host: str = "127.0.0.1"
    http_port: int = 8080
    # Reverse proxies whose X-Forwarded-* are believed; none by default (see shared.settings).
    trusted_proxies: list[str] = Field(default_factory=list)
    # The only thing the front end talks to: the gateway's public API.
    gateway_url: str = "http://127.0.0.1:8000"
    gateway_timeout_seconds: float = Field(default=10.0, gt=0)
    # Secure cookies need HTTPS; only a local run over plain HTTP turns this off.
    web_secure_cookies: bool = True
    # A session ends after this long without a request (and when the gateway token expires).
    web_session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # The sessions' store, shared by every web process: SQLite under var/ by default.
    database_url: str = ""
    # Processes serving the pages (uvicorn workers on one port).
    web_workers: int = Field(default=1, ge=1, le=64)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        (REPO_ROOT / "var").mkdir(exist_ok=True)
        return f"sqlite+aiosqlite:///{REPO_ROOT / 'var' / 'web.db'}"
