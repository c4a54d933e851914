"""How every Kafka client of the platform connects: the bootstrap servers and, when the
broker authenticates (SASL/SCRAM-SHA-512), the principal's user name and password."""

from dataclasses import dataclass, field
from typing import Any

from faststream.security import BaseSecurity, SASLScram512

SCRAM_MECHANISM = "SCRAM-SHA-512"


@dataclass(frozen=True)
class KafkaConnection:
    bootstrap: str
    username: str = ""  # empty: an unauthenticated PLAINTEXT connection
    password: str = field(default="", repr=False)

    def options(self) -> dict[str, Any]:
        """Keyword arguments of every aiokafka client (producer, consumer, admin)."""
        if not self.username:
            return {"bootstrap_servers": self.bootstrap}
        return {
            "bootstrap_servers": self.bootstrap,
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": SCRAM_MECHANISM,
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password,
        }

    def security(self) -> BaseSecurity | None:
        """The same for a FastStream broker."""
        return SASLScram512(self.username, self.password) if self.username else None

    def anonymous(self) -> "KafkaConnection":
        return KafkaConnection(self.bootstrap)
