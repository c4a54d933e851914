"""The gateway's signing keys: ES256 (P-256), named by their RFC 7638 thumbprint (`kid`).

The current key signs; the previous key only verifies, so tokens issued before a rotation
stay valid until they expire. Both public keys are published as a JWKS.
"""

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from shared.auth import ALGORITHM  # pinned: verification accepts nothing else


@dataclass(frozen=True)
class VerificationKey:
    kid: str
    public: ec.EllipticCurvePublicKey

    def jwk(self) -> dict[str, Any]:
        fields = ECAlgorithm.to_jwk(self.public, as_dict=True)
        return fields | {"kid": self.kid, "alg": ALGORITHM, "use": "sig"}


@dataclass(frozen=True)
class SigningKey:
    private: ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls) -> "SigningKey":
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_pem(cls, pem: bytes) -> "SigningKey":
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("the gateway's signing key must be an EC P-256 private key")
        return cls(key)

    def pem(self) -> bytes:
        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def verification(self) -> VerificationKey:
        public = self.private.public_key()
        return VerificationKey(thumbprint(public), public)


def load_verification_key(path: Path) -> VerificationKey:
    """A previous key from its PEM file: the private key or only its public part."""
    pem = path.read_bytes()
    if b"PRIVATE KEY" in pem:
        return SigningKey.from_pem(pem).verification
    public = serialization.load_pem_public_key(pem)
    if not isinstance(public, ec.EllipticCurvePublicKey) or public.curve.name != "secp256r1":
        raise ValueError(f"{path}: not an EC P-256 public key")
    return VerificationKey(thumbprint(public), public)


def thumbprint(public: ec.EllipticCurvePublicKey) -> str:
    """RFC 7638: SHA-256 over the required members, sorted, without whitespace."""
    jwk = ECAlgorithm.to_jwk(public, as_dict=True)
    required = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    digest = hashlib.sha256(
        json.dumps(required, separators=(",", ":"), sort_keys=True).encode()
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
