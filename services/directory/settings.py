"""Settings of the directory: password hashing, invitations and the demo password."""

from pydantic import Field, SecretStr

from shared.settings import ServiceSettings


class DirectorySettings(ServiceSettings):
    http_port: int = 8106
    # Every demo person's password in demo mode (TFT_DEMO_PASSWORD).
    demo_password: SecretStr = SecretStr("demo")
    # argon2id cost; the defaults are RFC 9106's second recommendation (64 MiB, 3 passes).
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=64 * 1024, ge=8 * 1024)
    password_hash_parallelism: int = Field(default=4, ge=1)
    invitation_days: int = Field(default=7, ge=1, le=60)
