"""Secrets at rest (Instagram sessions, draw seeds): Fernet with a key derived from SECRET_KEY.

Each use gets its own key (HKDF with a distinct ``purpose``), so a leaked
key of one kind opens nothing else.
"""
from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

__all__ = ["InvalidToken", "open_secret", "seal"]


def _fernet(purpose: str) -> Fernet:
    secret = current_app.config["SECRET_KEY"]
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=f"giveaway/{purpose}".encode(),
               info=b"fernet-v1").derive(secret.encode() if isinstance(secret, str) else secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(purpose: str, data: bytes) -> bytes:
    """Encrypt and authenticate ``data`` for ``purpose``."""
    return _fernet(purpose).encrypt(data)


def open_secret(purpose: str, token: bytes) -> bytes:
    """Decrypt what :func:`seal` wrote. :raise InvalidToken: if tampered or the key changed."""
    return _fernet(purpose).decrypt(token)
