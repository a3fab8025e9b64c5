"""The instance's Ed25519 draw-signing key: it signs certificates, redeclarations, follow-ups."""
from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app

from giveaway.core import load_or_create_signing_key, public_key_pem


def signing_key() -> Ed25519PrivateKey:
    """The instance's Ed25519 key (created on first use under ``instance/``)."""
    return load_or_create_signing_key(Path(current_app.instance_path) / "draw-signing-key.pem")


def public_key() -> str:
    """The PEM public key anyone can use to check certificates."""
    return public_key_pem(signing_key())
