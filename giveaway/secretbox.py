"""Secrets at rest (Instagram sessions, draw seeds): Fernet keys derived from configured secrets.

Each use gets its own key (HKDF with a distinct ``purpose``), so a leaked
key of one kind opens nothing else. Several secrets may be configured, newest
first (:class:`~cryptography.fernet.MultiFernet`): the newest encrypts, every
one decrypts, so a key can be rotated without losing what is stored.

- draw seeds: ``SEED_KEYS`` (when set), then ``SECRET_KEY``, then ``OLD_SECRET_KEYS``;
- everything else: ``SECRET_KEY``, then ``OLD_SECRET_KEYS``.
"""
from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import gettext as _

from giveaway.errors import Conflict

__all__ = ["InvalidToken", "SeedUnreadable", "key_list", "open_secret", "open_seed", "rotate",
           "seal"]

SEED = "draw-seed"


class SeedUnreadable(Conflict):
    """A draw seed cannot be decrypted with any configured key (the key changed)."""


def key_list(value) -> list[str]:
    """The secrets of a key setting: a list (JSON from the environment), one string, or none."""
    if not value:
        return []
    if isinstance(value, (str, bytes)):
        return [value]
    return [key for key in value if key]


def _secrets(purpose: str) -> list[str | bytes]:
    config = current_app.config
    keys = key_list(config.get("SEED_KEYS")) if purpose == SEED else []
    keys += [config["SECRET_KEY"], *key_list(config.get("OLD_SECRET_KEYS"))]
    unique = []
    for key in keys:
        if key not in unique:
            unique.append(key)
    return unique


def _fernet(purpose: str, secret: str | bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=f"giveaway/{purpose}".encode(),
               info=b"fernet-v1").derive(secret.encode() if isinstance(secret, str) else secret)
    return Fernet(base64.urlsafe_b64encode(key))


def _box(purpose: str) -> MultiFernet:
    return MultiFernet([_fernet(purpose, secret) for secret in _secrets(purpose)])


def seal(purpose: str, data: bytes) -> bytes:
    """Encrypt and authenticate ``data`` for ``purpose`` with the newest key."""
    return _box(purpose).encrypt(data)


def open_secret(purpose: str, token: bytes) -> bytes:
    """Decrypt what :func:`seal` wrote. :raise InvalidToken: if tampered or no key opens it."""
    return _box(purpose).decrypt(token)


def rotate(purpose: str, token: bytes) -> bytes:
    """Re-encrypt ``token`` with the newest key. :raise InvalidToken: as :func:`open_secret`."""
    return _box(purpose).rotate(token)


def open_seed(token: bytes) -> bytes:
    """Decrypt a draw seed.

    :raise SeedUnreadable: when no configured key opens it, saying how to fix it.
    """
    try:
        return open_secret(SEED, token)
    except InvalidToken:
        raise SeedUnreadable(_(
            "The seed of this draw cannot be decrypted: the key has changed. Put the previous "
            "key back in SEED_KEYS (newest first), or the previous SECRET_KEY in "
            "OLD_SECRET_KEYS, restart the server, then try again.")) from None
