"""Settings of the directory: password hashing, invitations and the demo password."""

from typing import Self

from pydantic import Field, SecretStr, model_validator

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

    @model_validator(mode="after")
    def _demo_needs_a_password(self) -> Self:
        """Demo people with an empty password would let anyone in: refuse to start."""
        if self.demo and not self.demo_password.get_secret_value():
            raise ValueError("TFT_DEMO=true needs TFT_DEMO_PASSWORD")
        return self
